/* Operator console (adapters/web_console.py). The queue and the open ticket are re-read whenever the server
   says a ticket changed (Server-Sent Events), so resident messages show up as they are written. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("config").textContent);
  var S = cfg.strings;
  var me = cfg.operator;
  var current = null;
  var seq = { queue: 0, ticket: 0 };
  var $ = function (id) { return document.getElementById(id); };

  function t(id, params) {
    var s = S[id] || id;
    Object.keys(params || {}).forEach(function (k) { s = s.split("{" + k + "}").join(String(params[k])); });
    return s;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function get(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (r.status === 401) { window.location.reload(); throw new Error("signed out"); }
      return r.json();
    });
  }
  function post(url, form) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(form))
    }).then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); });
  }

  function flagText(f) {
    if (f.kind === "window_expired") return t("desk-flag-window-expired");
    if (f.kind === "window_closing") return t("desk-flag-window-closing", { minutes: Math.ceil(f.seconds_left / 60) });
    if (f.kind === "quota") return t("desk-flag-quota");
    if (f.kind === "blocked") return t("desk-flag-blocked");
    return t("desk-flag-delivery-failed", { detail: f.detail || f.kind });
  }
  function where(c) { return (c.flow || "-") + " / " + (c.state || "-"); }
  function slots(c) {
    var s = c.slots || {};
    var parts = Object.keys(s).map(function (k) { return k + "=" + s[k]; });
    return parts.length ? parts.join(", ") : "-";
  }

  function renderQueue(data) {
    var list = $("tickets");
    list.textContent = "";
    $("queue-empty").hidden = data.tickets.length > 0;
    data.tickets.forEach(function (tk) {
      var li = el("li");
      var b = el("button");
      b.type = "button";
      b.setAttribute("data-ticket", tk.id);
      if (tk.id === current) b.className = "current";
      b.appendChild(el("span", "line top-line", "#" + tk.id + " · " + tk.channel + " · " +
        t("desk-waiting", { minutes: Math.floor(tk.waited / 60) })));
      b.appendChild(el("span", "line", where(tk.context) + " · " + slots(tk.context)));
      if (tk.operator) b.appendChild(el("span", "line", t("desk-claimed-by", { operator: tk.operator })));
      tk.flags.forEach(function (f) { b.appendChild(el("span", "badge", flagText(f))); });
      b.addEventListener("click", function () { current = tk.id; loadQueue(); loadTicket(); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  function renderTicket(d) {
    var tk = d.ticket;
    $("pick").hidden = true;
    $("detail").hidden = false;
    $("ticket-title").textContent = "#" + tk.id + " · " + tk.channel + " · " + t("desk-status-" + tk.status) +
      (tk.operator ? " · " + t("desk-claimed-by", { operator: tk.operator }) : "");
    var flags = $("flags");
    flags.textContent = "";
    tk.flags.forEach(function (f) { flags.appendChild(el("p", "flag", flagText(f))); });
    var ctx = $("context");
    ctx.textContent = "";
    [["desk-flow", tk.context.flow || "-"], ["desk-state", tk.context.state || "-"],
     ["desk-slots", slots(tk.context)]].forEach(function (row) {
      ctx.appendChild(el("dt", "", t(row[0])));
      ctx.appendChild(el("dd", "", row[1]));
    });
    var ol = $("transcript");
    ol.textContent = "";
    d.transcript.forEach(function (e) {
      var li = el("li", e.who);
      li.appendChild(el("span", "who", t("desk-who-" + e.who) + (e.operator ? " " + e.operator : "")));
      li.appendChild(document.createTextNode(e.text));
      ol.appendChild(li);
    });
    ol.scrollTop = ol.scrollHeight;
    var open = tk.status !== "closed";
    $("claim-form").hidden = !open || tk.operator === me;
    $("reply-form").hidden = !open || (tk.operator !== "" && tk.operator !== me);
    $("close-form").hidden = !open;
    var quick = $("quick");
    if (!quick.childNodes.length || quick.getAttribute("data-locale") !== tk.locale) {
      quick.textContent = "";
      quick.setAttribute("data-locale", tk.locale);
      d.quick_replies.forEach(function (q) {
        var b = el("button", "", q.label);
        b.type = "button";
        b.addEventListener("click", function () {
          $("reply-text").value = q.text;
          quick.parentNode.open = false;
          $("reply-text").focus();
        });
        quick.appendChild(b);
      });
    }
  }

  function loadQueue() {
    var n = ++seq.queue;
    return get("/console/api/tickets").then(function (d) { if (n === seq.queue) renderQueue(d); }, function () {});
  }
  function loadTicket() {
    if (!current) return Promise.resolve();
    var n = ++seq.ticket;
    return get("/console/api/tickets/" + encodeURIComponent(current))
      .then(function (d) { if (n === seq.ticket && d.ticket) renderTicket(d); }, function () {});
  }
  function showResult(res) {
    var p = $("result");
    p.hidden = res.ok;
    if (!res.ok) p.textContent = t("desk-result-failed", { result: res.data.result || res.data.error });
  }
  function act(formId, path, done) {
    $(formId).addEventListener("submit", function (e) {
      e.preventDefault();
      if (!current) return;
      var form = e.target;
      post("/console/api/tickets/" + encodeURIComponent(current) + "/" + path, form).then(function (res) {
        showResult(res);
        if (res.ok && done) done(form);
        loadQueue();
        loadTicket();
      });
    });
  }
  act("claim-form", "claim");
  act("reply-form", "reply", function (form) { form.elements.text.value = ""; });
  act("close-form", "close", function (form) { form.elements.closing.value = ""; });

  if (window.EventSource) {
    var stream = new EventSource("/console/api/events");
    stream.addEventListener("changed", function () { loadQueue(); loadTicket(); });
  }
  window.setInterval(loadQueue, 30000);  // waiting times move on even when nothing changes
  loadQueue();
})();
