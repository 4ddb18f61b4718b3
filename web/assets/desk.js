/* The desk's page helpers: text from the message catalogue, calls to the API with the contract's
   errors shown beside their fields, and uploads straight to S3 that wait for the file check. */
(function () {
  "use strict";
  var catalogue = { id: {}, en: {} };
  var LANGS = ["id", "en"];

  function chooseLanguage() {
    var asked = new URLSearchParams(location.search).get("lang");
    if (LANGS.indexOf(asked) >= 0) { try { localStorage.setItem("desk-lang", asked); } catch (e) {} return asked; }
    try { var kept = localStorage.getItem("desk-lang"); if (LANGS.indexOf(kept) >= 0) return kept; } catch (e) {}
    return "id"; // Bahasa Indonesia first, whatever the browser says
  }
  var lang = chooseLanguage();

  /* Each area adds its texts; a key missing in English falls back to Indonesian, then to the key. */
  function add(messages) {
    LANGS.forEach(function (l) { Object.assign(catalogue[l], messages[l] || {}); });
  }
  function t(key, values) {
    var text = catalogue[lang][key] != null ? catalogue[lang][key] : (catalogue.id[key] != null ? catalogue.id[key] : key);
    return String(text).replace(/\{(\w+)\}/g, function (m, name) { return values && values[name] != null ? values[name] : m; });
  }
  /* data-i18n="key" sets the text; data-i18n-attr="placeholder:key,aria-label:key" sets attributes. */
  function translate(root) {
    root = root || document;
    document.documentElement.lang = lang;
    root.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.getAttribute("data-i18n")); });
    root.querySelectorAll("[data-i18n-attr]").forEach(function (el) {
      el.getAttribute("data-i18n-attr").split(",").forEach(function (pair) {
        var parts = pair.split(":"); el.setAttribute(parts[0].trim(), t(parts[1].trim()));
      });
    });
    var title = document.querySelector("meta[name=desk-title]");
    if (title) document.title = t(title.content) + " · " + t("site.name");
  }
  function setLanguage(next) {
    lang = next; try { localStorage.setItem("desk-lang", next); } catch (e) {}
    translate(); document.dispatchEvent(new CustomEvent("desk:language", { detail: next }));
  }

  var configPromise = null;
  function config() {
    if (!configPromise) {
      configPromise = fetch("/config.json", { cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; })
        .then(function (c) { c.api = c.api || ""; c.auth = c.auth || { mode: "local" }; return c; });
    }
    return configPromise;
  }

  function ApiError(status, body) {
    var error = (body && body.error) || {};
    this.name = "ApiError"; this.status = status; this.code = error.code || "http_" + status;
    this.message = error.message || t("error.unexpected"); this.fields = error.fields || {};
  }
  ApiError.prototype = Object.create(Error.prototype);

  /* One call to the API. options: {body, token, idempotencyKey, headers}. Resolves with the JSON answer. */
  function api(method, path, options) {
    options = options || {};
    return config().then(function (c) {
      var headers = Object.assign({ "Accept": "application/json", "Accept-Language": lang }, options.headers || {});
      var init = { method: method, headers: headers };
      if (options.body !== undefined) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(options.body); }
      if (options.token) headers["Authorization"] = "Bearer " + options.token;
      if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
      return fetch(c.api + path, init).then(function (response) {
        return response.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          if (!response.ok) throw new ApiError(response.status, data);
          return data;
        });
      }, function () { throw new ApiError(0, { error: { code: "offline", message: t("error.offline") } }); });
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  /* Errors beside their fields: a field named "participants.0.email" is looked up as that name, then as
     its first part. Each field has <span class="field-error" id="NAME-error">; where one page holds two
     forms with a field of the same name, the form's data-error-prefix keeps their ids apart. */
  function clearErrors(form) {
    form.querySelectorAll(".field-error").forEach(function (el) { el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var summary = form.querySelector(".form-error"); if (summary) { summary.textContent = ""; summary.hidden = true; }
  }
  function fieldSlot(form, name) {
    var candidates = [name, name.split(".")[0]];
    var prefix = form.getAttribute("data-error-prefix") || "";
    for (var i = 0; i < candidates.length; i++) {
      var slot = form.querySelector('[id="' + prefix + candidates[i] + '-error"]');
      if (slot) return { slot: slot, input: form.querySelector('[name="' + candidates[i] + '"]') };
    }
    return null;
  }
  function showErrors(form, error) {
    clearErrors(form);
    var unplaced = [];
    var first = null;
    Object.keys(error.fields || {}).forEach(function (name) {
      var place = fieldSlot(form, name);
      if (!place) { unplaced.push(name + ": " + error.fields[name]); return; }
      place.slot.textContent = (place.slot.textContent ? place.slot.textContent + " " : "") + error.fields[name];
      if (place.input) {
        place.input.setAttribute("aria-invalid", "true");
        // The error joins the field's description; its hint stays tied to it.
        var described = (place.input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
        if (described.indexOf(place.slot.id) < 0) described.push(place.slot.id);
        place.input.setAttribute("aria-describedby", described.join(" "));
        first = first || place.input;
      }
    });
    var summary = form.querySelector(".form-error");
    if (summary) {
      summary.textContent = [error.message].concat(unplaced).join(" ");
      summary.hidden = false;
    }
    (first || summary || form).focus();
  }

  /* Upload one file: ask for a presigned POST, send the file to S3 with progress, then wait for the
     desk's check. Resolves with the upload id; rejects with an ApiError naming fieldName. With a staff
     token the grant comes from the staff's door (letter scans, drafts, signed letters). */
  function upload(file, purpose, fieldName, onState, token) {
    onState = onState || function () {};
    function refuse(message) { return new ApiError(400, { error: { code: "upload_refused", message: message, fields: { [fieldName]: message } } }); }
    var grantBody = { purpose: purpose, filename: file.name, content_type: file.type || "application/octet-stream", size: file.size };
    return api("POST", token ? "/staff/uploads" : "/uploads", { body: grantBody, token: token })
      .catch(function (error) {
        var detail = Object.keys(error.fields || {}).map(function (k) { return error.fields[k]; }).join(" ");
        throw refuse(detail || error.message);
      })
      .then(function (grant) {
        return new Promise(function (resolve, reject) {
          var body = new FormData();
          Object.keys(grant.fields).forEach(function (k) { body.append(k, grant.fields[k]); });
          body.append("file", file);
          var xhr = new XMLHttpRequest();
          xhr.open("POST", grant.url);
          xhr.upload.onprogress = function (e) { if (e.lengthComputable) onState("sending", e.loaded / e.total); };
          xhr.onload = function () { xhr.status >= 200 && xhr.status < 300 ? resolve(grant) : reject(refuse(t("upload.failed"))); };
          xhr.onerror = function () { reject(refuse(t("upload.failed"))); };
          onState("sending", 0);
          xhr.send(body);
        });
      })
      .then(function (grant) {
        onState("checking", 1);
        var started = Date.now();
        function poll() {
          return api("GET", "/uploads/" + encodeURIComponent(grant.upload_id)).then(function (check) {
            if (check.status === "accepted") { onState("accepted", 1); return grant.upload_id; }
            if (check.status === "rejected") { onState("rejected", 1); throw refuse(check.reason || t("upload.rejected")); }
            if (Date.now() - started > 60000) throw refuse(t("upload.slow"));
            return new Promise(function (r) { setTimeout(r, 700); }).then(poll);
          });
        }
        return poll();
      });
  }

  /* A file input with a <progress> and a state line after it: data-purpose names the upload purpose. */
  function uploadField(input, token) {
    var file = input.files && input.files[0];
    if (!file) return Promise.resolve(null);
    var progress = document.getElementById(input.name + "-progress");
    var state = document.getElementById(input.name + "-state");
    return upload(file, input.getAttribute("data-purpose"), input.name, function (phase, fraction) {
      if (progress) { progress.hidden = false; progress.value = Math.round(fraction * 100); }
      if (state) state.textContent = t("upload." + phase, { percent: Math.round(fraction * 100) });
    }, token);
  }

  function formValues(form) {
    var values = {};
    new FormData(form).forEach(function (value, name) {
      if (value instanceof File) return;
      if (typeof value === "string") value = value.trim();
      if (value !== "") values[name] = value;
    });
    form.querySelectorAll("input[type=checkbox][name]").forEach(function (box) { values[box.name] = box.checked; });
    return values;
  }

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* An instant as people read it, in the zone of the request it belongs to (an IANA name; LKPP's WIB
     when none is given): "Kamis, 10 Desember 2026 pukul 23.59 WITA", the same words the desk's mail uses.
     The zone's label is WIB, WITA or WIT in both languages, never the browser's "GMT+8". */
  var ZONE_LABELS = { "Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT" };
  function formatDate(iso, tz, withTime) {
    if (typeof tz === "boolean") { withTime = tz; tz = null; } // the older formatDate(iso, withTime)
    if (!iso) return "-";
    var d = new Date(iso);
    if (isNaN(d)) return iso;
    var zone = tz || "Asia/Jakarta";
    var options = { timeZone: zone, weekday: "long", day: "numeric", month: "long", year: "numeric" };
    if (withTime !== false) { options.hour = "2-digit"; options.minute = "2-digit"; options.hourCycle = "h23"; }
    var format;
    try { format = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID", options); } catch (e) {
      zone = options.timeZone = "Asia/Jakarta"; // a zone this browser does not know: LKPP's
      format = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID", options);
    }
    var parts = {};
    format.formatToParts(d).forEach(function (part) { parts[part.type] = part.value; });
    var day = t("date.day", { weekday: parts.weekday, day: parts.day, month: parts.month, year: parts.year });
    if (withTime === false) return day;
    var time = t("date.time", { hour: parts.hour, minute: parts.minute });
    return t("date.at", { date: day, time: time, zone: ZONE_LABELS[zone] || zone });
  }

  function statusUrl(number, code) {
    return location.origin + "/status?number=" + encodeURIComponent(number) + "&code=" + encodeURIComponent(code);
  }

  function start() {
    translate();
    document.querySelectorAll("[data-lang-toggle]").forEach(function (button) {
      button.addEventListener("click", function () { setLanguage(lang === "id" ? "en" : "id"); });
    });
  }

  window.Desk = {
    i18n: { add: add, t: t, translate: translate, setLanguage: setLanguage, get lang() { return lang; } },
    t: t, config: config, api: api, ApiError: ApiError, newKey: newKey, clearErrors: clearErrors,
    showErrors: showErrors, upload: upload, uploadField: uploadField, formValues: formValues,
    escapeHtml: escapeHtml, formatDate: formatDate, statusUrl: statusUrl, start: start
  };
  // Deferred scripts (the catalogue files after this one) all run before DOMContentLoaded.
  document.addEventListener("DOMContentLoaded", start);
})();
