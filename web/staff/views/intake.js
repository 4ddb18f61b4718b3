/* The staff-operated doors of the console: an incoming letter registered by the Secretary (with its
   scan), a phone call logged by the helpdesk, and a walk-in consultation form taken at reception
   (forwarded to a unit, with a meeting booked and a printable receipt). */
(function () {
  "use strict";
  var forms = Console.forms; // the form helpers every view shares (console.js)
  var LETTER_KINDS = ["permohonan", "pengaduan", "saran", "masukan", "undangan", "pemberitahuan", "laporan", "lainnya"];
  var TICKET_KINDS = ["complaint", "suggestion", "input"];
  var CALL_CATEGORIES = ["akses_akun", "transaksi", "katalog", "pembayaran", "pelatihan", "lainnya"];
  // A visitor is sent to one of the directorate's own units (an LPSE is met in its own office). A unit
  // without a head needs an officer named on the form.
  var WALK_IN_KINDS = ["directorate", "subdit", "desk"];
  var WIB = "+07:00";

  function t(key, values) { return Desk.t(key, values); }
  function esc(text) { return Desk.escapeHtml(text); }

  /* The intake forms' controls are named in-NAME; their error slots NAME-error. */
  function field(spec) { return forms.field(Object.assign({ id: "in-" + spec.name }, spec)); }

  function options(values, prefix) {
    return values.map(function (value) { return [value, t(prefix + value)]; });
  }

  function formShell(id, inner, submitKey) {
    return '<form id="' + id + '" novalidate>' +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' + inner +
      '<div class="actions"><button type="submit">' + esc(t(submitKey)) + "</button></div></form>";
  }

  /* "2026-11-30T09:15" from a datetime-local field, in WIB, as the API's ISO 8601 with offset. */
  function wibInstant(local) {
    if (!local) return local;
    return (local.length === 16 ? local + ":00" : local) + WIB;
  }
  function timeOf(iso) {
    return new Date(iso).toLocaleTimeString(Desk.i18n.lang === "en" ? "en-GB" : "id-ID",
      { timeZone: "Asia/Jakarta", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  }
  function nowInWib() {
    var shifted = new Date(Date.now() + 7 * 3600 * 1000);
    return shifted.toISOString().slice(0, 16);
  }

  function result(box, headingKey, rows, extra) {
    box.hidden = false;
    box.innerHTML = '<h2 tabindex="-1">' + esc(t(headingKey)) + "</h2>" +
      '<dl class="data">' + rows.filter(function (row) { return row[1]; }).map(function (row) {
        return "<dt>" + esc(t(row[0])) + "</dt><dd" + (row[2] ? ' class="' + row[2] + '"' : "") + ">" +
          esc(row[1]) + "</dd>";
      }).join("") + "</dl>" + (extra || "");
    box.querySelector("h2").focus();
  }

  function requestLink(number) {
    return '<p><a href="#request/' + encodeURIComponent(number) + '">' + esc(t("sa.open_request", { number: number })) +
      "</a></p>";
  }

  function again(box, form, keepFocus) {
    var button = box.querySelector("button.again");
    if (!button) return;
    button.addEventListener("click", function () {
      box.hidden = true;
      box.innerHTML = "";
      form.hidden = false;
      form.reset();
      Desk.clearErrors(form);
      if (keepFocus) keepFocus();
      var first = form.querySelector("input, select, textarea");
      if (first) first.focus();
    });
  }

  /* Each door's form: on submit its values go to ``send`` (which returns the API's answer), the form is
     busy meanwhile, errors land beside the fields, and the answer is kept (a language switch shows it
     again) and shown. */
  function sendOnSubmit(form, ctx, send, shown) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      Desk.clearErrors(form);
      var body = Desk.formValues(form); // before busy(): FormData skips disabled controls
      forms.busy(form, true);
      send(body).then(function (answer) {
        forms.busy(form, false);
        ctx.kept.answer = answer;
        shown(answer);
      }).catch(function (error) {
        forms.busy(form, false);
        forms.fail(form, error);
      });
    });
  }

  /* -- letter: the Secretary registers a stamped letter with its scan -------------------------------- */
  function renderLetter(container, ctx) {
    container.innerHTML = '<h1 tabindex="-1">' + esc(t("letter.title")) + "</h1>" +
      '<p class="lead">' + esc(t("letter.lead")) + "</p>" +
      formShell("letter-form",
        '<fieldset><legend>' + esc(t("letter.sender")) + "</legend>" +
        field({ name: "sender_name", label: "letter.sender_name", required: true, attrs: 'autocomplete="off"' }) +
        field({ name: "sender_institution", label: "letter.sender_institution", required: true }) +
        field({ name: "sender_email", label: "letter.sender_email", type: "email", hint: "letter.sender_email.hint" }) +
        field({ name: "sender_phone", label: "letter.sender_phone", type: "tel" }) +
        field({ name: "sender_fax", label: "letter.sender_fax", type: "tel" }) +
        field({ name: "sender_address", label: "letter.sender_address", type: "textarea", attrs: 'rows="3"' }) +
        "</fieldset>" +
        '<fieldset><legend>' + esc(t("letter.letter")) + "</legend>" +
        field({ name: "letter_number", label: "letter.letter_number", required: true }) +
        field({ name: "letter_date", label: "letter.letter_date", type: "date", required: true }) +
        field({ name: "subject", label: "letter.subject", required: true }) +
        field({ name: "kind", label: "letter.kind", type: "select", required: true,
          options: [["", t("sa.choose")]].concat(options(LETTER_KINDS, "letter.kind.")) }) +
        field({ name: "received_at", label: "letter.received_at", type: "datetime-local", required: true,
          hint: "letter.received_at.hint", value: nowInWib() }) +
        field({ name: "scan_upload_id", label: "letter.scan", type: "file", required: true, hint: "letter.scan.hint",
          purpose: "letter_scan", attrs: 'accept="application/pdf,image/jpeg,image/png"' }) +
        "</fieldset>", "letter.submit") +
      '<section class="notice ok" id="letter-result" aria-live="polite" hidden></section>';
    var form = container.querySelector("#letter-form");
    var box = container.querySelector("#letter-result");
    var scan = form.elements.scan_upload_id;
    var uploaded = null; // {file, id}: a resubmission after a field error does not upload again
    scan.addEventListener("change", function () { uploaded = null; });

    sendOnSubmit(form, ctx, function (body) {
      var file = scan.files && scan.files[0];
      var ready = uploaded && uploaded.file === file ? Promise.resolve(uploaded.id) : Desk.uploadField(scan, ctx.token);
      return ready.then(function (uploadId) {
        if (uploadId) uploaded = { file: file, id: uploadId };
        delete body.scan_upload_id;
        if (uploadId) body.scan_upload_id = uploadId;
        if (body.received_at) body.received_at = wibInstant(body.received_at);
        return ctx.api("POST", "/staff/letters", body);
      });
    }, shown);
    function shown(answer) {
      form.hidden = true;
      result(box, "letter.done", [
        ["sa.number", answer.number, "number"],
        ["letter.agenda_number", answer.agenda_number, "number"],
        ["sa.access_code", answer.access_code, "number"]
      ], '<p>' + esc(t("letter.done.next")) + "</p>" + requestLink(answer.number) +
        '<div class="actions"><button type="button" class="secondary again">' + esc(t("letter.again")) +
        "</button></div>");
      again(box, form, function () {
        delete ctx.kept.answer;
        uploaded = null;
        form.elements.received_at.value = nowInWib();
        document.getElementById("scan_upload_id-state").textContent = "";
        document.getElementById("scan_upload_id-progress").hidden = true;
      });
    }
    if (ctx.kept.answer) shown(ctx.kept.answer);
  }

  /* -- call: the helpdesk logs a phone call ------------------------------------------------------------ */
  function renderCall(container, ctx) {
    container.innerHTML = '<h1 tabindex="-1">' + esc(t("call.title")) + "</h1>" +
      '<p class="lead">' + esc(t("call.lead")) + "</p>" +
      formShell("call-form",
        '<fieldset><legend>' + esc(t("call.caller")) + "</legend>" +
        field({ name: "caller_name", label: "call.caller_name", required: true }) +
        field({ name: "phone", label: "call.phone", type: "tel", required: true }) +
        field({ name: "email", label: "call.email", type: "email", hint: "call.email.hint" }) +
        field({ name: "institution", label: "call.institution" }) +
        "</fieldset>" +
        '<fieldset><legend>' + esc(t("call.about")) + "</legend>" +
        field({ name: "kind", label: "call.kind", type: "select", required: true, value: "complaint",
          options: options(TICKET_KINDS, "sa.kind.") }) +
        field({ name: "category", label: "call.category", type: "select", required: true,
          options: [["", t("sa.choose")]].concat(options(CALL_CATEGORIES, "call.category.")) }) +
        field({ name: "summary", label: "call.summary", type: "textarea", required: true, hint: "call.summary.hint" }) +
        field({ name: "resolved_on_call", label: "call.resolved", type: "checkbox", hint: "call.resolved.hint" }) +
        field({ name: "send_number", label: "call.send_number", type: "checkbox", checked: true }) +
        "</fieldset>", "call.submit") +
      '<section class="notice ok" id="call-result" aria-live="polite" hidden></section>';
    var form = container.querySelector("#call-form");
    var box = container.querySelector("#call-result");
    sendOnSubmit(form, ctx, function (body) { return ctx.api("POST", "/staff/calls", body); }, shown);
    function shown(answer) {
      form.hidden = true;
      result(box, answer.status === "closed" ? "call.done.closed" : "call.done", [
        ["sa.number", answer.number, "number"],
        ["sa.access_code", answer.access_code, "number"],
        ["sa.status", t("sa.status." + answer.status)],
        ["sa.due_at", answer.status === "closed" ? "" : Desk.formatDate(answer.due_at)]
      ], requestLink(answer.number) +
        '<div class="actions"><button type="button" class="secondary again">' + esc(t("call.again")) +
        "</button></div>");
      again(box, form, function () { delete ctx.kept.answer; });
    }
    if (ctx.kept.answer) shown(ctx.kept.answer);
  }

  /* -- walk-in: reception takes the consultation form, forwards it and books a meeting ---------------- */
  function renderWalkIn(container, ctx) {
    container.innerHTML = '<h1 tabindex="-1">' + esc(t("walkin.title")) + "</h1>" +
      '<p class="lead">' + esc(t("walkin.lead")) + "</p>" +
      formShell("walkin-form",
        '<fieldset><legend>' + esc(t("walkin.visitor")) + "</legend>" +
        field({ name: "visitor_name", label: "walkin.visitor_name", required: true }) +
        field({ name: "institution", label: "walkin.institution" }) +
        field({ name: "phone", label: "walkin.phone", type: "tel" }) +
        field({ name: "email", label: "walkin.email", type: "email", hint: "walkin.email.hint" }) +
        "</fieldset>" +
        '<fieldset><legend>' + esc(t("walkin.consultation")) + "</legend>" +
        field({ name: "kind", label: "walkin.kind", type: "select", value: "input", options: options(TICKET_KINDS, "sa.kind.") }) +
        field({ name: "topic", label: "walkin.topic", required: true }) +
        field({ name: "notes", label: "walkin.notes", type: "textarea", required: true }) +
        "</fieldset>" +
        '<fieldset><legend>' + esc(t("walkin.meeting")) + "</legend>" +
        field({ name: "unit", label: "walkin.unit", type: "select", required: true,
          options: [["", t("sa.choose")]] }) +
        field({ name: "officer", label: "walkin.officer", type: "email", hint: "walkin.officer.hint" }) +
        field({ name: "preferred_date", label: "walkin.preferred_date", type: "date", hint: "walkin.preferred_date.hint" }) +
        field({ name: "minutes", label: "walkin.minutes", type: "select", value: "30",
          options: [["30", t("walkin.minutes.30")], ["60", t("walkin.minutes.60")]] }) +
        "</fieldset>", "walkin.submit") +
      '<section class="notice ok" id="walkin-result" aria-live="polite" hidden></section>';
    var form = container.querySelector("#walkin-form");
    var box = container.querySelector("#walkin-result");
    var unitSelect = form.querySelector('[name="unit"]');
    Console.units(ctx).then(function (units) {
      units.filter(function (u) { return WALK_IN_KINDS.indexOf(u.kind) >= 0 && u.id !== ctx.user.unit; })
        .forEach(function (u) { unitSelect.add(new Option(u.name, u.id)); });
    }, function (error) { Desk.showErrors(form, error); });
    sendOnSubmit(form, ctx, function (body) {
      if (body.minutes) body.minutes = Number(body.minutes);
      return ctx.api("POST", "/staff/walk-ins", body);
    }, shown);
    function shown(answer) {
      form.hidden = true;
      var meeting = answer.meeting || {};
      result(box, "walkin.done", [
        ["sa.number", answer.number, "number"],
        ["sa.access_code", answer.access_code, "number"],
        ["walkin.meeting_at", meeting.start ? Desk.formatDate(meeting.start) + " – " + timeOf(meeting.end) : ""],
        ["walkin.officer_is", meeting.officer_name && meeting.officer_name !== meeting.officer ?
          meeting.officer_name + " (" + meeting.officer + ")" : meeting.officer],
        ["sa.due_at", Desk.formatDate(answer.due_at)]
      ], requestLink(answer.number) +
        (answer.receipt_html ?
          '<h3 id="walkin-receipt-title">' + esc(t("walkin.receipt")) + "</h3>" +
          '<iframe class="walkin-receipt" title="' + esc(t("walkin.receipt")) + '" ' +
          'sandbox="allow-same-origin allow-modals" style="width:100%;min-height:30rem;border:1px solid var(--line);' +
          'border-radius:var(--radius);background:#fff"></iframe>' : "") +
        '<div class="actions">' +
        (answer.receipt_html ? '<button type="button" class="print-receipt">' + esc(t("walkin.print")) + "</button>" : "") +
        (answer.status_url ? '<a class="button secondary" href="' + esc(answer.status_url) + '" target="_blank" rel="noopener">' +
          esc(t("walkin.status_page")) + "</a>" : "") +
        '<button type="button" class="secondary again">' + esc(t("walkin.again")) + "</button></div>");
      var frame = box.querySelector("iframe.walkin-receipt");
      if (frame) frame.srcdoc = answer.receipt_html;
      var print = box.querySelector("button.print-receipt");
      if (print) print.addEventListener("click", function () {
        try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { window.print(); }
      });
      again(box, form, function () { delete ctx.kept.answer; });
    }
    if (ctx.kept.answer) shown(ctx.kept.answer);
  }

  Console.register("letter", { title: "letter.nav", roles: ["secretary"], nav: true, render: renderLetter });
  Console.register("call", { title: "call.nav", roles: ["helpdesk"], nav: true, render: renderCall });
  Console.register("walk-in", { title: "walkin.nav", roles: ["reception"], nav: true, render: renderWalkIn });
})();
