/* The work views of the staff console: the queue, one request (data, documents, timeline, replies and the
   actions the role may take), and the workflow steps waiting for me with their decision forms. */
(function () {
  "use strict";
  var forms = Console.forms; // the form helpers every view shares (console.js)
  function t(key, values) { return Desk.t(key, values); }
  function esc(text) { return Desk.escapeHtml(text); }
  function label(prefix, value) {
    if (value == null || value === "") return "-";
    var key = prefix + value;
    var text = t(key);
    return text === key ? String(value) : text;
  }
  function enc(value) { return encodeURIComponent(value); }
  function daysLeft(value) {
    if (value == null || value === "") return "-";
    var n = Number(value);
    if (isNaN(n)) return String(value);
    return n.toLocaleString(Desk.i18n.lang === "en" ? "en-GB" : "id-ID", { maximumFractionDigits: 1 });
  }
  function slaBadge(sla) {
    if (!sla || !sla.state) return "-";
    return '<span class="badge sla-' + esc(sla.state) + '">' + esc(label("sla.", sla.state)) + "</span>";
  }
  var flash = null; // {where, text}: a notice shown once by the next render of that view

  function takeFlash(where) {
    if (!flash || flash.where !== where) return "";
    var text = flash.text; flash = null;
    return forms.notice("ok", text);
  }

  /* -- the queue ----------------------------------------------------------------------------------- */
  var QUEUE_STATUSES = ["submitted", "in_progress", "waiting_requester", "answered"];
  var queueState = { status: "", mine: false, cursors: [null], page: 0 };

  function queuePath() {
    var query = new URLSearchParams();
    if (queueState.status) query.set("status", queueState.status);
    if (queueState.mine) query.set("assignee", "me");
    var cursor = queueState.cursors[queueState.page];
    if (cursor) query.set("cursor", cursor);
    var text = query.toString();
    return "/staff/queue" + (text ? "?" + text : "");
  }

  /* Unit id → name, for showing units as people know them ({} when the list cannot be read). */
  function unitNamesById(ctx) {
    return Console.units(ctx).then(function (units) {
      var byId = {};
      units.forEach(function (u) { byId[u.id] = u.name; });
      return byId;
    }, function () { return {}; });
  }

  function renderQueue(container, ctx) {
    container.innerHTML = '<h1 tabindex="-1">' + esc(t("queue.title")) + "</h1>" +
      '<p class="lead">' + esc(t("queue.lead")) + "</p>" +
      '<form class="filters" id="queue-filters" aria-label="' + esc(t("queue.filters")) + '">' +
      '<div class="field"><label for="queue-status">' + esc(t("queue.status")) + "</label>" +
      '<select id="queue-status" name="status"><option value="">' + esc(t("queue.status.all")) + "</option>" +
      QUEUE_STATUSES.map(function (s) {
        return '<option value="' + s + '"' + (queueState.status === s ? " selected" : "") + ">" + esc(label("status.", s)) + "</option>";
      }).join("") + "</select></div>" +
      '<label class="choice"><input type="checkbox" name="mine" id="queue-mine"' + (queueState.mine ? " checked" : "") + "> " +
      esc(t("queue.mine")) + "</label>" +
      '<button type="submit" class="secondary small">' + esc(t("queue.apply")) + "</button></form>" +
      '<div class="queue-body"><p data-loading>' + esc(t("console.loading")) + "</p></div>";
    var form = container.querySelector("#queue-filters");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      queueState = { status: form.elements.status.value, mine: form.elements.mine.checked, cursors: [null], page: 0 };
      ctx.refresh();
    });
    var heads = ["queue.number", "queue.sla", "queue.days_left", "queue.due", "queue.type", "queue.status",
      "queue.step", "queue.subject", "queue.unit", "queue.assignee"];
    var unitNames = unitNamesById(ctx);
    return Promise.all([ctx.api("GET", queuePath()), unitNames]).then(function (found) {
      var answer = found[0];
      var body = container.querySelector(".queue-body");
      var items = (answer && answer.items) || [];
      // Each cell names its column, so on a phone a row reads as a card (console.css).
      var cell = function (index, html, className) {
        return "<td" + (className ? ' class="' + className + '"' : "") + ' data-label="' + esc(t(heads[index])) + '">' + html + "</td>";
      };
      var rows = items.map(function (item) {
        var sla = item.sla || {};
        return "<tr>" +
          cell(0, '<a href="#request/' + enc(item.number) + '">' + esc(item.number) + "</a>", "number") +
          cell(1, slaBadge(sla)) +
          cell(2, esc(daysLeft(sla.working_days_left))) +
          cell(3, esc(sla.due_at ? Desk.formatDate(sla.due_at, sla.tz) : "-")) +
          cell(4, esc(label("type.", item.type))) +
          cell(5, esc(label("status.", item.status))) +
          cell(6, esc(label("step.", item.step))) +
          cell(7, esc(item.subject || "")) +
          cell(8, esc(found[1][item.unit] || item.unit || "")) +
          cell(9, esc(item.assignee || "-")) + "</tr>";
      }).join("");
      var pager = "";
      if (answer.next_cursor || queueState.page > 0) {
        pager = '<nav class="pager actions" aria-label="' + esc(t("queue.page", { page: queueState.page + 1 })) + '">' +
          (queueState.page > 0 ? '<button type="button" class="secondary small" data-page="first">' + esc(t("queue.first")) + "</button>" : "") +
          "<span>" + esc(t("queue.page", { page: queueState.page + 1 })) + "</span>" +
          (answer.next_cursor ? '<button type="button" class="small" data-page="next">' + esc(t("queue.next")) + "</button>" : "") +
          "</nav>";
      }
      body.innerHTML = items.length
        ? '<div class="table-wrap" role="region" tabindex="0" aria-label="' + esc(t("table.scroll")) + '"><table class="queue"><caption class="visually-hidden">' + esc(t("queue.caption")) + "</caption>" +
          "<thead><tr>" + heads.map(function (h) { return '<th scope="col">' + esc(t(h)) + "</th>"; }).join("") + "</tr></thead>" +
          "<tbody>" + rows + "</tbody></table></div>" + pager
        : "<p>" + esc(t("queue.empty")) + "</p>" + pager;
      var next = body.querySelector("[data-page=next]");
      if (next) next.addEventListener("click", function () {
        queueState.cursors[queueState.page + 1] = answer.next_cursor;
        queueState.page += 1;
        ctx.refresh();
      });
      var first = body.querySelector("[data-page=first]");
      if (first) first.addEventListener("click", function () {
        queueState.page = 0; queueState.cursors = [null];
        ctx.refresh();
      });
    });
  }

  /* -- one request --------------------------------------------------------------------------------- */
  var FINAL = ["closed", "rejected", "forwarded"];

  function mayWork(user, request) {
    if (user.role === "helpdesk") return true;
    if (user.unit && user.unit === request.unit) return true;
    var disposed = ((request.details || {}).disposition || {}).units || [];
    if (user.unit && disposed.indexOf(user.unit) >= 0) return true;
    return !!(user.email && request.assignee === user.email);
  }

  /* Requests a workflow runs: their steps answer and end them (lifecycle.py, WORKFLOW_TYPES). */
  var WORKFLOW_TYPES = ["letter", "registration", "training"];
  function workflowRuns(request) {
    return WORKFLOW_TYPES.indexOf(request.type) >= 0 && FINAL.indexOf(request.status) < 0;
  }

  /* The actions the status allows (lifecycle.py); verify only for payment proofs. */
  function actionsFor(request) {
    var status = request.status;
    if (FINAL.indexOf(status) >= 0) return [];
    if (workflowRuns(request)) return ["assign"];
    var list = ["assign", "transfer"];
    if (status === "submitted" || status === "in_progress") list.push("hold");
    if (status === "waiting_requester") list.push("resume");
    list.push("forward");
    if (status !== "answered") list.push("resolve");
    list.push("close", "reject");
    if (status !== "answered") list.push("extend");
    return list;
  }
  var ACTION_FIELDS = {
    assign: ["assignee"], hold: ["reason"], resume: ["reason"], transfer: ["unit", "reason"], forward: ["to", "reason"], resolve: ["reason"],
    close: ["reason"], reject: ["reason"], extend: ["working_days", "reason"]
  };

  function valueText(value) {
    if (value == null) return "-";
    if (typeof value === "object") return JSON.stringify(value, null, 1);
    return String(value);
  }
  /* A short detail of a timeline event: where it went, to whom, how many days. */
  function eventDetail(e, unitNames) {
    var d = e.data || {};
    if (e.kind === "mail_sent" || e.kind === "mail_failed") {
      return [].concat(d.to || []).join(", ") + (d.purpose ? " (" + label("event.", d.purpose) + ")" : "");
    }
    if (e.kind === "forwarded") return d.to ? "→ " + d.to : "";
    if (e.kind === "transferred") return (d.to ? "→ " + ((unitNames || {})[d.to] || d.to) : "") + (d.reason ? " · " + d.reason : "");
    if (e.kind === "assigned") return d.assignee || "";
    if (e.kind === "extended") return d.working_days ? t("event.plus_days", { days: d.working_days }) : "";
    if (e.kind === "step") return d.step ? label("step.", d.step) : "";
    return "";
  }
  /* A stored value as people read it: instants as dates in the request's zone (WIB unless told), lists
     and objects as short text. */
  function readable(value, tz) {
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return Desk.formatDate(value, tz);
    if (typeof value === "boolean") return value ? "✓" : "✗";
    return value;
  }
  function dataList(pairs) {
    return '<dl class="data">' + pairs.map(function (p) {
      return "<dt>" + esc(p[0]) + "</dt><dd>" + (p[2] ? p[1] : esc(valueText(p[1]))) + "</dd>";
    }).join("") + "</dl>";
  }

  function renderRequest(container, ctx, params) {
    var number = params[0] || "";
    var shown = takeFlash("request/" + number);
    container.innerHTML = '<p><a href="#queue">' + esc(t("request.back")) + "</a></p>" +
      '<h1 tabindex="-1">' + esc(t("request.title", { number: number })) + "</h1>" + shown +
      '<div class="request-body"><p data-loading>' + esc(t("console.loading")) + "</p></div>";
    var names = unitNamesById(ctx);
    return Promise.all([ctx.api("GET", "/staff/tickets/" + enc(number)), names]).then(function (found) {
      var r = found[0];
      var units = found[1];
      var unitName = function (id) { return units[id] || id || "-"; };
      var body = container.querySelector(".request-body");
      var personal = function (key, value) {
        if (key === "lpse_id") return unitName(value);
        if (key === "applicant_type") return label("applicant.", value);
        return readable(value, r.tz);
      };
      var sla = r.sla || {};
      var html = "<h2>" + esc(t("request.summary")) + "</h2>" + dataList([
        [t("request.subject"), r.subject || "-"],
        [t("request.status"), label("status.", r.status)],
        [t("request.type"), label("type.", r.type)],
        [t("request.step"), label("step.", r.step)],
        [t("request.channel"), label("channel.", r.channel)],
        [t("request.created"), r.created_at ? Desk.formatDate(r.created_at, r.tz) : "-"],
        [t("request.sla"), slaBadge(sla) + (sla.working_days_left != null ? " " + esc(t("sla.days_left", { days: daysLeft(sla.working_days_left) })) : ""), true],
        [t("request.due"), sla.due_at ? Desk.formatDate(sla.due_at, r.tz) : "-"],
        [t("request.unit"), unitName(r.unit)],
        [t("request.assignee"), r.assignee || "-"]
      ].concat(r.confidential ? [[t("request.confidential"), "✓"]] : []));

      html += "<h2>" + esc(t("request.message")) + "</h2>" +
        (r.body == null ? forms.notice("error", t("request.hidden")) : '<p class="message" style="white-space:pre-wrap">' + esc(r.body) + "</p>");

      var requester = r.requester || {};
      html += "<h2>" + esc(t("request.requester")) + "</h2>" +
        (requester.anonymous && Object.keys(requester).length === 1 ? "<p>" + esc(t("request.anonymous")) + "</p>"
          : dataList(Object.keys(requester).map(function (k) { return [label("requester.", k), personal(k, requester[k])]; })));

      var details = r.details || {};
      var detailKeys = Object.keys(details);
      if (detailKeys.length) {
        html += "<h2>" + esc(t("request.details")) + "</h2>" + dataList(detailKeys.map(function (k) {
          return [label("detail.", k), personal(k, details[k])];
        }));
      }

      var documents = r.documents || [];
      html += "<h2>" + esc(t("request.documents")) + "</h2>" + (documents.length ? '<ul class="documents">' + documents.map(function (d) {
        var name = (d.filename || d.upload_id) + " (" + label("purpose.", d.purpose) + ")";
        return "<li>" + (d.url ? '<a href="' + esc(d.url) + '" download>' + esc(name) + "</a>"
          : esc(name) + " — " + esc(t("request.document_pending"))) + "</li>";
      }).join("") + "</ul>" : "<p>" + esc(t("request.no_documents")) + "</p>");

      var timeline = r.timeline || [];
      var conversation = timeline.filter(function (e) { return ["replied", "note", "requester_wrote"].indexOf(e.kind) >= 0 && e.text; });
      html += "<h2>" + esc(t("request.replies")) + "</h2>" + (conversation.length ? conversation.map(function (e) {
        var who = e.kind === "note" ? t("request.internal_note") : e.kind === "replied" ? t("request.to_requester") : t("request.from_requester");
        return '<article class="reply' + (e.kind === "note" ? " internal" : "") + '"><p class="meta">' + esc(who) + " · " +
          esc(Desk.formatDate(e.at, r.tz)) + (e.actor && e.actor !== "requester" ? " · " + esc(label("actor.", e.actor)) : "") + "</p>" +
          '<p style="white-space:pre-wrap">' + esc(e.text) + "</p></article>";
      }).join("") : "<p>" + esc(t("request.no_replies")) + "</p>");

      html += "<h2>" + esc(t("request.timeline")) + '</h2><ol class="timeline">' + timeline.map(function (e) {
        var extra = eventDetail(e, units);
        return '<li data-kind="' + esc(e.kind) + '"><strong>' + esc(label("event.", e.kind)) + "</strong>" +
          (e.public === false ? ' <span class="badge">' + esc(t("event.internal")) + "</span>" : "") +
          (extra ? " — " + esc(extra) : "") +
          '<br><span class="meta">' + esc(Desk.formatDate(e.at, r.tz)) + (e.actor ? " · " + esc(t("event.by", { actor: label("actor.", e.actor) })) : "") + "</span>" +
          (e.text ? '<br><span style="white-space:pre-wrap">' + esc(e.text) + "</span>" : "") + "</li>";
      }).join("") + "</ol>";

      html += '<section aria-labelledby="actions-title"><h2 id="actions-title">' + esc(t("request.actions")) + "</h2>";
      var working = mayWork(ctx.user, r);
      var final = FINAL.indexOf(r.status) >= 0;
      if (final) html += "<p>" + esc(t("request.final")) + "</p>";
      else if (!working) html += "<p>" + esc(t("request.view_only")) + "</p>";
      else html += (workflowRuns(r) ? '<p class="notice">' + esc(t("request.workflow_owned")) + "</p>" : "") +
        '<div class="act-forms">' + replyForm(workflowRuns(r)) + actionForm(actionsFor(r), units) +
        (r.type === "payment_proof" ? verifyForm() : "") + "</div>";
      html += "</section>";

      var audit = r.audit || [];
      if (audit.length) {
        html += "<details><summary>" + esc(t("request.audit")) + '</summary><div class="table-wrap"><table><thead><tr>' +
          '<th scope="col">' + esc(t("audit.at")) + '</th><th scope="col">' + esc(t("audit.actor")) +
          '</th><th scope="col">' + esc(t("audit.kind")) + "</th></tr></thead><tbody>" +
          audit.map(function (a) {
            return "<tr><td>" + esc(Desk.formatDate(a.at, r.tz)) + "</td><td>" + esc(label("actor.", a.actor)) + "</td><td>" + esc(label("event.", a.kind)) + "</td></tr>";
          }).join("") + "</tbody></table></div></details>";
      }
      body.innerHTML = html;
      if (working && !final) wireRequestForms(body, ctx, r);
    });
  }

  /* The reply form; on a request a workflow runs, only an internal note (its steps answer the requester). */
  function replyForm(notesOnly) {
    return '<form id="reply-form" novalidate aria-labelledby="reply-title"><h3 id="reply-title">' + esc(t("reply.title")) + "</h3>" +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      forms.field({ id: "reply-text", name: "text", label: "reply.text", type: "textarea", attrs: "required" }) +
      '<label class="choice"><input type="checkbox" id="reply-internal" name="internal"' + (notesOnly ? " checked disabled" : "") + "> " +
      esc(t("reply.internal")) + "</label>" +
      (notesOnly ? "" : forms.field({ id: "reply-status", name: "status", label: "reply.then", type: "select",
        options: ["", "answered", "waiting_requester"].map(function (v) { return [v, t("reply.then." + (v || "none"))]; }) })) +
      '<div class="actions"><button type="submit">' + esc(t("reply.send")) + "</button></div></form>";
  }

  function actionForm(actions, units) {
    if (!actions.length) return "";
    return '<form id="action-form" novalidate aria-labelledby="action-title"><h3 id="action-title">' + esc(t("request.actions")) + "</h3>" +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      '<fieldset><legend>' + esc(t("request.actions")) + "</legend>" + actions.map(function (a, i) {
        return '<label class="choice"><input type="radio" name="action" value="' + a + '"' +
          ' aria-describedby="action-help-' + a + '"> <span>' + esc(t("action." + a)) +
          '<span class="hint" id="action-help-' + a + '">' + esc(t("action." + a + ".help")) + "</span></span></label>";
      }).join("") + '<span class="field-error" id="action-error"></span></fieldset>' +
      '<div data-for="assignee">' + forms.field({ id: "act-assignee", name: "assignee", label: "action.assignee", type: "email",
        attrs: 'autocomplete="off"' }) + "</div>" +
      '<div data-for="unit">' + forms.field({ id: "act-unit", name: "unit", label: "action.unit", type: "select",
        options: [["", "-"]].concat(Object.keys(units || {}).sort().map(function (id) { return [id, units[id]]; })) }) + "</div>" +
      '<div data-for="to">' + forms.field({ id: "act-to", name: "to", label: "action.to" }) + "</div>" +
      '<div data-for="working_days">' + forms.field({ id: "act-working-days", name: "working_days", label: "action.working_days",
        type: "number", attrs: 'min="1" max="30" step="1"' }) + "</div>" +
      '<div data-for="reason">' + forms.field({ id: "act-reason", name: "reason", label: "action.reason", type: "textarea" }) + "</div>" +
      '<div class="actions"><button type="submit">' + esc(t("action.submit")) + "</button></div></form>";
  }

  function verifyForm() {
    return '<form id="verify-form" novalidate aria-labelledby="verify-title"><h3 id="verify-title">' + esc(t("action.verify")) + "</h3>" +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      '<p class="hint">' + esc(t("action.verify.help")) + "</p>" +
      '<div class="actions"><button type="submit">' + esc(t("action.verify")) + "</button></div></form>";
  }

  function wireRequestForms(body, ctx, r) {
    var where = "request/" + r.number;
    function done() { flash = { where: where, text: t("request.done") }; ctx.refresh(); }
    function send(form, path, payload) {
      Desk.clearErrors(form);
      forms.busy(form, true);
      return ctx.api("POST", path, payload).then(done, function (error) {
        forms.busy(form, false);
        forms.fail(form, error);
      });
    }
    var reply = body.querySelector("#reply-form");
    reply.addEventListener("submit", function (event) {
      event.preventDefault();
      var payload = { text: reply.elements.text.value.trim(), internal: reply.elements.internal.checked };
      if (reply.elements.status && reply.elements.status.value) payload.status = reply.elements.status.value;
      if (!payload.text) {
        Desk.showErrors(reply, { message: t("form.fix"), fields: { text: t("form.required") } });
        return;
      }
      send(reply, "/staff/tickets/" + enc(r.number) + "/replies", payload);
    });
    var acts = body.querySelector("#action-form");
    if (acts) {
      var showFields = function () {
        var chosen = (acts.querySelector("input[name=action]:checked") || {}).value;
        var wanted = ACTION_FIELDS[chosen] || [];
        acts.querySelectorAll("[data-for]").forEach(function (box) {
          box.hidden = wanted.indexOf(box.getAttribute("data-for")) < 0;
        });
      };
      acts.querySelectorAll("input[name=action]").forEach(function (radio) { radio.addEventListener("change", showFields); });
      showFields();
      acts.addEventListener("submit", function (event) {
        event.preventDefault();
        var chosen = (acts.querySelector("input[name=action]:checked") || {}).value;
        if (!chosen) {
          Desk.showErrors(acts, { message: t("form.fix"), fields: { action: t("action.choose") } });
          return;
        }
        var payload = { action: chosen };
        (ACTION_FIELDS[chosen] || []).forEach(function (name) {
          var value = acts.elements[name].value.trim();
          if (!value) return;
          payload[name] = name === "working_days" ? Number(value) : value;
        });
        send(acts, "/staff/tickets/" + enc(r.number) + "/actions", payload);
      });
    }
    var verify = body.querySelector("#verify-form");
    if (verify) verify.addEventListener("submit", function (event) {
      event.preventDefault();
      send(verify, "/staff/tickets/" + enc(r.number) + "/actions", { action: "verify" });
    });
  }

  /* -- tasks: the steps waiting for me ------------------------------------------------------------- */
  /* The decision table of approvals/steps.py: each step's decisions and its own fields. A field with
     "when" is asked only for those decisions. */
  var INSTRUCTIONS = ["tindak_lanjuti", "siapkan_jawaban", "untuk_diketahui", "koordinasikan"];
  var STEPS = {
    "letter:disposition": {
      decisions: ["dispose", "answer_directly", "for_information"],
      fields: [
        { name: "subdits", kind: "units", when: ["dispose"], required: true },
        { name: "instruction", kind: "select", options: INSTRUCTIONS, when: ["dispose"], required: true },
        { name: "notes", kind: "textarea" }
      ]
    },
    "letter:subdit_answer": {
      decisions: ["submit_draft"],
      fields: [
        { name: "draft_upload_id", kind: "file", purpose: "draft_answer", required: true },
        { name: "summary", kind: "textarea", required: true }
      ]
    },
    "letter:signature": {
      decisions: ["sign", "return"],
      signInOnly: true,
      fields: [
        { name: "signed_upload_id", kind: "file", purpose: "signed_letter", when: ["sign"] },
        { name: "notes", kind: "textarea", requiredWhen: ["return"] }
      ]
    },
    "letter:dispatch": {
      decisions: ["fax", "courier"],
      fields: [
        { name: "fax_number", kind: "text", when: ["fax"], required: true },
        { name: "sent_at", kind: "datetime", when: ["fax"], required: true },
        { name: "courier", kind: "text", when: ["courier"], required: true },
        { name: "tracking_number", kind: "text", when: ["courier"], required: true }
      ]
    },
    "letter:confirmation": {
      decisions: ["confirmed", "unreachable"],
      fields: [{ name: "notes", kind: "textarea" }]
    },
    "registration:verification": {
      decisions: ["approve", "reject"],
      fields: [{ name: "reason", kind: "textarea", when: ["reject"], required: true }]
    },
    "training:reply": {
      decisions: ["accept", "decline"],
      fields: [
        { name: "session_id", kind: "sessions", when: ["accept"] },
        { name: "start_date", kind: "date", when: ["accept"] },
        { name: "place", kind: "text", when: ["accept"] },
        { name: "capacity", kind: "number", when: ["accept"], min: 1 },
        { name: "fee", kind: "number", when: ["accept"], min: 0 },
        { name: "reason", kind: "textarea", when: ["decline"], required: true }
      ]
    }
  };

  function stepField(spec, sessions, subdits) {
    var id = "task-" + spec.name.replace(/_/g, "-");
    var name = spec.name;
    var title = t("field." + name) + (spec.required ? "" : spec.requiredWhen ? "" : " (" + t("field.optional") + ")");
    if (spec.kind === "units") {
      var error = '<span class="field-error" id="' + name + '-error"></span>';
      return '<div class="step-field" data-field="' + name + '"><fieldset><legend>' + esc(title) + "</legend>" + (subdits || []).map(function (unit) {
        return '<label class="choice"><input type="checkbox" name="subdits" value="' + esc(unit.id) + '"> ' + esc(unit.name) + "</label>";
      }).join("") + error + "</fieldset></div>";
    }
    var field = { id: id, name: name, labelText: title };
    if (spec.kind === "select") {
      field.type = "select";
      field.options = [["", t("field.instruction.none")]].concat(spec.options.map(function (o) { return [o, label("instruction.", o)]; }));
    } else if (spec.kind === "sessions") {
      field.type = "select";
      field.options = [["", t("field.session_id.none")]].concat((sessions || []).map(function (s) {
        return [s.session_id, s.session_id + " · " + s.start_date + " · " + s.place + " · " + s.seats_left + "/" + s.capacity];
      }));
    } else if (spec.kind === "file") {
      field.type = "file";
      field.purpose = spec.purpose;
      field.attrs = 'accept="application/pdf,image/jpeg,image/png"';
    } else {
      field.type = { datetime: "datetime-local", date: "date", number: "number", textarea: "textarea" }[spec.kind] || "text";
      if (spec.min != null) field.attrs = 'min="' + spec.min + '" step="1"';
    }
    return forms.field(field);
  }

  function renderTasks(container, ctx, params) {
    var selected = params[0] || "";
    var shown = takeFlash("tasks");
    container.innerHTML = '<h1 tabindex="-1">' + esc(t("tasks.title")) + "</h1>" + shown +
      '<p class="lead">' + esc(t("tasks.lead")) + "</p>" +
      '<div class="tasks-body"><p data-loading>' + esc(t("console.loading")) + "</p></div>";
    return ctx.api("GET", "/staff/tasks").then(function (answer) {
      var items = (answer && answer.items) || [];
      var body = container.querySelector(".tasks-body");
      if (!items.length) { body.innerHTML = "<p>" + esc(t("tasks.empty")) + "</p>"; return; }
      var chosen = items.filter(function (task) { return task.task_id === selected; })[0] || (items.length === 1 ? items[0] : null);
      body.innerHTML = '<ul class="tasks">' + items.map(function (task) {
        var open = chosen && chosen.task_id === task.task_id;
        return '<li class="task" data-task="' + esc(task.task_id) + '" data-number="' + esc(task.number) + '" data-step="' + esc(task.step) + '">' +
          '<h2 class="visually-hidden">' + esc(task.number + " · " + label("taskstep.", task.step)) + "</h2>" +
          "<h3>" + esc(label("taskstep.", task.step)) + "</h3>" +
          '<p class="meta"><a href="#request/' + enc(task.number) + '">' + esc(task.number) + "</a>" +
          (task.subject ? " · " + esc(task.subject) : "") + " · " + esc(t("tasks.due")) + ": " + esc(Desk.formatDate(task.due_at, task.tz)) +
          (task.reminded ? ' · <span class="badge sla-at_risk">' + esc(t("tasks.reminded")) + "</span>" : "") +
          (task.escalated ? ' · <span class="badge sla-breached">' + esc(t("tasks.escalated")) + "</span>" : "") + "</p>" +
          (open ? '<div class="decision-slot"></div>'
            : '<p><a class="button secondary small" href="#tasks/' + enc(task.task_id) + '">' + esc(t("tasks.decision")) +
              '<span class="visually-hidden"> ' + esc(task.number) + "</span></a></p>") + "</li>";
      }).join("") + "</ul>";
      if (!chosen) return;
      var slot = body.querySelector('[data-task="' + CSS.escape(chosen.task_id) + '"] .decision-slot');
      var spec = STEPS[chosen.step];
      if (!spec) { slot.innerHTML = forms.notice("error", chosen.step); return; }
      var needsSessions = spec.fields.some(function (f) { return f.kind === "sessions"; });
      var sessions = needsSessions
        ? ctx.api("GET", "/staff/training/sessions").then(function (a) {
          return ((a && a.items) || []).filter(function (s) { return s.status !== "cancelled"; });
        }, function () { return []; })
        : Promise.resolve([]);
      var needsUnits = spec.fields.some(function (f) { return f.kind === "units"; });
      var subdits = needsUnits
        ? Console.units(ctx).then(function (all) { return all.filter(function (u) { return u.kind === "subdit"; }); })
        : Promise.resolve([]);
      return Promise.all([sessions, subdits]).then(function (found) {
        decisionForm(slot, ctx, chosen, spec, found[0], found[1]);
      });
    });
  }

  function decisionForm(slot, ctx, task, spec, sessions, subdits) {
    var single = spec.decisions.length === 1;
    slot.innerHTML = '<form id="decision-form" novalidate>' +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      (spec.signInOnly ? '<p class="hint">' + esc(t("tasks.sign_in_only")) + "</p>" : "") +
      "<fieldset><legend>" + esc(t("tasks.decision")) + "</legend>" + spec.decisions.map(function (d) {
        return '<label class="choice"><input type="radio" name="decision" value="' + esc(d) + '"' + (single ? " checked" : "") + "> " +
          esc(label("decision.", d)) + "</label>";
      }).join("") + '<span class="field-error" id="decision-error"></span></fieldset>' +
      spec.fields.map(function (f) { return stepField(f, sessions, subdits); }).join("") +
      '<div class="actions"><button type="submit">' + esc(t("tasks.submit")) + "</button></div></form>";
    var form = slot.querySelector("form");
    function chosenDecision() { return (form.querySelector("input[name=decision]:checked") || {}).value || ""; }
    function visible(f, decision) { return !f.when || !decision || f.when.indexOf(decision) >= 0; }
    function showFields() {
      var decision = chosenDecision();
      spec.fields.forEach(function (f) {
        form.querySelector('[data-field="' + f.name + '"]').hidden = !visible(f, decision);
      });
    }
    form.querySelectorAll("input[name=decision]").forEach(function (radio) { radio.addEventListener("change", showFields); });
    showFields();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      Desk.clearErrors(form);
      var decision = chosenDecision();
      var payload = {};
      if (decision) payload.decision = decision;
      var uploads = [];
      spec.fields.forEach(function (f) {
        if (!visible(f, decision)) return;
        if (f.kind === "units") {
          payload.subdits = Array.prototype.map.call(form.querySelectorAll("input[name=subdits]:checked"), function (b) { return b.value; });
          return;
        }
        var input = form.elements[f.name];
        if (f.kind === "file") {
          uploads.push(Desk.uploadField(input, ctx.token).then(function (id) { if (id) payload[f.name] = id; }));
          return;
        }
        var value = input.value.trim();
        if (!value) return;
        if (f.kind === "number") value = Number(value);
        if (f.kind === "datetime") { var when = new Date(value); if (!isNaN(when)) value = when.toISOString(); }
        payload[f.name] = value;
      });
      forms.busy(form, true);
      Promise.all(uploads).then(function () {
        return ctx.api("POST", "/staff/tasks/" + enc(task.task_id) + "/decision", payload);
      }).then(function () {
        flash = { where: "tasks", text: t("tasks.recorded", { number: task.number }) };
        ctx.navigate("tasks");
      }, function (error) {
        forms.busy(form, false);
        forms.fail(form, error);
      });
    });
  }

  Console.register("queue", { title: "queue.title", roles: null, nav: true, render: renderQueue });
  Console.register("tasks", { title: "tasks.title", roles: null, nav: true, render: renderTasks });
  Console.register("request", { title: "request.page", roles: null, nav: false, render: renderRequest });
})();
