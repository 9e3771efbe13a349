/* Resident web chat (adapters/web.py). Plain ES2015, no framework, no external file: it must run inside
   WeChat's in-app browser. Every entry of the conversation has a server id; an entry is drawn once, whether it
   comes from the answer to a message, the history, or the live event stream. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("config").textContent);
  var locale = cfg.locale;
  var S = cfg.strings;
  var log = document.getElementById("log");
  var input = document.getElementById("text");
  var form = document.getElementById("composer");
  var banner = document.getElementById("banner");
  var tools = document.getElementById("tools");
  var handoffTools = document.getElementById("handoff-tools");
  var seen = {};
  var mine = {};        // ids of the messages this page sent (their echo from the server is not drawn again)
  var lastId = "";
  var handoff = false;
  var sending = false;
  var stream = null;

  function t(id) { return (S[locale] || {})[id] || id; }
  function newId() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 12); }

  function applyChrome() {
    document.documentElement.lang = locale;
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (el) {
      el.textContent = t(el.getAttribute("data-t"));
    });
    input.placeholder = t("web-input-placeholder");
    banner.hidden = !handoff;
    tools.hidden = handoff;
    handoffTools.hidden = !handoff;
    document.getElementById("lang").disabled = handoff;
  }

  function bubble(who, text) {
    var div = document.createElement("div");
    div.className = "msg " + who;
    var label = document.createElement("span");
    label.className = "who";
    label.textContent = t(who === "user" ? "web-you" : who === "operator" ? "web-operator" : "web-bot");
    div.appendChild(label);
    div.appendChild(document.createTextNode(text));
    log.appendChild(div);
    return div;
  }

  function disableOldOptions() {
    Array.prototype.forEach.call(log.querySelectorAll(".option"), function (b) { b.disabled = true; });
  }

  function draw(entry) {
    if (!entry || seen[entry.id]) return;
    seen[entry.id] = true;
    lastId = entry.id;
    if (entry.who === "user" && mine[entry.mid]) return;
    if (entry.who === "operator" && typeof entry.handoff === "boolean") { handoff = entry.handoff; applyChrome(); }
    if (entry.who === "user") disableOldOptions();
    var div = bubble(entry.who, entry.text || "");
    if (entry.options && entry.options.length) {
      disableOldOptions();
      var box = document.createElement("div");
      box.className = "options";
      entry.options.forEach(function (o) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "option";
        b.textContent = o[1];
        b.addEventListener("click", function () {
          send({ payload: o[0], step: entry.step, label: o[1] }, o[1]);
        });
        box.appendChild(b);
      });
      div.appendChild(box);
    }
  }

  function scroll() { log.scrollTop = log.scrollHeight; }

  function apply(state) {
    if (state.locale) locale = state.locale;
    if (typeof state.handoff === "boolean") handoff = state.handoff;
    (state.entries || []).forEach(draw);
    applyChrome();
    scroll();
  }

  function notice(text) {
    var div = document.createElement("div");
    div.className = "msg system";
    div.setAttribute("role", "alert");
    div.textContent = text;
    log.appendChild(div);
    scroll();
  }

  function post(body, attempt) {
    return fetch("/web/api/message", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }, function (err) {
      // The network dropped: try once more with the same id (the server answers a repeat from its record).
      if (attempt < 1) return post(body, attempt + 1);
      throw err;
    });
  }

  function send(body, shown) {
    if (sending) return;
    sending = true;
    body.id = newId();
    mine[body.id] = true;
    if (shown) { disableOldOptions(); bubble("user", shown); scroll(); }
    form.setAttribute("aria-busy", "true");
    post(body, 0).then(function (res) {
      if (res.ok) apply(res.data);
      else notice(res.data.message || t("web-offline"));
    }, function () {
      notice(t("web-offline"));
    }).then(function () {
      sending = false;
      form.removeAttribute("aria-busy");
      listen();
    });
  }

  function listen() {
    if (stream || !window.EventSource) return;
    stream = new EventSource("/web/api/events?after=" + encodeURIComponent(lastId));
    stream.onmessage = function (e) { draw(JSON.parse(e.data)); scroll(); };
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text || sending) return;
    input.value = "";
    send({ text: text }, text);
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-payload]"), function (b) {
    b.addEventListener("click", function () {
      send({ payload: b.getAttribute("data-payload"), label: b.textContent }, b.textContent);
    });
  });
  document.getElementById("lang").addEventListener("click", function (e) {
    send({ payload: locale === "en" ? "cmd:lang_zh" : "cmd:lang_en", label: e.target.textContent }, e.target.textContent);
  });
  var xl = document.getElementById("xl");
  function setXL(on) {
    document.documentElement.classList.toggle("xl", on);
    xl.setAttribute("aria-pressed", on ? "true" : "false");
    try { window.localStorage.setItem("yb-xl", on ? "1" : ""); } catch (err) { /* private mode */ }
  }
  xl.addEventListener("click", function () { setXL(xl.getAttribute("aria-pressed") !== "true"); scroll(); });
  try { setXL(window.localStorage.getItem("yb-xl") === "1"); } catch (err) { /* private mode */ }

  // Without EventSource (very old browsers) the page asks for new entries every few seconds instead.
  function poll() {
    fetch("/web/api/history?after=" + encodeURIComponent(lastId), { credentials: "same-origin" })
      .then(function (r) { return r.json(); }).then(apply, function () {})
      .then(function () { window.setTimeout(poll, 4000); });
  }

  fetch("/web/api/history", { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (state) {
    apply(state);
    if (!state.entries || !state.entries.length) send({ payload: "cmd:greet" });
    else listen();
    if (!window.EventSource) window.setTimeout(poll, 4000);
  }, function () { notice(t("web-offline")); });
})();
