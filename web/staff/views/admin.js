/* The console's calendar (every staff member reads the year's non-working days and computes deadlines;
   the administrator adds and removes overrides) and the administrator's reference data: units, LPSEs,
   contracts, SLA policies, staff users and transactions, each listed with a create/update form and,
   for contracts and transactions, a CSV import that shows its row-by-row report. */
(function () {
  "use strict";
  var forms = Console.forms; // the form helpers every view shares (console.js)
  var ZONES = [["Asia/Jakarta", "WIB"], ["Asia/Makassar", "WITA"], ["Asia/Jayapura", "WIT"]];
  var OFFSETS = { "Asia/Jakarta": "+07:00", "Asia/Makassar": "+08:00", "Asia/Jayapura": "+09:00" };
  var REQUEST_TYPES = ["complaint", "suggestion", "input", "call", "walk_in", "training", "letter", "payment_proof",
    "registration"];
  var ROLES = ["helpdesk", "reception", "secretary", "director", "subdit", "lpse_verifier", "training", "admin"];

  function t(key, values) { return Desk.t(key, values); }
  function esc(text) { return Desk.escapeHtml(text); }
  function locale() { return Desk.i18n.lang === "en" ? "en-GB" : "id-ID"; }

  function dayLabel(iso) {
    var d = new Date(iso + "T00:00:00Z");
    if (isNaN(d)) return iso;
    return d.toLocaleDateString(locale(), { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" });
  }

  function instantIn(iso, tz) {
    var d = new Date(iso);
    if (isNaN(d)) return iso;
    return d.toLocaleString(locale(), { timeZone: tz, weekday: "long", day: "numeric", month: "long", year: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  }

  function table(captionKey, headKeys, rows, emptyKey) {
    if (!rows.length) return '<p class="empty">' + esc(t(emptyKey || "sa.empty")) + "</p>";
    return '<div class="table-wrap"><table><caption>' + esc(t(captionKey)) + "</caption><thead><tr>" +
      headKeys.map(function (k) { return '<th scope="col">' + esc(t(k)) + "</th>"; }).join("") +
      "</tr></thead><tbody>" + rows.join("") + "</tbody></table></div>";
  }

  /* A CSV import sends the file as it is (text/csv): the API reads UTF-8 or an older spreadsheet's
     Windows-1252, whatever the separator. */
  function postCsv(ctx, path, file) {
    return Desk.config().then(function (c) {
      return fetch(c.api + path, {
        method: "POST",
        headers: { "Accept": "application/json", "Accept-Language": Desk.i18n.lang, "Content-Type": "text/csv",
          "Authorization": "Bearer " + ctx.token },
        body: file
      });
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!response.ok) throw new Desk.ApiError(response.status, data);
        return data;
      });
    }, function () { throw new Desk.ApiError(0, { error: { code: "offline", message: t("error.offline") } }); });
  }

  /* ==================================== calendar ======================================================= */
  function renderCalendar(container, ctx, params) {
    var thisYear = Number(new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 4));
    var year = /^\d{4}$/.test(params[0] || "") ? Number(params[0]) : thisYear;
    var isAdmin = ctx.user.role === "admin";
    container.innerHTML = '<h1 tabindex="-1">' + esc(t("cal.title")) + "</h1>" +
      '<p class="lead">' + esc(t("cal.lead")) + "</p>" +
      '<form class="year-nav" id="cal-year-form" data-error-prefix="cal-" novalidate>' +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      '<a class="button secondary" href="#calendar/' + (year - 1) + '" aria-label="' + esc(t("cal.prev_year", { year: year - 1 })) +
      '">‹ ' + (year - 1) + "</a>" +
      forms.field({ name: "year", label: "cal.year", type: "number", value: year, attrs: 'min="2024" step="1"' }, "cal") +
      '<button type="submit" class="secondary">' + esc(t("cal.show")) + "</button>" +
      '<a class="button secondary" href="#calendar/' + (year + 1) + '" aria-label="' + esc(t("cal.next_year", { year: year + 1 })) +
      '">' + (year + 1) + " ›</a></form>" +
      '<p class="notice" id="cal-message" role="status" hidden></p>' +
      '<div class="admin-grid">' +
      (isAdmin ? '<section aria-labelledby="cal-add-title"><h2 id="cal-add-title">' + esc(t("cal.add")) + "</h2>" +
        '<form id="cal-override-form" data-error-prefix="ov-" novalidate>' +
        '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
        forms.field({ name: "date", label: "cal.date", type: "date", required: true }, "ov") +
        forms.field({ name: "working", label: "cal.working", type: "select", required: true, value: "false",
          options: [["false", t("cal.working.false")], ["true", t("cal.working.true")]] }, "ov") +
        forms.field({ name: "scope", label: "cal.scope", value: "national", required: true, hint: "cal.scope.hint",
          attrs: 'list="cal-scopes" autocomplete="off"' }, "ov") +
        '<datalist id="cal-scopes"><option value="national"></option></datalist>' +
        forms.field({ name: "reason", label: "cal.reason", required: true, hint: "cal.reason.hint" }, "ov") +
        forms.field({ name: "reference", label: "cal.reference", hint: "cal.reference.hint" }, "ov") +
        '<div class="actions"><button type="submit">' + esc(t("cal.add.submit")) + "</button></div></form></section>" : "") +
      '<section aria-labelledby="cal-deadline-title"><h2 id="cal-deadline-title">' + esc(t("cal.deadline")) + "</h2>" +
      '<p class="hint">' + esc(t("cal.deadline.lead")) + "</p>" +
      '<form id="cal-deadline-form" data-error-prefix="dl-" novalidate>' +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      forms.field({ name: "from", label: "cal.from", type: "datetime-local", required: true,
        value: new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 16) }, "dl") +
      forms.field({ name: "tz", label: "cal.tz", type: "select", value: "Asia/Jakarta",
        options: ZONES.map(function (z) { return [z[0], z[1] + " (" + z[0] + ")"]; }) }, "dl") +
      forms.field({ name: "working_days", label: "cal.working_days", type: "number", required: true, value: 5,
        attrs: 'min="1" max="365" step="1"' }, "dl") +
      forms.field({ name: "scope", label: "cal.deadline_scope", hint: "cal.deadline_scope.hint",
        attrs: 'list="cal-scopes-deadline" autocomplete="off"' }, "dl") +
      '<datalist id="cal-scopes-deadline"></datalist>' +
      '<div class="actions"><button type="submit">' + esc(t("cal.deadline.submit")) + "</button></div>" +
      '<div id="cal-deadline-result" aria-live="polite"></div></form></section></div>' +
      '<div id="cal-tables"><p>' + esc(t("sa.loading")) + "</p></div>";

    var message = container.querySelector("#cal-message");
    var tables = container.querySelector("#cal-tables");

    container.querySelector("#cal-year-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = event.target;
      var wanted = String(form.elements.year.value || "").trim();
      if (!/^\d{4}$/.test(wanted)) {
        Desk.showErrors(form, { message: t("form.fix"), fields: { year: t("cal.year.bad") } });
        return;
      }
      ctx.navigate("calendar/" + wanted);
    });

    // Scopes the API knows: national, the provinces and LPSE ids (the public LPSE list names both).
    Desk.api("GET", "/lpse").then(function (list) {
      var seen = {};
      var values = [];
      (list || []).forEach(function (l) {
        [l.id, l.province].forEach(function (v) { if (v && !seen[v]) { seen[v] = true; values.push(v); } });
      });
      var html = values.map(function (v) { return '<option value="' + esc(v) + '"></option>'; }).join("");
      var a = container.querySelector("#cal-scopes");
      if (a) a.innerHTML = '<option value="national"></option>' + html;
      container.querySelector("#cal-scopes-deadline").innerHTML = html;
    }, function () {});

    function load() {
      return ctx.api("GET", "/staff/calendar?year=" + year).then(function (data) {
        var days = (data.non_working || []).map(function (d) {
          return "<tr><td>" + esc(dayLabel(d.date)) + "</td><td>" + esc(d.name) + "</td><td>" +
            esc(t("cal.kind." + d.kind)) + "</td><td>" + esc(d.scope === "national" ? t("cal.national") : d.scope) + "</td></tr>";
        });
        var overrides = (data.overrides || []).slice().sort(function (a, b) {
          return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
        }).map(function (o) {
          return '<tr data-date="' + esc(o.date) + '" data-scope="' + esc(o.scope) + '"><td>' + esc(dayLabel(o.date)) + "</td>" +
            '<td class="' + (o.working ? "working-yes" : "working-no") + '">' + esc(t("cal.working." + o.working)) + "</td>" +
            "<td>" + esc(o.scope === "national" ? t("cal.national") : o.scope) + "</td><td>" + esc(o.reason) + "</td><td>" +
            esc(o.reference || "-") + "</td><td>" + esc(Desk.formatDate(o.created_at)) + "</td>" +
            (isAdmin ? '<td><button type="button" class="secondary small remove-override" aria-label="' +
              esc(t("cal.remove.label", { date: o.date, scope: o.scope })) + '">' + esc(t("cal.remove")) + "</button></td>" : "") +
            "</tr>";
        });
        tables.innerHTML =
          '<h2 id="cal-overrides-title">' + esc(t("cal.overrides", { year: data.year })) + "</h2>" +
          table("cal.overrides.caption", ["cal.date", "cal.status", "cal.scope", "cal.reason", "cal.reference", "cal.created"]
            .concat(isAdmin ? ["sa.actions"] : []), overrides, "cal.overrides.none") +
          '<h2 id="cal-days-title">' + esc(t("cal.days", { year: data.year })) + "</h2>" +
          '<p class="hint">' + esc(t("cal.days.lead", { version: data.version })) + "</p>" +
          (data.estimated && data.estimated.cuti_bersama ? '<p class="notice">' + esc(t("cal.estimated.skb")) + "</p>" :
            data.estimated && data.estimated.islamic_dates ? '<p class="notice">' + esc(t("cal.estimated.islamic")) + "</p>" : "") +
          table("cal.days.caption", ["cal.date", "cal.name", "cal.kind", "cal.scope"], days, "cal.days.none");
        tables.querySelectorAll("button.remove-override").forEach(function (button) {
          button.addEventListener("click", function () {
            var row = button.closest("tr");
            var day = row.getAttribute("data-date");
            var scope = row.getAttribute("data-scope");
            if (!window.confirm(t("cal.remove.confirm", { date: dayLabel(day), scope: scope }))) return;
            button.disabled = true;
            ctx.api("DELETE", "/staff/calendar/overrides/" + encodeURIComponent(day) + "?scope=" + encodeURIComponent(scope))
              .then(function () { return load(); })
              .then(function () {
                forms.say(message, "ok", t("cal.removed", { date: dayLabel(day), scope: scope }));
                message.focus();
              }).catch(function (error) {
                button.disabled = false;
                if (error.status !== 401) forms.say(message, "error", error.message);
              });
          });
        });
      });
    }

    var overrideForm = container.querySelector("#cal-override-form");
    if (overrideForm) overrideForm.addEventListener("submit", function (event) {
      event.preventDefault();
      Desk.clearErrors(overrideForm);
      var body = Desk.formValues(overrideForm);
      body.working = body.working === "true";
      forms.busy(overrideForm, true);
      ctx.api("POST", "/staff/calendar/overrides", body).then(function (answer) {
        forms.busy(overrideForm, false);
        var added = answer.override || body;
        overrideForm.reset();
        var addedYear = Number(String(added.date).slice(0, 4));
        if (addedYear !== year) { ctx.navigate("calendar/" + addedYear); return null; }
        return load().then(function () {
          forms.say(message, "ok", t("cal.added", { date: dayLabel(added.date), scope: added.scope }));
          message.focus();
        });
      }).catch(function (error) {
        forms.busy(overrideForm, false);
        forms.fail(overrideForm, error);
      });
    });
    if (message) message.setAttribute("tabindex", "-1");

    var deadlineForm = container.querySelector("#cal-deadline-form");
    deadlineForm.addEventListener("submit", function (event) {
      event.preventDefault();
      Desk.clearErrors(deadlineForm);
      var values = Desk.formValues(deadlineForm);
      var out = deadlineForm.querySelector("#cal-deadline-result");
      out.innerHTML = "";
      var query = new URLSearchParams();
      var from = values.from || "";
      if (from) query.set("from", (from.length === 16 ? from + ":00" : from) + OFFSETS[values.tz || "Asia/Jakarta"]);
      if (values.working_days) query.set("working_days", values.working_days);
      query.set("tz", values.tz || "Asia/Jakarta");
      if (values.scope) query.set("scope", values.scope);
      forms.busy(deadlineForm, true);
      ctx.api("GET", "/staff/calendar/deadline?" + query.toString()).then(function (answer) {
        forms.busy(deadlineForm, false);
        out.innerHTML = '<p class="notice ok"><strong>' + esc(t("cal.due")) + "</strong> " +
          '<span class="due-at">' + esc(instantIn(answer.due_at, values.tz || "Asia/Jakarta")) + "</span><br>" +
          '<span class="hint">' + esc(t("cal.due.version", { version: answer.calendar_version, iso: answer.due_at })) + "</span></p>";
      }).catch(function (error) {
        forms.busy(deadlineForm, false);
        forms.fail(deadlineForm, error);
      });
    });

    // A year the calendar does not cover is refused beside the year field rather than as a broken page.
    return load().catch(function (error) {
      if (!(error instanceof Desk.ApiError) || error.status === 401) throw error;
      tables.innerHTML = "";
      Desk.showErrors(container.querySelector("#cal-year-form"), error);
    });
  }

  /* ==================================== reference data ================================================= */
  /* Each kind of reference data: how it is listed, the fields of its form (create: only when created;
     clearable: an empty value is sent, to clear it), and where creates, updates and imports go. */
  function entities(lookups) {
    var unitOptions = [["", t("ref.none")]].concat(lookups.units.map(function (u) { return [u.id, u.id + " · " + u.name]; }));
    var lpseOptions = [["", t("ref.sla.all_lpse")]].concat(lookups.lpse.map(function (l) { return [l.id, l.id + " · " + l.name]; }));
    return {
      units: {
        list: "/staff/admin/units", key: "id", create: "/staff/admin/units",
        update: function (item) { return "/staff/admin/units/" + encodeURIComponent(item.id); },
        columns: [["id", "ref.units.id"], ["name", "ref.units.name"], ["kind", "ref.units.kind", function (v) { return t("ref.units.kind." + v); }],
          ["parent", "ref.units.parent"], ["head", "ref.units.head"]],
        fields: [
          { name: "id", label: "ref.units.id", create: true, required: true, hint: "ref.slug.hint" },
          { name: "name", label: "ref.units.name", required: true },
          { name: "kind", label: "ref.units.kind", type: "select", required: true,
            options: ["directorate", "subdit", "lpse", "desk"].map(function (k) { return [k, t("ref.units.kind." + k)]; }) },
          { name: "parent", label: "ref.units.parent", type: "select", options: unitOptions, clearable: true },
          { name: "head", label: "ref.units.head", type: "email", hint: "ref.units.head.hint", clearable: true }
        ]
      },
      lpse: {
        list: "/staff/admin/lpse", key: "id", create: "/staff/admin/lpse",
        update: function (item) { return "/staff/admin/lpse/" + encodeURIComponent(item.id); },
        columns: [["id", "ref.lpse.id"], ["name", "ref.lpse.name"], ["province", "ref.lpse.province"],
          ["time_zone", "ref.lpse.time_zone"], ["service_days", "ref.lpse.service_days"],
          ["active", "ref.lpse.active", function (v) { return t(v ? "sa.yes" : "sa.no"); }],
          ["head", "ref.lpse.head"], ["verifiers", "ref.lpse.verifiers", function (v) { return (v || []).join(", "); }]],
        fields: [
          { name: "id", label: "ref.lpse.id", create: true, required: true, hint: "ref.slug.hint" },
          { name: "name", label: "ref.lpse.name", required: true },
          { name: "province", label: "ref.lpse.province", required: true, hint: "ref.lpse.province.hint" },
          { name: "time_zone", label: "ref.lpse.time_zone", type: "select", required: true,
            options: ZONES.map(function (z) { return [z[0], z[1] + " (" + z[0] + ")"]; }) },
          { name: "service_days", label: "ref.lpse.service_days", type: "number", required: true, attrs: 'min="1" max="60"' },
          { name: "active", label: "ref.lpse.active", type: "checkbox", checked: true }
        ]
      },
      contracts: {
        list: "/staff/admin/contracts", paged: true, key: "number", create: "/staff/admin/contracts",
        update: function (item) { return "/staff/admin/contracts/" + encodeURIComponent(item.number); },
        importPath: "/staff/admin/contracts/import", importHint: "ref.contracts.import.hint",
        columns: [["number", "ref.contracts.number"], ["provider_name", "ref.contracts.provider_name"], ["npwp", "ref.contracts.npwp"],
          ["valid_from", "ref.contracts.valid_from"], ["valid_to", "ref.contracts.valid_to"]],
        fields: [
          { name: "number", label: "ref.contracts.number", create: true, required: true },
          { name: "provider_name", label: "ref.contracts.provider_name", required: true },
          { name: "npwp", label: "ref.contracts.npwp", required: true, hint: "ref.contracts.npwp.hint" },
          { name: "valid_from", label: "ref.contracts.valid_from", type: "date", required: true },
          { name: "valid_to", label: "ref.contracts.valid_to", type: "date", required: true }
        ]
      },
      "sla-policies": {
        list: "/staff/admin/sla-policies", create: "/staff/admin/sla-policies",
        key: function (item) { return item.request_type + (item.lpse_id ? " · " + item.lpse_id : ""); },
        update: function (item) {
          return "/staff/admin/sla-policies/" + encodeURIComponent(item.request_type) +
            (item.lpse_id ? "?lpse_id=" + encodeURIComponent(item.lpse_id) : "");
        },
        columns: [["request_type", "ref.sla.request_type", function (v) { return t("ref.type." + v); }],
          ["lpse_id", "ref.sla.lpse_id", function (v) { return v || t("ref.sla.all_lpse"); }],
          ["working_days", "ref.sla.working_days"],
          ["reminder_fraction", "ref.sla.reminder_fraction", function (v) { return Math.round(Number(v) * 100) + "%"; }],
          ["escalate_to", "ref.sla.escalate_to", function (v) { return t("ref.sla.escalate." + v); }],
          ["source", "ref.sla.source", function (v) { return t("ref.sla.source." + v); }]],
        fields: [
          { name: "request_type", label: "ref.sla.request_type", type: "select", create: true, required: true,
            options: REQUEST_TYPES.map(function (v) { return [v, t("ref.type." + v)]; }) },
          { name: "lpse_id", label: "ref.sla.lpse_id", type: "select", create: true, options: lpseOptions, hint: "ref.sla.lpse_id.hint" },
          { name: "working_days", label: "ref.sla.working_days", type: "number", required: true, attrs: 'min="1" max="60"' },
          { name: "reminder_fraction", label: "ref.sla.reminder_fraction", type: "number", value: "0.7",
            hint: "ref.sla.reminder_fraction.hint", attrs: 'min="0.05" max="0.95" step="0.05"' },
          { name: "escalate_to", label: "ref.sla.escalate_to", type: "select",
            options: ["unit_head", "director", "unit_head_and_director"].map(function (v) { return [v, t("ref.sla.escalate." + v)]; }) }
        ]
      },
      users: {
        list: "/staff/admin/users", key: "email", create: "/staff/admin/users", createLabel: "ref.users.invite",
        update: function (item) { return "/staff/admin/users/" + encodeURIComponent(item.email); },
        columns: [["email", "ref.users.email"], ["name", "ref.users.name"], ["role", "ref.users.role", function (v) { return v ? t("role." + v) : "-"; }],
          ["unit", "ref.users.unit"], ["enabled", "ref.users.enabled", function (v) { return t(v ? "sa.yes" : "sa.no"); }],
          ["status", "ref.users.status"]],
        fields: [
          { name: "email", label: "ref.users.email", type: "email", create: true, required: true, hint: "ref.users.email.hint" },
          { name: "name", label: "ref.users.name", required: true },
          { name: "role", label: "ref.users.role", type: "select", required: true,
            options: ROLES.map(function (r) { return [r, t("role." + r)]; }) },
          { name: "unit", label: "ref.users.unit", type: "select", required: true, options: unitOptions.slice(1) },
          { name: "enabled", label: "ref.users.enabled", type: "checkbox", edit: true, checked: true }
        ]
      },
      transactions: {
        list: "/staff/admin/transactions", paged: true, key: "id", create: null,
        update: function (item) { return "/staff/admin/transactions/" + encodeURIComponent(item.id); },
        importPath: "/staff/admin/transactions/import", importHint: "ref.transactions.import.hint",
        columns: [["id", "ref.transactions.id", null, "nowrap"], ["date", "ref.transactions.date", null, "nowrap"],
          ["buyer_institution", "ref.transactions.buyer_institution"], ["buyer_email", "ref.transactions.buyer_email"],
          ["provider", "ref.transactions.provider"],
          ["amount", "ref.transactions.amount", function (v) {
            var n = Number(v);
            return isNaN(n) ? v : n.toLocaleString(locale(), { style: "currency", currency: "IDR" });
          }, "nowrap amount"]],
        fields: [
          { name: "id", label: "ref.transactions.id", create: true, required: true },
          { name: "date", label: "ref.transactions.date", type: "date", required: true },
          { name: "buyer_institution", label: "ref.transactions.buyer_institution", required: true },
          { name: "buyer_email", label: "ref.transactions.buyer_email", type: "email", required: true },
          { name: "provider", label: "ref.transactions.provider", required: true },
          { name: "provider_email", label: "ref.transactions.provider_email", type: "email" },
          { name: "amount", label: "ref.transactions.amount", required: true, hint: "ref.transactions.amount.hint" }
        ]
      }
    };
  }
  var TABS = ["units", "lpse", "contracts", "sla-policies", "users", "transactions"];

  function keyOf(spec, item) { return typeof spec.key === "function" ? spec.key(item) : String(item[spec.key]); }

  function renderReference(container, ctx, params) {
    var tab = TABS.indexOf(params[0]) >= 0 ? params[0] : "units";
    container.innerHTML = '<h1 tabindex="-1">' + esc(t("ref.title")) + "</h1>" +
      '<p class="lead">' + esc(t("ref.lead")) + "</p>" +
      '<nav aria-label="' + esc(t("ref.tabs")) + '"><ul class="ref-tabs">' + TABS.map(function (name) {
        return '<li><a href="#reference/' + name + '"' + (name === tab ? ' aria-current="page"' : "") + ">" +
          esc(t("ref.tab." + name)) + "</a></li>";
      }).join("") + "</ul></nav>" +
      '<div id="ref-panel"><p>' + esc(t("sa.loading")) + "</p></div>";
    var panel = container.querySelector("#ref-panel");
    var needsUnits = tab === "units" || tab === "users";
    var needsLpse = tab === "sla-policies";
    return Promise.all([
      needsUnits ? ctx.api("GET", "/staff/admin/units") : Promise.resolve({ items: [] }),
      needsLpse ? ctx.api("GET", "/staff/admin/lpse") : Promise.resolve({ items: [] })
    ]).then(function (found) {
      var spec = entities({ units: found[0].items || [], lpse: found[1].items || [] })[tab];
      renderEntity(panel, ctx, tab, spec);
      return loadList(panel, ctx, tab, spec, null);
    });
  }

  function renderEntity(panel, ctx, tab, spec) {
    var prefix = "ref-" + tab;
    var formFields = spec.fields.map(function (f) { return forms.field(f, prefix); }).join("");
    panel.innerHTML =
      '<section aria-labelledby="ref-list-title"><h2 id="ref-list-title">' + esc(t("ref.tab." + tab)) + "</h2>" +
      '<p class="notice" id="ref-message" role="status" tabindex="-1" hidden></p>' +
      '<div id="ref-list"></div><div class="pager" id="ref-pager"></div></section>' +
      '<div class="admin-grid">' +
      '<section aria-labelledby="ref-form-title" id="ref-form-section"' + (spec.create ? "" : " hidden") + ">" +
      '<h2 id="ref-form-title" tabindex="-1"></h2>' +
      '<form id="ref-form" data-error-prefix="' + prefix + '-" novalidate><p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      formFields + '<div class="actions"><button type="submit" id="ref-submit"></button>' +
      '<button type="button" class="secondary" id="ref-cancel" hidden>' + esc(t("ref.cancel")) + "</button></div></form></section>" +
      (spec.importPath ?
        '<section aria-labelledby="ref-import-title"><h2 id="ref-import-title">' + esc(t("ref.import")) + "</h2>" +
        '<p class="hint">' + esc(t(spec.importHint)) + "</p>" +
        '<form id="ref-import-form" novalidate><p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
        forms.field({ id: "ref-import-file", name: "csv", label: "ref.import.file", type: "file",
          attrs: 'accept=".csv,text/csv,text/plain"' }) +
        '<div class="actions"><button type="submit">' + esc(t("ref.import.submit")) + "</button></div></form>" +
        '<div class="report" id="ref-report" aria-live="polite"></div></section>' : "") +
      "</div>";

    var form = panel.querySelector("#ref-form");
    var editing = null;
    function setMode(item) {
      editing = item;
      Desk.clearErrors(form);
      var title = panel.querySelector("#ref-form-title");
      title.textContent = item ? t("ref.edit", { key: keyOf(spec, item) }) : t(spec.createLabel || "ref.create." + tab);
      panel.querySelector("#ref-submit").textContent = t(item ? "ref.save" : (spec.createLabel || "ref.create.submit"));
      panel.querySelector("#ref-cancel").hidden = !item;
      panel.querySelector("#ref-form-section").hidden = !item && !spec.create;
      spec.fields.forEach(function (f) {
        var input = form.elements[f.name];
        var wrap = form.querySelector('[data-field="' + f.name + '"]');
        wrap.hidden = (f.edit && !item);
        if (f.create) { input.disabled = !!item; }
        if (item) {
          var value = item[f.name];
          if (f.type === "checkbox") input.checked = !!value;
          else input.value = value == null ? "" : String(value);
        } else if (f.type === "checkbox") input.checked = f.checked !== false;
        else input.value = f.value != null ? f.value : (f.type === "select" && input.options.length ? input.options[0].value : "");
      });
    }
    setMode(null);
    panel.querySelector("#ref-cancel").addEventListener("click", function () {
      setMode(null);
      var first = form.querySelector("input:not([disabled]), select:not([disabled])");
      if (first) first.focus();
    });
    panel.edit = function (item) {
      setMode(item);
      var section = panel.querySelector("#ref-form-section");
      section.scrollIntoView({ block: "start" });
      var first = form.querySelector("input:not([disabled]), select:not([disabled])");
      (first || panel.querySelector("#ref-form-title")).focus();
    };

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      Desk.clearErrors(form);
      panel.querySelector("#ref-message").hidden = true;
      var body = {};
      spec.fields.forEach(function (f) {
        if (editing && f.create) return;
        if (!editing && f.edit) return;
        var input = form.elements[f.name];
        if (f.type === "checkbox") { body[f.name] = input.checked; return; }
        var value = String(input.value || "").trim();
        if (value === "" && !(editing && f.clearable)) return;
        if (f.type === "number" && value !== "" && !isNaN(Number(value))) body[f.name] = Number(value);
        else body[f.name] = value;
      });
      var request = editing ? ctx.api("PATCH", spec.update(editing), body) : ctx.api("POST", spec.create, body);
      forms.busy(form, true);
      request.then(function (saved) {
        forms.busy(form, false);
        var key = keyOf(spec, saved && typeof saved === "object" ? Object.assign({}, editing || {}, saved) : (editing || body));
        var text = t(editing ? "ref.updated" : "ref.created", { key: key });
        setMode(null);
        return loadList(panel, ctx, tab, spec, null).then(function () {
          var message = panel.querySelector("#ref-message");
          forms.say(message, "ok", text);
          message.focus();
        });
      }).catch(function (error) {
        forms.busy(form, false);
        forms.fail(form, error);
      });
    });

    var importForm = panel.querySelector("#ref-import-form");
    if (importForm) importForm.addEventListener("submit", function (event) {
      event.preventDefault();
      Desk.clearErrors(importForm);
      var report = panel.querySelector("#ref-report");
      report.innerHTML = "";
      panel.querySelector("#ref-message").hidden = true;
      var file = importForm.elements.csv.files[0];
      if (!file) {
        Desk.showErrors(importForm, { message: t("form.fix"), fields: { csv: t("ref.import.choose") } });
        return;
      }
      forms.busy(importForm, true);
      postCsv(ctx, spec.importPath, file).then(function (answer) {
        forms.busy(importForm, false);
        report.innerHTML = reportHtml(answer);
        var heading = report.querySelector("h3");
        if (heading) heading.focus();
        return loadList(panel, ctx, tab, spec, null);
      }).catch(function (error) {
        forms.busy(importForm, false);
        forms.fail(importForm, error);
      });
    });
  }

  function reportHtml(r) {
    var counts = [["ref.report.rows", r.rows], ["ref.report.created", r.created], ["ref.report.updated", r.updated],
      ["ref.report.unchanged", r.unchanged], ["ref.report.rejected", r.rejected_count],
      ["ref.report.duplicates", r.duplicate_count]];
    var html = '<h3 tabindex="-1">' + esc(t("ref.report")) + "</h3>" +
      '<p class="notice ' + (r.rejected_count ? "error" : "ok") + '">' +
      esc(t(r.rejected_count ? "ref.report.some_rejected" : "ref.report.all_kept", { kept: r.kept, rejected: r.rejected_count })) +
      "</p>" +
      '<dl class="data">' + counts.map(function (c) {
        return "<dt>" + esc(t(c[0])) + '</dt><dd data-count="' + c[0].split(".").pop() + '">' + esc(c[1]) + "</dd>";
      }).join("") +
      (r.ignored_columns && r.ignored_columns.length ?
        "<dt>" + esc(t("ref.report.ignored")) + "</dt><dd>" + esc(r.ignored_columns.join(", ")) + "</dd>" : "") +
      "</dl>";
    if ((r.rejected || []).length) {
      html += table("ref.report.rejected_rows", ["ref.report.line", "ref.report.key", "ref.report.reason"],
        r.rejected.map(function (row) {
          var reason = row.fields ? Object.keys(row.fields).map(function (name) {
            return "<li><strong>" + esc(name) + "</strong>: " + esc(row.fields[name]) + "</li>";
          }).join("") : "";
          return '<tr class="rejected-row"><td>' + esc(row.line) + "</td><td>" + esc(row.key || "-") + "</td><td>" +
            (reason ? "<ul>" + reason + "</ul>" : esc(row.reason)) + "</td></tr>";
        }));
      if (r.rejected_count > r.rejected.length) {
        html += "<p>" + esc(t("ref.report.more", { shown: r.rejected.length, total: r.rejected_count })) + "</p>";
      }
    }
    if ((r.duplicates || []).length) {
      html += table("ref.report.duplicate_rows", ["ref.report.line", "ref.report.same_as"],
        r.duplicates.map(function (d) { return "<tr><td>" + esc(d.line) + "</td><td>" + esc(d.same_as_line) + "</td></tr>"; }));
    }
    return html;
  }

  function loadList(panel, ctx, tab, spec, cursor) {
    var path = spec.list + (spec.paged ? "?limit=100" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "") : "");
    return ctx.api("GET", path).then(function (data) {
      var items = data.items || [];
      var list = panel.querySelector("#ref-list");
      var body = items.map(function (item, index) {
        return '<tr data-key="' + esc(keyOf(spec, item)) + '">' + spec.columns.map(function (c, i) {
          var value = c[2] ? c[2](item[c[0]]) : item[c[0]];
          var cell = i === 0 ? "th" : "td";
          return "<" + cell + (i === 0 ? ' scope="row"' : "") + (c[3] ? ' class="' + c[3] + '"' : "") + ">" +
            esc(value == null || value === "" ? "-" : value) + "</" + cell + ">";
        }).join("") + '<td><button type="button" class="secondary small edit-item" data-index="' + index + '" aria-label="' +
          esc(t("ref.edit", { key: keyOf(spec, item) })) + '">' + esc(t("ref.edit.button")) + "</button></td></tr>";
      });
      if (!cursor) {
        list.innerHTML = items.length ? '<div class="table-wrap"><table class="ref-table"><caption>' + esc(t("ref.list.caption." + tab)) +
          "</caption><thead><tr>" + spec.columns.map(function (c) { return '<th scope="col">' + esc(t(c[1])) + "</th>"; }).join("") +
          '<th scope="col">' + esc(t("sa.actions")) + "</th></tr></thead><tbody></tbody></table></div>" :
          '<p class="empty">' + esc(t("sa.empty")) + "</p>";
        list.items = [];
      }
      var tbody = list.querySelector("tbody");
      var offset = list.items.length;
      list.items = list.items.concat(items);
      if (tbody) {
        tbody.insertAdjacentHTML("beforeend", body.join(""));
        tbody.querySelectorAll("button.edit-item:not([data-bound])").forEach(function (button) {
          button.setAttribute("data-bound", "1");
          var item = list.items[offset + Number(button.getAttribute("data-index"))];
          button.addEventListener("click", function () { panel.edit(item); });
        });
      }
      var pager = panel.querySelector("#ref-pager");
      pager.innerHTML = "";
      if (data.next_cursor) {
        pager.innerHTML = '<button type="button" class="secondary">' + esc(t("ref.more")) + "</button>";
        pager.querySelector("button").addEventListener("click", function () {
          loadList(panel, ctx, tab, spec, data.next_cursor);
        });
      }
    });
  }

  Console.register("calendar", { title: "cal.nav", roles: null, nav: true, render: renderCalendar });
  Console.register("reference", { title: "ref.nav", roles: ["admin"], nav: true, render: renderReference });
})();
