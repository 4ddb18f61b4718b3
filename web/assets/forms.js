/* The public forms (complaint, user ID, training, payment proof): a light check of the required fields,
   each chosen file uploaded and checked before anything is sent, one Idempotency-Key per form fill,
   the API's errors beside their fields, and a printable receipt with a QR code to the status page.
   A page's form says which it is: <form class="desk-form" data-form="complaint" data-endpoint="/tickets">. */
(function () {
  "use strict";

  function t(key, values) { return Desk.t(key, values); }
  function byId(id) { return document.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* ---- errors --------------------------------------------------------------------------------------- */

  function slotFor(form, name) {
    return form.querySelector('[id="' + name + '-error"]') || form.querySelector('[id="' + name.split(".")[0] + '-error"]');
  }

  function asApiError(error) {
    if (error instanceof Desk.ApiError) return error;
    if (window.console) console.error(error);
    return new Desk.ApiError(0, { error: { code: "unexpected", message: t("error.unexpected") } });
  }

  function show(form, error) {
    error = asApiError(error);
    var fields = Object.assign({}, error.fields || {});
    var message = error.message;
    if (error.code === "idempotency_key_reused") {
      message = t("forms.sent.changed"); fields = {};
    }
    // A field the page has no place for, whose value the message already says (e.g. the open request's
    // number on a 409), is not repeated.
    Object.keys(fields).forEach(function (name) {
      if (!slotFor(form, name) && message && message.indexOf(String(fields[name])) >= 0) delete fields[name];
    });
    if (Object.keys(fields).length && error.status === 400 && error.code === "invalid_input") message = t("form.fix");
    Desk.showErrors(form, { message: message, fields: fields });
  }

  function clear(form) {
    Desk.clearErrors(form);
  }

  /* Only what is plainly missing is caught here; the API judges everything else. */
  function missingFields(form) {
    var fields = {};
    each(form.querySelectorAll("[required]"), function (el) {
      var name = el.name;
      if (!name || fields[name] || el.matches(":disabled") || el.closest("[hidden]")) return;
      if (el.type === "radio" || el.type === "checkbox") {
        if (!form.querySelector('[name="' + name + '"]:checked')) fields[name] = t("forms.choose");
      } else if (el.type === "file") {
        if (!el.files || !el.files.length) fields[name] = t("forms.file.required");
      } else if (!String(el.value).trim()) {
        fields[name] = t("form.required");
      }
    });
    each(form.querySelectorAll("input[type=file][data-max-files]"), function (el) {
      var most = Number(el.getAttribute("data-max-files"));
      if (el.files && el.files.length > most) fields[el.name] = t("forms.file.too_many", { max: most });
    });
    return fields;
  }

  /* ---- uploads -------------------------------------------------------------------------------------- */

  /* Each file input keeps the uploads already accepted for the files now chosen, so a retry sends the
     same ids (the same body under the same Idempotency-Key) instead of uploading again. */
  var accepted = new WeakMap();

  function resetFileField(input) {
    accepted.set(input, []);
    var progress = byId(input.name + "-progress");
    var state = byId(input.name + "-state");
    var slot = byId(input.name + "-error");
    if (progress) { progress.hidden = true; progress.value = 0; }
    if (state) state.textContent = "";
    if (slot) slot.textContent = "";
    input.removeAttribute("aria-invalid");
  }

  function uploadInput(input) {
    var files = Array.prototype.slice.call(input.files || []);
    var purpose = input.getAttribute("data-purpose");
    var kept = accepted.get(input) || [];
    accepted.set(input, kept);
    var progress = byId(input.name + "-progress");
    var state = byId(input.name + "-state");
    return files.reduce(function (chain, file, index) {
      return chain.then(function (ids) {
        var known = kept.filter(function (k) { return k.file === file && k.purpose === purpose; })[0];
        if (known) return ids.concat(known.id);
        var label = files.length > 1 ? t("forms.file.of", { n: index + 1, total: files.length, name: file.name }) + " " : "";
        return Desk.upload(file, purpose, input.name, function (phase, fraction) {
          var percent = Math.round(fraction * 100);
          if (progress) { progress.hidden = phase === "accepted" || phase === "rejected"; progress.value = percent; }
          if (state) state.textContent = label + t("upload." + phase, { percent: percent });
        }).then(function (id) {
          kept.push({ file: file, purpose: purpose, id: id });
          return ids.concat(id);
        }, function (error) {
          error = asApiError(error);
          var reason = (error.fields && error.fields[input.name]) || error.message;
          if (progress) progress.hidden = true;
          if (state) state.textContent = label + t("upload.rejected");
          var fields = {}; fields[input.name] = t("forms.file.reason", { name: file.name, reason: reason });
          throw new Desk.ApiError(error.status, { error: { code: "upload_refused", message: t("forms.file.refused"), fields: fields } });
        });
      });
    }, Promise.resolve([]));
  }

  function uploadAll(form) {
    var inputs = Array.prototype.filter.call(form.querySelectorAll("input[type=file][data-purpose]"), function (el) {
      return !el.matches(":disabled") && !el.closest("[hidden]");
    });
    var ids = {};
    return inputs.reduce(function (chain, input) {
      return chain.then(function () { return uploadInput(input).then(function (list) { ids[input.name] = list; }); });
    }, Promise.resolve()).then(function () { return ids; });
  }

  /* ---- what each form sends ------------------------------------------------------------------------- */

  function pick(values, names, into) {
    names.forEach(function (name) { if (values[name] != null && values[name] !== "") into[name] = values[name]; });
    return into;
  }

  /* Rupiah as people write it: "Rp 12.500.000", "12.500.000,50", "12500000" or "12500000.50". */
  function rupiah(text) {
    var value = String(text || "").replace(/rp\.?/i, "").replace(/\s+/g, "");
    if (value.indexOf(",") >= 0) return value.replace(/\./g, "").replace(",", ".");
    if (/^\d{1,3}(\.\d{3})+$/.test(value)) return value.replace(/\./g, "");
    return value;
  }

  var FORMS = {
    complaint: {
      body: function (v, files) {
        var body = pick(v, ["kind", "subject", "message", "name", "email", "phone", "institution", "category"], {});
        body.anonymous = !!v.anonymous;
        body.confidential = !!v.confidential;
        if (files.attachment_upload_ids && files.attachment_upload_ids.length) body.attachment_upload_ids = files.attachment_upload_ids;
        return body;
      }
    },
    registration: {
      setup: setupRegistration,
      body: function (v, files) {
        var body = pick(v, ["applicant_type", "name", "position", "email", "phone", "lpse_id"], {});
        pick(v, v.applicant_type === "provider" ? ["company", "npwp", "contract_number"] : ["institution"], body);
        if (files.letter_upload_id && files.letter_upload_id[0]) body.letter_upload_id = files.letter_upload_id[0];
        return body;
      }
    },
    training: {
      setup: setupTraining,
      body: function (v, files, form) {
        var body = pick(v, ["institution", "contact_name", "email", "phone", "preferred_start"], {});
        body.participants = Array.prototype.map.call(form.querySelectorAll("[data-rows] .participant"), function (row, i) {
          return pick(v, ["name", "email", "position"].map(function (f) { return "participants." + i + "." + f; }), {});
        }).map(function (raw, i) {
          var person = {};
          Object.keys(raw).forEach(function (k) { person[k.slice(("participants." + i + ".").length)] = raw[k]; });
          return person;
        });
        if (files.letter_upload_id && files.letter_upload_id[0]) body.letter_upload_id = files.letter_upload_id[0];
        return body;
      }
    },
    payment: {
      setup: setupPayment,
      body: function (v, files) {
        var body = pick(v, ["transaction_id", "role", "email"], {});
        if (v.amount) body.amount = rupiah(v.amount);
        if (v.paid_at) {
          var local = v.paid_at.length === 16 ? v.paid_at + ":00" : v.paid_at;
          body.paid_at = local + (v.paid_tz || "+07:00");
        }
        if (files.upload_id && files.upload_id[0]) body.upload_id = files.upload_id[0];
        return body;
      }
    }
  };

  /* ---- registration: buyer or provider, the LPSE list ----------------------------------------------- */

  function setupRegistration(form) {
    var letter = form.querySelector('input[name="letter_upload_id"]');
    var letterLabel = form.querySelector('label[for="letter_upload_id"]');
    var letterHint = byId("letter_upload_id-hint");
    var PURPOSE = { buyer: "sk_letter", provider: "company_letter" };

    function chosen() { var r = form.querySelector('input[name="applicant_type"]:checked'); return r ? r.value : ""; }
    function apply() {
      var type = chosen();
      each(form.querySelectorAll("[data-when]"), function (part) {
        var on = part.getAttribute("data-when") === type;
        part.hidden = !on; part.disabled = !on;
      });
      letterLabel.setAttribute("data-i18n", type ? "registration.letter." + type : "registration.letter");
      letterHint.setAttribute("data-i18n", type ? "registration.letter." + type + ".hint" : "registration.letter.hint");
      letter.setAttribute("data-purpose", PURPOSE[type] || "sk_letter");
      Desk.i18n.translate(letterLabel.parentNode);
    }
    each(form.querySelectorAll('input[name="applicant_type"]'), function (radio) { radio.addEventListener("change", apply); });
    apply();

    var select = form.querySelector('select[name="lpse_id"]');
    var list = null;
    function fill() {
      if (!list) return;
      var keep = select.value;
      select.textContent = "";
      var first = document.createElement("option");
      first.value = ""; first.textContent = t("registration.lpse.choose");
      select.appendChild(first);
      list.forEach(function (lpse) {
        var option = document.createElement("option");
        option.value = lpse.id;
        option.textContent = t("registration.lpse.option", { name: lpse.name, days: lpse.service_days });
        select.appendChild(option);
      });
      select.value = keep;
    }
    Desk.api("GET", "/lpse").then(function (answer) {
      list = (answer || []).slice().sort(function (a, b) { return String(a.name).localeCompare(String(b.name), "id"); });
      fill();
    }, function () {
      select.firstElementChild.textContent = t("registration.lpse.failed");
      var slot = byId("lpse_id-error"); if (slot) slot.textContent = t("registration.lpse.failed");
    });
    document.addEventListener("desk:language", fill);
  }

  /* ---- training: participants as rows --------------------------------------------------------------- */

  var MAX_PARTICIPANTS = 500;

  function setupTraining(form) {
    var rows = form.querySelector("[data-rows]");
    var add = form.querySelector("[data-add-row]");
    var status = form.querySelector("[data-rows-status]");
    var template = byId("participant-row");

    function all() { return rows.querySelectorAll(".participant"); }
    function renumber() {
      var list = all();
      each(list, function (row, i) {
        var n = i + 1;
        row.querySelector("[data-row-title]").textContent = t("training.participant", { n: n });
        each(row.querySelectorAll("[data-name]"), function (input) {
          var name = "participants." + i + "." + input.getAttribute("data-name");
          input.name = name; input.id = name;
          input.setAttribute("aria-describedby", name + "-error");
        });
        each(row.querySelectorAll("[data-for]"), function (label) { label.htmlFor = "participants." + i + "." + label.getAttribute("data-for"); });
        each(row.querySelectorAll("[data-error]"), function (slot) { slot.id = "participants." + i + "." + slot.getAttribute("data-error") + "-error"; });
        var remove = row.querySelector("[data-remove-row]");
        remove.textContent = t("training.participant.remove", { n: n });
        remove.hidden = list.length === 1;
      });
      add.disabled = list.length >= MAX_PARTICIPANTS;
    }
    function addRow(focus) {
      var row = template.content.firstElementChild.cloneNode(true);
      rows.appendChild(row);
      Desk.i18n.translate(row);
      row.querySelector("[data-remove-row]").addEventListener("click", function () { removeRow(row); });
      renumber();
      if (focus) {
        row.querySelector('[data-name="name"]').focus();
        status.textContent = t("training.participant.added", { n: all().length });
      }
    }
    function removeRow(row) {
      var list = Array.prototype.slice.call(all());
      var at = list.indexOf(row);
      row.remove();
      renumber();
      var left = all();
      var next = left[Math.min(at, left.length - 1)];
      (next ? next.querySelector('[data-name="name"]') : add).focus();
      status.textContent = t("training.participant.removed", { n: left.length });
    }
    add.addEventListener("click", function () { addRow(true); });
    addRow(false);
    document.addEventListener("desk:language", renumber);

    // A session starts after today (WIB); the API checks that it is a working day.
    var start = form.querySelector('input[name="preferred_start"]');
    var tomorrow = new Date(Date.now() + 7 * 3600 * 1000 + 24 * 3600 * 1000).toISOString().slice(0, 10);
    start.min = tomorrow;
  }

  /* ---- payment ------------------------------------------------------------------------------------- */

  function setupPayment(form) {
    var paid = form.querySelector('input[name="paid_at"]');
    var now = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    paid.max = now;
  }

  /* ---- the receipt ---------------------------------------------------------------------------------- */

  /* The QR generator is half of a form's weight and only the receipt needs it: it loads when the form
     is first sent, while the file uploads. */
  var qrLoading = null;
  function qrGenerator() {
    if (typeof window.qrcode === "function") return Promise.resolve(window.qrcode);
    if (!qrLoading) {
      qrLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = "/assets/vendor/qrcode-generator.js";
        script.onload = function () { resolve(window.qrcode); };
        script.onerror = function () { qrLoading = null; reject(new Error("qrcode-generator")); };
        document.head.appendChild(script);
      });
    }
    return qrLoading;
  }

  function qrImage(url, number) {
    var img = document.createElement("img");
    img.alt = t("receipt.qr.alt", { number: number });
    img.hidden = true;
    qrGenerator().then(function (qrcode) {
      var code = qrcode(0, "M");
      code.addData(url);
      code.make();
      var svg = code.createSvgTag({ cellSize: 4, margin: 16, scalable: true });
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
      img.hidden = false;
    }, function () { /* the status link and address below stand in for it */ });
    return img;
  }

  function receipt(answer, sentAt) {
    var url = Desk.statusUrl(answer.number, answer.access_code);
    var section = document.createElement("section");
    section.className = "receipt";
    section.setAttribute("aria-labelledby", "receipt-title");
    var codes = [["receipt.number", answer.number, "receipt-number"], ["receipt.code", answer.access_code, "receipt-code"]];
    var times = [["receipt.sent", Desk.formatDate(sentAt), "receipt-sent"]];
    if (answer.due_at) times.push(["receipt.due", Desk.formatDate(answer.due_at), "receipt-due"]);
    // Number and code in the stylesheet's monospace list; the dates as plain text, so they wrap by word.
    section.innerHTML =
      '<h2 id="receipt-title" tabindex="-1">' + Desk.escapeHtml(t("receipt.title")) + "</h2>" +
      "<p>" + Desk.escapeHtml(t("receipt.keep")) + "</p>" +
      "<dl>" + codes.map(function (row) {
        return "<dt>" + Desk.escapeHtml(t(row[0])) + '</dt><dd class="' + row[2] + '">' + Desk.escapeHtml(row[1]) + "</dd>";
      }).join("") + "</dl>" +
      times.map(function (row) {
        return "<p><strong>" + Desk.escapeHtml(t(row[0])) + ':</strong> <span class="' + row[2] + '">' + Desk.escapeHtml(row[1]) + "</span></p>";
      }).join("") +
      (answer.due_at ? '<p class="hint">' + Desk.escapeHtml(t("receipt.due.hint")) + "</p>" : "") +
      '<div class="qr"></div>' +
      '<p class="hint">' + Desk.escapeHtml(t("receipt.qr.hint")) + "</p>" +
      '<p><a class="status-link" href="' + Desk.escapeHtml(url) + '">' + Desk.escapeHtml(t("receipt.status")) + "</a></p>" +
      '<p class="hint receipt-url">' + Desk.escapeHtml(url) + "</p>" +
      '<div class="actions">' +
      '<button type="button" data-print>' + Desk.escapeHtml(t("receipt.print")) + "</button>" +
      '<a class="button secondary" href="/">' + Desk.escapeHtml(t("receipt.home")) + "</a>" +
      "</div>";
    section.querySelector(".qr").appendChild(qrImage(url, answer.number));
    section.querySelector("[data-print]").addEventListener("click", function () { window.print(); });
    return section;
  }

  function showReceipt(form, answer) {
    var sentAt = new Date().toISOString();
    var section = receipt(answer, sentAt);
    form.replaceWith(section);
    section.querySelector("h2").focus();
    document.addEventListener("desk:language", function () {
      var current = document.querySelector("section.receipt");
      if (!current) return;
      var again = receipt(answer, sentAt);
      current.replaceWith(again);
    });
  }

  /* ---- the submit ----------------------------------------------------------------------------------- */

  function setup(form) {
    var spec = FORMS[form.getAttribute("data-form")];
    if (!spec) return;
    var button = form.querySelector('[type="submit"]');
    var key = null; // one per form fill: a retry or a second click sends the same key
    var busy = false;

    each(form.querySelectorAll("input[type=file]"), function (input) {
      input.addEventListener("change", function () { resetFileField(input); });
    });
    if (spec.setup) spec.setup(form);

    function sending(on) {
      busy = on;
      button.disabled = on;
      button.setAttribute("aria-busy", on ? "true" : "false");
      button.textContent = on ? t("form.sending") : t(button.getAttribute("data-i18n"));
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) return;
      clear(form);
      var missing = missingFields(form);
      if (Object.keys(missing).length) {
        show(form, new Desk.ApiError(400, { error: { code: "invalid_input", message: t("form.fix"), fields: missing } }));
        return;
      }
      qrGenerator().catch(function () {});
      key = key || Desk.newKey();
      sending(true);
      uploadAll(form)
        .then(function (files) {
          var body = spec.body(Desk.formValues(form), files, form);
          return Desk.api("POST", form.getAttribute("data-endpoint"), { body: body, idempotencyKey: key });
        })
        .then(function (answer) {
          sending(false);
          showReceipt(form, answer);
        }, function (error) {
          sending(false);
          show(form, error);
        });
    });
  }

  function start() { each(document.querySelectorAll("form.desk-form[data-form]"), setup); }

  window.DeskForms = { rupiah: rupiah };
  // Registered after desk.js's own start, so the page is already translated.
  document.addEventListener("DOMContentLoaded", start);
})();
