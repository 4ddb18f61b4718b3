/* The staff console shell: sign-in (the local stack's seeded staff, or Cognito's hosted UI with
   Authorization Code + PKCE), the header with the role's menu, and a hash router for the views.

   A view registers at script load:
     Console.register("queue", {title: "catalogue.key", roles: ["helpdesk"] | null, nav: true,
                                render: function (container, ctx, params) { ... return promise? }});
   #name/param1/param2 shows view "name" with params ["param1", "param2"].
   ctx = {user: {username, name, email, role, unit}, token, api(method, path, body), navigate(hash),
          t, refresh()}. */
(function () {
  "use strict";
  var TOKEN_KEY = "desk-staff-id-token";
  var PKCE_KEY = "desk-staff-pkce";
  var DEFAULT_VIEW = "queue";
  var ROLES = ["helpdesk", "reception", "secretary", "director", "subdit", "lpse_verifier", "training", "admin"];

  var views = {};
  var order = [];
  var started = false;
  var settings = null; // /config.json
  var session = null; // {token, user, exp}
  var renderSerial = 0;
  var notice = null; // a message to show on the sign-in page ({key, kind})

  function t(key, values) { return Desk.t(key, values); }
  function esc(text) { return Desk.escapeHtml(text); }
  function byId(id) { return document.getElementById(id); }

  /* -- views ------------------------------------------------------------------------------------ */
  function register(name, view) {
    if (!name || !view || typeof view.render !== "function") throw new Error("Console.register needs a name and render()");
    if (!views[name]) order.push(name);
    views[name] = {
      name: name,
      title: view.title || name,
      roles: view.roles || null,
      nav: view.nav !== false,
      render: view.render
    };
    if (started && session) renderHeader();
  }
  function allowed(view, user) {
    return !view.roles || (user && view.roles.indexOf(user.role) >= 0);
  }

  /* -- the token -------------------------------------------------------------------------------- */
  function base64UrlDecode(part) {
    var text = part.replace(/-/g, "+").replace(/_/g, "/");
    while (text.length % 4) text += "=";
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder("utf-8").decode(bytes);
  }
  function decodeToken(token) {
    try {
      var parts = String(token).split(".");
      if (parts.length < 2) return null;
      return JSON.parse(base64UrlDecode(parts[1]));
    } catch (e) { return null; }
  }
  function userFrom(claims) {
    var groups = claims["cognito:groups"] || [];
    if (typeof groups === "string") groups = groups.split(/[,\s]+/);
    var role = "";
    for (var i = 0; i < ROLES.length && !role; i++) if (groups.indexOf(ROLES[i]) >= 0) role = ROLES[i];
    if (!role && groups.length) role = groups[0];
    var email = claims.email || "";
    var username = claims["cognito:username"] || claims.username || "";
    // With email as the sign-in name, Cognito's username is the opaque sub: the email says more.
    if ((!username || username === claims.sub || /^[0-9a-f-]{36}$/i.test(username)) && email) username = email;
    if (/@staff\.desk\.local$/.test(username)) username = username.split("@")[0]; // the local stack's seeded staff
    return {
      username: username,
      name: claims.name || claims.given_name || email || username,
      email: email,
      role: role,
      roles: groups.slice(),
      unit: claims["custom:unit"] || ""
    };
  }
  function sessionFrom(token) {
    var claims = token && decodeToken(token);
    if (!claims) return null;
    if (claims.exp && claims.exp * 1000 <= Date.now() + 5000) return null; // expired: signed out
    return { token: token, user: userFrom(claims), exp: claims.exp || 0 };
  }
  function storedSession() {
    var token = null;
    try { token = sessionStorage.getItem(TOKEN_KEY); } catch (e) {}
    var found = sessionFrom(token);
    if (!found && token) { forgetToken(); notice = { key: "console.signin.expired", kind: "error" }; }
    return found;
  }
  function keepToken(token) { try { sessionStorage.setItem(TOKEN_KEY, token); } catch (e) {} }
  function forgetToken() { try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) {} }

  /* -- Cognito hosted UI: Authorization Code with PKCE -------------------------------------------- */
  function randomText(bytes) {
    var data = new Uint8Array(bytes);
    crypto.getRandomValues(data);
    return base64Url(data);
  }
  function base64Url(bytes) {
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function challengeFor(verifier) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)).then(function (digest) {
      return base64Url(new Uint8Array(digest));
    });
  }
  function hostedDomain() { return String(settings.auth.domain || "").replace(/\/+$/, ""); }
  function redirectUri() { return settings.auth.redirect_uri || (location.origin + "/staff/"); }

  function startHostedSignIn() {
    var verifier = randomText(48);
    var state = randomText(24);
    return challengeFor(verifier).then(function (challenge) {
      try {
        sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier: verifier, state: state, hash: location.hash }));
      } catch (e) {}
      var query = new URLSearchParams({
        response_type: "code",
        client_id: settings.auth.client_id,
        redirect_uri: redirectUri(),
        scope: "openid email profile",
        code_challenge_method: "S256",
        code_challenge: challenge,
        state: state
      });
      location.assign(hostedDomain() + "/oauth2/authorize?" + query.toString().replace(/%20/g, "+"));
    });
  }

  /* Back from the hosted UI with ?code=…&state=…: trade the code for the ID token. */
  function finishHostedSignIn() {
    var query = new URLSearchParams(location.search);
    var code = query.get("code");
    var error = query.get("error");
    if (!code && !error) return Promise.resolve(false);
    var saved = {};
    try { saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) || "{}"); } catch (e) {}
    try { sessionStorage.removeItem(PKCE_KEY); } catch (e) {}
    var clean = location.pathname + (saved.hash || location.hash || "");
    history.replaceState(null, "", clean);
    if (error || !saved.verifier || query.get("state") !== saved.state) {
      notice = { key: "console.signin.failed", kind: "error" };
      return Promise.resolve(false);
    }
    var body = new URLSearchParams({
      grant_type: "authorization_code",
      client_id: settings.auth.client_id,
      code: code,
      redirect_uri: redirectUri(),
      code_verifier: saved.verifier
    });
    return fetch(hostedDomain() + "/oauth2/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok || !answer.id_token) throw new Error("token exchange refused");
        keepToken(answer.id_token);
        return true;
      });
    }).catch(function () {
      notice = { key: "console.signin.failed", kind: "error" };
      return false;
    });
  }

  /* -- sign-in and sign-out ----------------------------------------------------------------------- */
  function signOut(reasonKey) {
    forgetToken();
    session = null;
    unitList = null;
    if (reasonKey) notice = { key: reasonKey, kind: reasonKey === "console.signin.expired" ? "error" : "ok" };
    if (settings && settings.auth.mode === "cognito" && !reasonKey) {
      var query = new URLSearchParams({ client_id: settings.auth.client_id, logout_uri: settings.auth.logout_uri || redirectUri() });
      location.assign(hostedDomain() + "/logout?" + query.toString());
      return;
    }
    if (!reasonKey) notice = { key: "console.signin.signed_out", kind: "ok" };
    showSignIn();
  }

  function signedIn(token) {
    var next = sessionFrom(token);
    if (!next) { notice = { key: "console.signin.failed", kind: "error" }; showSignIn(); return; }
    keepToken(token);
    session = next;
    notice = null;
    renderHeader();
    route();
  }

  function showSignIn() {
    renderSerial++;
    session = null;
    renderHeader();
    setTitle("console.signin.title");
    var main = byId("main");
    var box = document.createElement("div");
    box.className = "view view-signin";
    main.replaceChildren(box);
    var intro = '<h1 tabindex="-1">' + esc(t("console.signin.title")) + "</h1>" +
      (notice ? '<p class="notice ' + esc(notice.kind) + '" role="status">' + esc(t(notice.key)) + "</p>" : "");
    if (settings.auth.mode === "cognito") {
      box.innerHTML = intro + '<p class="lead">' + esc(t("console.signin.cognito_lead")) + "</p>" +
        '<div class="actions"><button type="button" id="signin-hosted">' + esc(t("console.signin.button")) + "</button></div>";
      byId("signin-hosted").addEventListener("click", function () { startHostedSignIn(); });
      focusHeading(box);
      return;
    }
    box.innerHTML = intro + '<p class="lead">' + esc(t("console.signin.local_lead")) + "</p>" +
      '<h2 id="signin-staff-title">' + esc(t("console.signin.staff")) + "</h2>" +
      '<ul class="signin-staff" aria-labelledby="signin-staff-title"><li>' + esc(t("console.loading")) + "</li></ul>" +
      '<form id="signin-form" novalidate>' +
      '<p class="form-error notice error" role="alert" tabindex="-1" hidden></p>' +
      field({ id: "signin-username", name: "username", label: "console.signin.username",
        attrs: 'autocomplete="username" required' }) +
      '<div class="actions"><button type="submit">' + esc(t("console.signin.button")) + "</button></div></form>";
    var form = box.querySelector("#signin-form");
    function login(username) {
      Desk.clearErrors(form);
      if (!username) {
        Desk.showErrors(form, { message: t("form.fix"), fields: { username: t("form.required") } });
        return;
      }
      var buttons = box.querySelectorAll("button");
      buttons.forEach(function (b) { b.disabled = true; });
      Desk.api("POST", "/_local/login", { body: { username: username } }).then(function (answer) {
        signedIn(answer.id_token);
      }, function (error) {
        buttons.forEach(function (b) { b.disabled = false; });
        if (!Object.keys(error.fields || {}).length) error.fields = { username: error.message };
        Desk.showErrors(form, error);
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      login(form.elements.username.value.trim());
    });
    Desk.api("GET", "/_local/info").then(function (info) {
      var list = box.querySelector(".signin-staff");
      list.innerHTML = (info.staff || []).map(function (person) {
        return '<li><button type="button" class="secondary" data-username="' + esc(person.username) + '">' +
          '<span class="who">' + esc(person.username) + "</span> " +
          '<span class="what">' + esc(t("role." + person.role)) + " · " + esc(person.unit) + "</span></button></li>";
      }).join("");
      list.querySelectorAll("button[data-username]").forEach(function (button) {
        button.addEventListener("click", function () { login(button.getAttribute("data-username")); });
      });
    }, function () {
      box.querySelector(".signin-staff").innerHTML = "<li>" + esc(t("console.signin.no_list")) + "</li>";
    });
    focusHeading(box);
  }

  /* -- the header ---------------------------------------------------------------------------------- */
  function renderHeader() {
    var nav = byId("console-nav");
    var who = byId("console-user");
    var out = byId("console-signout");
    if (!nav) return;
    if (!session) {
      nav.innerHTML = "";
      nav.hidden = true;
      if (who) { who.textContent = ""; who.hidden = true; }
      if (out) out.hidden = true;
      return;
    }
    var current = parseHash().name;
    nav.innerHTML = order.filter(function (name) {
      var view = views[name];
      return view.nav && allowed(view, session.user);
    }).map(function (name) {
      return '<a href="#' + esc(name) + '"' + (name === current ? ' aria-current="page"' : "") +
        ' data-view="' + esc(name) + '">' + esc(t(views[name].title)) + "</a>";
    }).join("") +
      // On this machine the mail the desk sends (signed links among it) lands in the local outbox.
      (settings && settings.auth.mode === "local"
        ? '<a href="/_local/outbox" target="_blank" rel="noopener">' + esc(t("console.outbox")) + "</a>" : "");
    nav.hidden = false;
    if (who) {
      var user = session.user;
      who.innerHTML = '<span class="user-name">' + esc(user.name) + "</span> " +
        '<span class="user-role">' + esc(t("role." + user.role)) + "</span>" +
        (user.unit ? ' · <span class="user-unit">' + esc(user.unit) + "</span>" : "");
      who.hidden = false;
    }
    if (out) out.hidden = false;
  }

  /* -- routing ------------------------------------------------------------------------------------- */
  function parseHash() {
    var raw = location.hash.replace(/^#/, "");
    var parts = raw ? raw.split("/") : [];
    var name = parts.shift() || DEFAULT_VIEW;
    var params = parts.map(function (p) { try { return decodeURIComponent(p); } catch (e) { return p; } });
    return { name: name, params: params };
  }
  function setTitle(key) {
    var meta = document.querySelector("meta[name=desk-title]");
    if (meta) meta.content = key;
    document.title = t(key) + " · " + t("site.name");
  }
  function focusHeading(box) {
    var heading = box.querySelector("h1");
    if (!heading) return;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }

  /* What a view keeps across a re-render in the other language (a number just given out, say); any
     other navigation starts the view afresh. */
  var memory = { hash: null, kept: {} };

  function makeCtx() {
    var current = session;
    return {
      user: current.user,
      token: current.token,
      kept: memory.kept,
      t: Desk.t,
      api: function (method, path, body) {
        if (!sessionFrom(current.token)) {
          signOut("console.signin.expired");
          return Promise.reject(new Desk.ApiError(401, { error: { code: "unauthorized", message: t("console.signin.expired") } }));
        }
        return Desk.api(method, path, { body: body, token: current.token }).catch(function (error) {
          if (error && error.status === 401) signOut("console.signin.expired");
          throw error;
        });
      },
      navigate: navigate,
      refresh: function () { route(); }
    };
  }

  function navigate(hash) {
    var next = "#" + String(hash || "").replace(/^#/, "");
    if (location.hash === next || (next === "#" && !location.hash)) route();
    else location.hash = next;
  }

  function route(keep) {
    if (!keep || memory.hash !== location.hash) memory = { hash: location.hash, kept: {} };
    if (!session) { showSignIn(); return; }
    if (!sessionFrom(session.token)) { signOut("console.signin.expired"); return; }
    var target = parseHash();
    var view = views[target.name];
    var serial = ++renderSerial;
    renderHeader();
    var main = byId("main");
    var box = document.createElement("div");
    box.className = "view view-" + target.name;
    main.replaceChildren(box);
    if (!view) {
      setTitle("console.not_found.title");
      box.innerHTML = '<h1 tabindex="-1">' + esc(t("console.not_found.title")) + "</h1><p>" +
        esc(t("console.not_found.text")) + '</p><p><a href="#' + DEFAULT_VIEW + '">' + esc(t("console.back_home")) + "</a></p>";
      focusHeading(box);
      return;
    }
    setTitle(view.title);
    if (!allowed(view, session.user)) {
      box.innerHTML = '<h1 tabindex="-1">' + esc(t(view.title)) + '</h1><p class="notice error">' +
        esc(t("console.forbidden")) + '</p><p><a href="#' + DEFAULT_VIEW + '">' + esc(t("console.back_home")) + "</a></p>";
      focusHeading(box);
      return;
    }
    var result;
    try {
      result = view.render(box, makeCtx(), target.params);
    } catch (error) {
      result = Promise.reject(error);
    }
    Promise.resolve(result).then(function () {
      if (serial !== renderSerial) return;
      if (!box.querySelector("h1")) {
        var heading = document.createElement("h1");
        heading.textContent = t(view.title);
        box.insertBefore(heading, box.firstChild);
      }
      focusHeading(box);
    }, function (error) {
      if (serial !== renderSerial) return;
      if (error && error.status === 401) return; // already back at sign-in
      if (!box.querySelector("h1")) {
        var heading = document.createElement("h1");
        heading.textContent = t(view.title);
        box.insertBefore(heading, box.firstChild);
      }
      // A view that failed to load says why instead of "loading".
      box.querySelectorAll("[data-loading]").forEach(function (placeholder) { placeholder.remove(); });
      var message = document.createElement("p");
      message.className = "notice error";
      message.setAttribute("role", "alert");
      message.textContent = (error && error.message) || t("error.unexpected");
      box.appendChild(message);
      focusHeading(box);
      if (window.console && !(error instanceof Desk.ApiError)) window.console.error(error);
    });
  }

  /* -- start --------------------------------------------------------------------------------------- */
  function start() {
    var skip = document.querySelector("a.skip");
    if (skip) skip.addEventListener("click", function (event) {
      event.preventDefault();
      var heading = byId("main").querySelector("h1");
      (heading || byId("main")).focus();
    });
    var out = byId("console-signout");
    if (out) out.addEventListener("click", function () { signOut(); });
    window.addEventListener("hashchange", function () { if (session) route(); });
    document.addEventListener("desk:language", function () {
      if (session) route(true); else showSignIn();
    });
    Desk.config().then(function (c) {
      settings = c;
      settings.auth = settings.auth || { mode: "local" };
      return settings.auth.mode === "cognito" ? finishHostedSignIn() : false;
    }).then(function () {
      started = true;
      session = storedSession();
      if (session) { renderHeader(); route(); } else showSignIn();
    });
  }
  document.addEventListener("DOMContentLoaded", start);

  /* The desk's units (id, name, kind, parent) from GET /staff/units, fetched once per sign-in. */
  var unitList = null;
  function units(ctx) {
    if (!unitList) {
      unitList = ctx.api("GET", "/staff/units").then(function (a) { return (a && a.items) || []; },
        function (error) { unitList = null; throw error; });
    }
    return unitList;
  }

  /* -- form helpers every view shares --------------------------------------------------------------- */
  /* One labelled field with its hint and its error slot, as Desk.showErrors finds it.
     spec: {name, label (a catalogue key) or labelText (already in words), required, hint (a key),
            type: text | email | tel | date | datetime-local | number | select | textarea | checkbox | file,
            options: [[value, text], ...] for a select, value, checked (a checkbox), attrs (more attributes,
            as HTML), id (the control's id), purpose (a file sent through Desk.uploadField)}.
     prefix keeps two forms on one page apart: "ov" names the control ov-NAME and its error slot
     ov-NAME-error, which the form's data-error-prefix="ov-" points Desk.showErrors to. Without it the
     slot is NAME-error and the control's id is spec.id (or NAME). */
  function field(spec, prefix) {
    var name = spec.name;
    var id = prefix ? prefix + "-" + name : (spec.id || name);
    var errorId = (prefix ? prefix + "-" : "") + name + "-error";
    var hintId = spec.hint ? id + "-hint" : "";
    var title = spec.labelText != null ? esc(spec.labelText) : esc(t(spec.label));
    var attrs = ' id="' + esc(id) + '" name="' + esc(name) + '" aria-describedby="' +
      [hintId, errorId].filter(Boolean).map(esc).join(" ") + '"' + (spec.required ? ' aria-required="true"' : "") +
      (spec.purpose ? ' data-purpose="' + esc(spec.purpose) + '"' : "") + (spec.attrs ? " " + spec.attrs : "");
    var hint = spec.hint ? '<span class="hint" id="' + esc(hintId) + '">' + esc(t(spec.hint)) + "</span>" : "";
    var error = '<span class="field-error" id="' + esc(errorId) + '"></span>';
    var open = '<div class="field" data-field="' + esc(name) + '">';
    if (spec.type === "checkbox") {
      return open + '<label class="choice"><input type="checkbox"' + attrs + (spec.checked ? " checked" : "") +
        "> <span>" + title + "</span></label>" + hint + error + "</div>";
    }
    var control;
    if (spec.type === "select") {
      control = "<select" + attrs + ">" + (spec.options || []).map(function (option) {
        var chosen = spec.value != null && String(option[0]) === String(spec.value);
        return '<option value="' + esc(option[0]) + '"' + (chosen ? " selected" : "") + ">" + esc(option[1]) + "</option>";
      }).join("") + "</select>";
    } else if (spec.type === "textarea") {
      control = "<textarea" + attrs + ">" + esc(spec.value == null ? "" : spec.value) + "</textarea>";
    } else {
      control = '<input type="' + esc(spec.type || "text") + '"' + attrs +
        (spec.value != null && spec.type !== "file" ? ' value="' + esc(spec.value) + '"' : "") + ">";
      // Desk.uploadField reports into NAME-progress and NAME-state.
      if (spec.purpose) {
        control += '<progress id="' + esc(name) + '-progress" max="100" value="0" hidden aria-label="' +
          esc(t("upload.progress")) + '"></progress><span class="upload-state" id="' + esc(name) + '-state" aria-live="polite"></span>';
      }
    }
    var required = spec.required ? ' <span class="req">(' + esc(t("sa.required")) + ")</span>" : "";
    return open + '<label for="' + esc(id) + '">' + title + required + "</label>" + hint + control + error + "</div>";
  }

  /* While a form is sending, its controls are disabled (no second click, no edits that would not be sent)
     and its submit button says so. Only controls this disabled are enabled again: a field disabled
     on purpose (a key that cannot change) stays disabled. Read the form's values before calling this:
     FormData skips disabled controls. */
  function busy(form, on) {
    form.setAttribute("aria-busy", on ? "true" : "false");
    if (on) {
      form.querySelectorAll("button, input, select, textarea").forEach(function (control) {
        if (control.disabled) return;
        control.disabled = true;
        control.setAttribute("data-busy", "");
      });
      form.querySelectorAll('button[type="submit"]').forEach(function (button) {
        if (!button.hasAttribute("data-busy")) return;
        button.setAttribute("data-label", button.textContent);
        button.textContent = t("form.sending");
      });
      return;
    }
    form.querySelectorAll("[data-busy]").forEach(function (control) {
      control.disabled = false;
      control.removeAttribute("data-busy");
      if (control.hasAttribute("data-label")) {
        control.textContent = control.getAttribute("data-label");
        control.removeAttribute("data-label");
      }
    });
  }

  /* An API refusal lands beside its fields; anything else is a bug, logged, and told as unexpected. */
  function fail(form, error) {
    if (!(error instanceof Desk.ApiError)) {
      if (window.console) window.console.error(error);
      error = { message: t("error.unexpected"), fields: {} };
    }
    if (error.status === 401) return; // the console is back at sign-in
    Desk.showErrors(form, error);
  }

  /* A notice as HTML: an error is announced at once, anything else politely. */
  function noticeHtml(kind, text) {
    return '<p class="notice ' + esc(kind) + '" role="' + (kind === "error" ? "alert" : "status") + '">' + esc(text) + "</p>";
  }
  /* Fill a notice box already on the page (it keeps its own role). */
  function say(box, kind, text) {
    box.className = "notice " + kind;
    box.textContent = text;
    box.hidden = false;
  }

  window.Console = {
    register: register,
    forms: { field: field, busy: busy, fail: fail, notice: noticeHtml, say: say },
    units: units,
    views: views,
    navigate: navigate,
    signOut: function () { signOut(); },
    get user() { return session ? session.user : null; },
    get token() { return session ? session.token : null; }
  };
})();
