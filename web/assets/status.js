/* The requester's status page: number and access code from the link in the acknowledgement (or typed
   in), the request in plain words, its history and the desk's replies, and a form to add information. */
(function () {
  "use strict";
  var FINAL = ["closed", "rejected", "forwarded"];
  var shown = { number: "", code: "", data: null, problem: null };

  function $(id) { return document.getElementById(id); }
  function t(key, values) { return Desk.t(key, values); }
  /* A plain name from the catalogue, or the fallback when the catalogue has none for this value. */
  function named(prefix, value, fallback) {
    var key = prefix + value;
    var text = t(key);
    return text === key ? (fallback != null ? fallback : value) : text;
  }
  function cleanNumber(value) { return String(value || "").trim().toUpperCase().replace(/\s+/g, ""); }
  function cleanCode(value) { return String(value || "").trim().replace(/\s+/g, ""); }
  function ticketPath(suffix) {
    return "/tickets/" + encodeURIComponent(shown.number) + (suffix || "") + "?code=" + encodeURIComponent(shown.code);
  }

  /* --- problems: not found, too many tries, anything else ------------------------------------------ */
  function showProblem(problem) {
    shown.problem = problem;
    var box = $("problem");
    if (!problem) { box.hidden = true; return; }
    if (problem.status === 404) {
      $("problem-title").textContent = t("status.notFound.title");
      $("problem-text").textContent = t("status.notFound");
    } else if (problem.status === 429) {
      $("problem-title").textContent = t("status.tooMany.title");
      $("problem-text").textContent = t("status.tooMany");
    } else {
      $("problem-title").textContent = t("error.unexpected");
      $("problem-text").textContent = problem.message || "";
    }
    box.hidden = false;
  }

  function showLookup(number, code) {
    $("lookup").hidden = false;
    if (number != null) $("number").value = number;
    if (code != null) $("code").value = code;
  }

  /* --- the request ------------------------------------------------------------------------------------ */
  function timelineItem(event, tz) {
    var li = document.createElement("li");
    var when = document.createElement("time");
    when.dateTime = event.at;
    when.textContent = Desk.formatDate(event.at, tz);
    var what = document.createElement("strong");
    what.textContent = named("event.name.", event.kind, t("event.name.other"));
    li.appendChild(when);
    li.appendChild(what);
    if (event.kind === "replied") {
      var see = document.createElement("p");
      var link = document.createElement("a");
      link.href = "#replies";
      link.textContent = t("status.replies");
      see.appendChild(link);
      li.appendChild(see);
    } else if (event.text) {
      var text = document.createElement("p");
      text.textContent = event.text;
      li.appendChild(text);
    }
    return li;
  }

  function replyItem(reply, tz) {
    var box = document.createElement("article");
    box.className = "reply";
    var when = document.createElement("time");
    when.dateTime = reply.at;
    when.textContent = t("status.reply.from") + " · " + Desk.formatDate(reply.at, tz);
    var text = document.createElement("p");
    text.textContent = reply.text;
    box.appendChild(when);
    box.appendChild(text);
    return box;
  }

  function render(data) {
    shown.data = data;
    $("r-number").textContent = data.number;
    $("r-type").textContent = named("type.name.", data.type);
    $("r-status").textContent = named("status.name.", data.status);
    var hasStep = Boolean(data.step) && data.step !== "done" && FINAL.indexOf(data.status) < 0;
    $("r-step-label").hidden = !hasStep;
    $("r-step").hidden = !hasStep;
    $("r-step").textContent = hasStep ? named("step.name.", data.step) : "";
    // Every instant in the request's zone (a Bali LPSE's deadline in WITA), as its mail says it.
    $("r-due").textContent = data.due_at ? Desk.formatDate(data.due_at, data.tz) : "-";
    if (data.status === "waiting_requester") $("r-due").textContent += " — " + t("status.due.paused");
    $("r-created").textContent = Desk.formatDate(data.created_at, data.tz);
    $("r-explain").textContent = named("status.explain.", data.status, "");
    $("r-explain").hidden = !$("r-explain").textContent;

    var timeline = $("timeline");
    timeline.textContent = "";
    (data.timeline || []).forEach(function (event) { timeline.appendChild(timelineItem(event, data.tz)); });

    var replies = $("reply-list");
    replies.textContent = "";
    if (!(data.replies || []).length) {
      var none = document.createElement("p");
      none.className = "hint";
      none.textContent = t("status.replies.none");
      replies.appendChild(none);
    }
    (data.replies || []).forEach(function (reply) { replies.appendChild(replyItem(reply, data.tz)); });

    // What the requester sent and what the desk wrote back (a reply letter, a signed answer): each a
    // download through the request's own short-lived link.
    var documents = $("document-list");
    documents.textContent = "";
    (data.documents || []).forEach(function (doc) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      var path = ticketPath("/documents/" + encodeURIComponent(doc.upload_id));
      link.href = path;
      Desk.config().then(function (c) { link.href = c.api + path; });
      link.textContent = doc.filename || named("document.purpose.", doc.purpose);
      item.appendChild(link);
      item.appendChild(document.createTextNode(" — " + named("document.purpose.", doc.purpose, doc.purpose)));
      documents.appendChild(item);
    });
    if (!(data.documents || []).length) {
      var nothing = document.createElement("li");
      nothing.className = "hint";
      nothing.textContent = t("status.documents.none");
      documents.appendChild(nothing);
    }

    $("confirm").hidden = !data.awaiting_confirmation;

    var finished = FINAL.indexOf(data.status) >= 0;
    $("add-form").hidden = finished;
    $("add-closed").hidden = !finished;
    if (data.awaiting_confirmation) $("r-explain").hidden = true;  // the confirmation box says it
    $("add-note").textContent = finished ? "" : (
      data.awaiting_confirmation ? t("status.add.confirm")
        : data.status === "waiting_requester" ? t("status.add.waiting")
        : data.status === "answered" ? t("status.add.answered") : t("status.add.lead"));
    $("add-note").hidden = finished;
    $("attachment-field").hidden = finished;
    $("result").hidden = false;
  }

  function load(options) {
    options = options || {};
    $("loading").textContent = t("status.checking");
    return Desk.api("GET", ticketPath()).then(function (data) {
      $("loading").textContent = "";
      showProblem(null);
      $("lookup").hidden = true;
      render(data);
      if (options.focus) $("main").focus();
      return data;
    }, function (error) {
      $("loading").textContent = "";
      $("result").hidden = true;
      shown.data = null;
      showProblem(error);
      showLookup(shown.number, shown.code);
      $("problem").focus();
      return null;
    });
  }

  /* --- forms ------------------------------------------------------------------------------------------ */
  function lookup(event) {
    event.preventDefault();
    var form = $("lookup-form");
    Desk.clearErrors(form);
    var number = cleanNumber($("number").value);
    var code = cleanCode($("code").value);
    var missing = {};
    if (!number) missing.number = t("form.required");
    if (!code) missing.code = t("form.required");
    if (Object.keys(missing).length) {
      Desk.showErrors(form, new Desk.ApiError(400, { error: { code: "invalid_input", message: t("form.fix"), fields: missing } }));
      return;
    }
    shown.number = number;
    shown.code = code;
    history.replaceState(null, "", "/status?number=" + encodeURIComponent(number) + "&code=" + encodeURIComponent(code));
    load({ focus: true });
  }

  function addInformation(event) {
    event.preventDefault();
    var form = $("add-form");
    var button = $("add-send");
    Desk.clearErrors(form);
    $("add-sent").hidden = true;
    var text = $("text").value.trim();
    if (!text) {
      Desk.showErrors(form, new Desk.ApiError(400, { error: { code: "invalid_input", message: t("form.fix"), fields: { text: t("form.required") } } }));
      return;
    }
    button.disabled = true;
    button.textContent = t("form.sending");
    var attachment = $("attachment");
    var upload = !$("attachment-field").hidden ? Desk.uploadField(attachment) : Promise.resolve(null);
    upload.then(function (uploadId) {
      var body = { text: text };
      if (uploadId) body.attachment_upload_ids = [uploadId];
      return Desk.api("POST", ticketPath("/messages"), { body: body });
    }).then(function () {
      form.reset();
      $("attachment-state").textContent = "";
      $("attachment-progress").hidden = true;
      return load().then(function (data) {
        if (!data) return;
        $("add-sent").hidden = false;
        $("add-sent").focus();
      });
    }, function (error) {
      if (error.status === 404 || error.status === 429) {
        $("result").hidden = true;
        showProblem(error);
        showLookup(shown.number, shown.code);
        $("problem").focus();
      } else {
        Desk.showErrors(form, error);
      }
    }).then(function () {
      button.disabled = false;
      button.textContent = t("status.add.send");
    });
  }

  function confirmRequest(event) {
    event.preventDefault();
    var form = $("confirm-form");
    var button = $("confirm-send");
    Desk.clearErrors(form);
    button.disabled = true;
    button.textContent = t("form.sending");
    Desk.api("POST", ticketPath("/confirm")).then(function () {
      return load().then(function (data) { if (data) $("main").focus(); });
    }, function (error) {
      Desk.showErrors(form, error);
    }).then(function () {
      button.disabled = false;
      button.textContent = t("status.confirm.send");
    });
  }

  function start() {
    var query = new URLSearchParams(location.search);
    shown.number = cleanNumber(query.get("number"));
    shown.code = cleanCode(query.get("code"));
    $("lookup-form").addEventListener("submit", lookup);
    $("add-form").addEventListener("submit", addInformation);
    $("confirm-form").addEventListener("submit", confirmRequest);
    if (shown.number && shown.code) {
      load();
    } else {
      showLookup(shown.number, shown.code);
    }
    document.addEventListener("desk:language", function () {
      if (shown.data) render(shown.data);
      if (shown.problem) showProblem(shown.problem);
      if ($("add-send").disabled) $("add-send").textContent = t("form.sending");
      if ($("confirm-send").disabled) $("confirm-send").textContent = t("form.sending");
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
