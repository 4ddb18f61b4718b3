/* The training organiser's sessions: the list with its seats, a form for a new session, and one session's
   page with its two working days, the participants of the requests accepted into it (each with the
   request it came from), attendance marked per day in one save, and rescheduling or cancelling with a
   reason (everyone booked is told by email). Requests are accepted into a session from the tasks view. */
(function () {
  "use strict";
  var forms = Console.forms; // the form helpers every view shares (console.js)
  function t(key, values) { return Desk.t(key, values); }
  function esc(text) { return Desk.escapeHtml(text); }
  function enc(value) { return encodeURIComponent(value); }
  function locale() { return Desk.i18n.lang === "en" ? "en-GB" : "id-ID"; }
  function label(prefix, value) {
    if (value == null || value === "") return "-";
    var key = prefix + value;
    var text = t(key);
    return text === key ? String(value) : text;
  }

  /* A date of the calendar (YYYY-MM-DD) in words: "Senin, 7 Desember 2026". */
  function dayLabel(iso, short) {
    var d = new Date(String(iso) + "T00:00:00Z");
    if (isNaN(d)) return String(iso || "-");
    var options = { timeZone: "UTC", day: "numeric", month: short ? "short" : "long", year: "numeric" };
    options.weekday = short ? "short" : "long";
    return d.toLocaleDateString(locale(), options);
  }
  /* Today in Jakarta, as the desk counts days. */
  function today() {
    return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
  }
  function money(value) {
    var n = Number(value);
    if (isNaN(n)) return String(value);
    if (n === 0) return t("trn.fee.free");
    return n.toLocaleString(locale(), { style: "currency", currency: "IDR", maximumFractionDigits: 0 });
  }
  function statusBadge(session) {
    var kind = session.status === "cancelled" ? "sla-breached" : "sla-on_time";
    return '<span class="badge ' + kind + '">' + esc(label("trn.status.", session.status)) + "</span>";
  }

  /* A number typed as digits goes as a number; anything else as typed (the API names what is wrong). */
  function numberOrText(value) {
    return /^-?\d+$/.test(value) ? Number(value) : value;
  }

  var flash = null; // {where, text, kind}: shown once by the next render of that page
  function takeFlash(where) {
    if (!flash || flash.where !== where) return "";
    var shown = forms.notice(flash.kind || "ok", flash.text);
    flash = null;
    return shown;
  }

  function render(container, ctx, params) {
    return params[0] ? renderSession(container, ctx, params[0]) : renderList(container, ctx);
  }

  /* ==================================== the list and a new session ===================================== */
  function renderList(container, ctx) {
    container.innerHTML = '<h1 tabindex="-1">' + esc(t("trn.title")) + "</h1>" + takeFlash("sessions") +
      '<p class="lead">' + esc(t("trn.lead")) + "</p>" +
      '<section aria-labelledby="trn-list-title"><h2 id="trn-list-title">' + esc(t("trn.list")) + "</h2>" +
      '<div id="trn-list"><p data-loading>' + esc(t("console.loading")) + "</p></div></section>" +
      '<div class="admin-grid"><section aria-labelledby="trn-new-title"><h2 id="trn-new-title">' + esc(t("trn.new")) + "</h2>" +
      '<p class="hint">' + esc(t("trn.new.lead")) + "</p>" +
      '<form id="trn-new-form" novalidate>' +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      forms.field({ id: "trn-start-date", name: "start_date", label: "trn.start_date", type: "date", required: true,
        hint: "trn.start_date.hint", attrs: 'min="' + today() + '"' }) +
      forms.field({ id: "trn-place", name: "place", label: "trn.place", required: true, hint: "trn.place.hint",
        attrs: 'maxlength="300" autocomplete="off"' }) +
      forms.field({ id: "trn-capacity", name: "capacity", label: "trn.capacity", type: "number", required: true,
        hint: "trn.capacity.hint", attrs: 'min="1" max="10000" step="1" inputmode="numeric"' }) +
      forms.field({ id: "trn-fee", name: "fee", label: "trn.fee", type: "number", value: 0, hint: "trn.fee.hint",
        attrs: 'min="0" step="1000" inputmode="numeric"' }) +
      '<div class="actions"><button type="submit">' + esc(t("trn.new.submit")) + "</button></div></form></section></div>";

    var form = container.querySelector("#trn-new-form");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      Desk.clearErrors(form);
      var values = Desk.formValues(form);
      var body = {};
      ["start_date", "place"].forEach(function (name) { if (values[name] != null) body[name] = values[name]; });
      ["capacity", "fee"].forEach(function (name) { if (values[name] != null) body[name] = numberOrText(values[name]); });
      forms.busy(form, true);
      ctx.api("POST", "/staff/training/sessions", body).then(function (created) {
        flash = { where: "sessions", text: t("trn.created", { id: created.session_id, start: dayLabel(created.start_date),
          end: dayLabel(created.end_date) }) };
        ctx.refresh();
      }, function (error) {
        forms.busy(form, false);
        forms.fail(form, error);
      });
    });

    return ctx.api("GET", "/staff/training/sessions").then(function (answer) {
      var items = (answer && answer.items) || [];
      var list = container.querySelector("#trn-list");
      if (!items.length) { list.innerHTML = '<p class="empty">' + esc(t("trn.empty")) + "</p>"; return; }
      var heads = ["trn.session", "trn.dates", "trn.place", "trn.capacity", "trn.booked", "trn.seats_left", "trn.fee",
        "trn.status"];
      list.innerHTML = '<div class="table-wrap"><table class="ref-table sessions"><caption>' + esc(t("trn.caption")) +
        "</caption><thead><tr>" + heads.map(function (h) { return '<th scope="col">' + esc(t(h)) + "</th>"; }).join("") +
        "</tr></thead><tbody>" + items.map(function (s) {
          return '<tr data-session="' + esc(s.session_id) + '">' +
            '<th scope="row" class="nowrap"><a href="#sessions/' + enc(s.session_id) + '">' + esc(s.session_id) + "</a></th>" +
            '<td class="nowrap" data-start="' + esc(s.start_date) + '">' + esc(dayLabel(s.start_date, true)) + " –<br>" +
            esc(dayLabel(s.end_date, true)) + "</td>" +
            "<td>" + esc(s.place) + "</td>" +
            '<td class="amount">' + esc(s.capacity) + "</td>" +
            '<td class="amount">' + esc(s.booked) + "</td>" +
            '<td class="amount">' + esc(s.seats_left) + "</td>" +
            '<td class="nowrap amount">' + esc(money(s.fee)) + "</td>" +
            "<td>" + statusBadge(s) + "</td></tr>";
        }).join("") + "</tbody></table></div>";
    });
  }

  /* ==================================== one session ===================================================== */
  function renderSession(container, ctx, id) {
    var where = "sessions/" + id;
    container.innerHTML = '<p><a href="#sessions">' + esc(t("trn.back")) + "</a></p>" +
      '<h1 tabindex="-1">' + esc(t("trn.session.title", { id: id })) + "</h1>" + takeFlash(where) +
      '<div class="session-body"><p data-loading>' + esc(t("console.loading")) + "</p></div>";
    return ctx.api("GET", "/staff/training/sessions/" + enc(id)).then(function (s) {
      var body = container.querySelector(".session-body");
      var days = [s.start_date, s.end_date];
      var people = [];
      (s.bookings || []).forEach(function (b) {
        (b.participants || []).forEach(function (p) {
          people.push({ number: b.number, institution: b.institution, person: p });
        });
      });
      var open = s.status === "scheduled";

      var html = '<h2 id="trn-summary-title">' + esc(t("trn.summary")) + "</h2>" +
        '<dl class="data">' +
        "<dt>" + esc(t("trn.status")) + "</dt><dd>" + statusBadge(s) + "</dd>" +
        days.map(function (d, i) {
          return "<dt>" + esc(t("trn.day", { n: i + 1 })) + '</dt><dd data-day="' + esc(d) + '">' + esc(dayLabel(d)) + "</dd>";
        }).join("") +
        "<dt>" + esc(t("trn.place")) + "</dt><dd>" + esc(s.place) + "</dd>" +
        "<dt>" + esc(t("trn.capacity")) + "</dt><dd>" + esc(s.capacity) + "</dd>" +
        "<dt>" + esc(t("trn.booked")) + "</dt><dd>" + esc(s.booked) + "</dd>" +
        "<dt>" + esc(t("trn.seats_left")) + "</dt><dd>" + esc(s.seats_left) + "</dd>" +
        "<dt>" + esc(t("trn.fee")) + "</dt><dd>" + esc(money(s.fee)) + "</dd></dl>";

      html += '<section aria-labelledby="trn-people-title"><h2 id="trn-people-title">' +
        esc(t("trn.participants", { count: people.length })) + "</h2>";
      if (!people.length) {
        html += '<p class="empty">' + esc(t("trn.participants.none")) + "</p>";
      } else {
        html += '<div class="table-wrap"><table class="ref-table participants"><caption>' + esc(t("trn.participants.caption")) +
          "</caption><thead><tr>" +
          ["trn.person", "trn.email", "trn.request"].map(function (h) { return '<th scope="col">' + esc(t(h)) + "</th>"; }).join("") +
          days.map(function (d, i) {
            return '<th scope="col">' + esc(t("trn.day", { n: i + 1 })) + '<br><span class="hint">' + esc(dayLabel(d, true)) + "</span></th>";
          }).join("") +
          '<th scope="col">' + esc(t("trn.trained")) + "</th></tr></thead><tbody>" +
          people.map(function (row) {
            var p = row.person;
            var marks = p.attendance || {};
            return '<tr data-number="' + esc(row.number) + '" data-email="' + esc(p.email) + '">' +
              '<th scope="row">' + esc(p.name) + (p.position ? '<br><span class="hint">' + esc(p.position) + "</span>" : "") + "</th>" +
              "<td>" + esc(p.email) + "</td>" +
              '<td class="nowrap"><a href="#request/' + enc(row.number) + '">' + esc(row.number) + "</a>" +
              (row.institution ? '<br><span class="hint">' + esc(row.institution) + "</span>" : "") + "</td>" +
              days.map(function (d) {
                var mark = marks[d];
                var text = mark === true ? t("trn.present") : mark === false ? t("trn.absent") : t("trn.unmarked");
                var cls = mark === true ? "working-yes" : mark === false ? "working-no" : "";
                return '<td data-day="' + esc(d) + '"' + (cls ? ' class="' + cls + '"' : "") + ">" + esc(text) + "</td>";
              }).join("") +
              "<td>" + esc(t(p.trained ? "trn.yes" : "trn.no")) + "</td></tr>";
          }).join("") + "</tbody></table></div>";
      }
      html += "</section>";

      if (open && people.length) html += attendanceForm(days, people);
      if (open) {
        html += '<div class="admin-grid">' + rescheduleForm(s) + cancelForm() + "</div>";
      } else {
        html += forms.notice("error", t("trn.cancelled.note"));
      }
      html += historyList(s.history || []);
      body.innerHTML = html;
      if (open && people.length) wireAttendance(body, ctx, s, days, people, where);
      if (open) wireChanges(body, ctx, s, where);
    });
  }

  /* -- attendance: one day at a time, every participant present or absent, in one save --------------------- */
  function defaultDay(days) {
    var now = today();
    var chosen = 0;
    days.forEach(function (d, i) { if (d <= now) chosen = i; });
    return chosen;
  }

  function attendanceForm(days, people) {
    var chosen = defaultDay(days);
    return '<section aria-labelledby="trn-att-title"><h2 id="trn-att-title">' + esc(t("trn.attendance")) + "</h2>" +
      '<p class="hint">' + esc(t("trn.attendance.lead")) + "</p>" +
      '<form id="trn-attendance-form" novalidate>' +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      '<fieldset class="filters"><legend>' + esc(t("trn.attendance.day")) + "</legend>" +
      days.map(function (d, i) {
        return '<label class="choice"><input type="radio" name="day" value="' + esc(d) + '"' + (i === chosen ? " checked" : "") +
          ' aria-describedby="day-error"> ' + esc(t("trn.day", { n: i + 1 }) + " · " + dayLabel(d)) + "</label>";
      }).join("") + '<span class="field-error" id="day-error"></span></fieldset>' +
      '<div class="table-wrap"><table class="ref-table attendance"><caption>' + esc(t("trn.attendance.caption")) + "</caption>" +
      '<thead><tr><th scope="col">' + esc(t("trn.person")) + '</th><th scope="col">' + esc(t("trn.request")) +
      '</th><th scope="col">' + esc(t("trn.present")) + "</th></tr></thead><tbody>" +
      people.map(function (row, i) {
        var p = row.person;
        return '<tr data-number="' + esc(row.number) + '" data-email="' + esc(p.email) + '">' +
          '<th scope="row" id="att-' + i + '-who">' + esc(p.name) + '<br><span class="hint">' + esc(p.email) + "</span></th>" +
          "<td>" + esc(row.number) + "</td>" +
          '<td><label class="choice"><input type="checkbox" name="present-' + i + '" id="att-' + i + '"' +
          ' aria-describedby="present-' + i + '-error"> <span>' + esc(t("trn.present")) +
          '<span class="visually-hidden"> ' + esc(p.name) + "</span></span></label>" +
          '<span class="field-error" id="present-' + i + '-error"></span></td></tr>';
      }).join("") + "</tbody></table></div>" +
      '<div class="actions"><button type="submit">' + esc(t("trn.attendance.submit")) + "</button>" +
      '<button type="button" class="secondary small" id="trn-all-present">' + esc(t("trn.attendance.all")) + "</button></div>" +
      "</form></section>";
  }

  function wireAttendance(body, ctx, session, days, people, where) {
    var form = body.querySelector("#trn-attendance-form");
    function chosenDay() { return (form.querySelector("input[name=day]:checked") || {}).value || ""; }
    function fill() {
      var day = chosenDay();
      people.forEach(function (row, i) {
        var mark = (row.person.attendance || {})[day];
        form.elements["present-" + i].checked = mark === true;
      });
    }
    form.querySelectorAll("input[name=day]").forEach(function (radio) { radio.addEventListener("change", fill); });
    fill();
    body.querySelector("#trn-all-present").addEventListener("click", function () {
      people.forEach(function (row, i) { form.elements["present-" + i].checked = true; });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      Desk.clearErrors(form);
      var day = chosenDay();
      if (!day) {
        Desk.showErrors(form, { message: t("form.fix"), fields: { day: t("trn.attendance.choose") } });
        return;
      }
      var records = people.map(function (row, i) {
        return { number: row.number, email: row.person.email, day: day, present: form.elements["present-" + i].checked };
      });
      var present = records.filter(function (r) { return r.present; }).length;
      forms.busy(form, true);
      ctx.api("POST", "/staff/training/sessions/" + enc(session.session_id) + "/attendance", { records: records }).then(function (answer) {
        var trained = (answer && answer.trained) || [];
        flash = { where: where, text: t("trn.attendance.saved", { n: days.indexOf(day) + 1, day: dayLabel(day), present: present,
          total: records.length }) + (trained.length ? " " + t("trn.attendance.trained", { count: trained.length }) : "") };
        ctx.refresh();
      }, function (error) {
        forms.busy(form, false);
        forms.fail(form, attendanceError(error));
      });
    });
  }

  /* The API names records.<i>.<field>: the day once beside the day, a participant's problem beside them. */
  function attendanceError(error) {
    if (!(error instanceof Desk.ApiError)) return error;
    var fields = {};
    Object.keys(error.fields || {}).forEach(function (name) {
      var match = /^records\.(\d+)\.(\w+)$/.exec(name);
      if (!match) { fields[name] = error.fields[name]; return; }
      if (match[2] === "day") { fields.day = error.fields[name]; return; }
      fields["present-" + match[1]] = error.fields[name];
    });
    error.fields = fields;
    return error;
  }

  /* -- reschedule and cancel ---------------------------------------------------------------------------- */
  function rescheduleForm(s) {
    return '<section aria-labelledby="trn-move-title"><h2 id="trn-move-title">' + esc(t("trn.reschedule")) + "</h2>" +
      '<p class="hint">' + esc(t("trn.reschedule.lead")) + "</p>" +
      '<form id="trn-reschedule-form" novalidate>' +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      forms.field({ id: "trn-move-start", name: "start_date", label: "trn.new_start", type: "date", required: true,
        hint: "trn.start_date.hint", attrs: 'min="' + today() + '"' }) +
      forms.field({ id: "trn-move-place", name: "place", label: "trn.new_place", hint: "trn.new_place.hint",
        attrs: 'maxlength="300" autocomplete="off" placeholder="' + esc(s.place) + '"' }) +
      forms.field({ id: "trn-move-reason", name: "reason", label: "trn.reason", type: "textarea", required: true,
        hint: "trn.reason.hint", attrs: 'maxlength="2000"' }) +
      '<div class="actions"><button type="submit">' + esc(t("trn.reschedule.submit")) + "</button></div></form></section>";
  }

  function cancelForm() {
    return '<section aria-labelledby="trn-cancel-title"><h2 id="trn-cancel-title">' + esc(t("trn.cancel")) + "</h2>" +
      '<p class="hint">' + esc(t("trn.cancel.lead")) + "</p>" +
      '<form id="trn-cancel-form" novalidate>' +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      forms.field({ id: "trn-cancel-reason", name: "cancel_reason", label: "trn.reason", type: "textarea", required: true,
        hint: "trn.reason.hint", attrs: 'maxlength="2000"' }) +
      '<div class="actions"><button type="submit" class="secondary">' + esc(t("trn.cancel.submit")) + "</button></div></form></section>";
  }

  function wireChanges(body, ctx, s, where) {
    var path = "/staff/training/sessions/" + enc(s.session_id);
    var move = body.querySelector("#trn-reschedule-form");
    move.addEventListener("submit", function (event) {
      event.preventDefault();
      Desk.clearErrors(move);
      var payload = Desk.formValues(move);
      if (!payload.start_date || !payload.reason) {
        var missing = {};
        if (!payload.start_date) missing.start_date = t("form.required");
        if (!payload.reason) missing.reason = t("form.required");
        Desk.showErrors(move, { message: t("form.fix"), fields: missing });
        return;
      }
      if (!window.confirm(t("trn.reschedule.confirm", { id: s.session_id, start: dayLabel(payload.start_date), booked: s.booked }))) return;
      forms.busy(move, true);
      ctx.api("POST", path + "/reschedule", payload).then(function (moved) {
        flash = { where: where, text: t("trn.rescheduled", { start: dayLabel(moved.start_date), end: dayLabel(moved.end_date) }) };
        ctx.refresh();
      }, function (error) {
        forms.busy(move, false);
        forms.fail(move, error);
      });
    });

    var stop = body.querySelector("#trn-cancel-form");
    stop.addEventListener("submit", function (event) {
      event.preventDefault();
      Desk.clearErrors(stop);
      var reason = String(stop.elements.cancel_reason.value || "").trim();
      if (!reason) {
        Desk.showErrors(stop, { message: t("form.fix"), fields: { cancel_reason: t("form.required") } });
        return;
      }
      if (!window.confirm(t("trn.cancel.confirm", { id: s.session_id, booked: s.booked }))) return;
      forms.busy(stop, true);
      ctx.api("POST", path + "/cancel", { reason: reason }).then(function () {
        flash = { where: where, text: t("trn.cancelled") };
        ctx.refresh();
      }, function (error) {
        forms.busy(stop, false);
        if (error instanceof Desk.ApiError && error.fields && error.fields.reason) {
          error.fields = { cancel_reason: error.fields.reason };
        }
        forms.fail(stop, error);
      });
    });
  }

  /* -- the session's history ---------------------------------------------------------------------------- */
  function historyList(history) {
    if (!history.length) return "";
    return '<section aria-labelledby="trn-history-title"><h2 id="trn-history-title">' + esc(t("trn.history")) + "</h2>" +
      '<ol class="timeline">' + history.map(function (h) {
        var detail = "";
        if (h.kind === "created" && h.start_date) detail = t("trn.history.starts", { start: dayLabel(h.start_date) });
        if (h.kind === "rescheduled" && h.from && h.to) {
          detail = t("trn.history.moved", { from: dayLabel(h.from[0]), to: dayLabel(h.to[0]) }) +
            (h.place ? " · " + h.place : "");
        }
        return '<li data-kind="' + esc(h.kind) + '"><strong>' + esc(label("trn.history.", h.kind)) + "</strong>" +
          (detail ? " — " + esc(detail) : "") +
          '<br><span class="meta">' + esc(Desk.formatDate(h.at)) + (h.by ? " · " + esc(h.by) : "") + "</span>" +
          (h.reason ? '<br><span style="white-space:pre-wrap">' + esc(t("trn.history.reason", { reason: h.reason })) + "</span>" : "") +
          "</li>";
      }).join("") + "</ol></section>";
  }

  Console.register("sessions", { title: "trn.nav", roles: ["training"], nav: true, render: render });
})();
