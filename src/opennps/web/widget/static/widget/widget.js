/*! OpenNPS website widget (docs/widget.md). No dependencies; nothing loaded from elsewhere.
 *
 *   <script src="https://nps.example.com/widget.js" data-survey="KEY" async></script>
 *
 * Shows the survey's question in a slide-in panel inside a shadow root (the page's styles
 * and the widget's never meet), in the language of <html lang>, then the follow-up
 * question. Remembers in this site's localStorage (or a cookie) when the visitor answered
 * or closed it, and does not ask again for the survey's throttle period. Defines one
 * global, OpenNPSWidget, with show(survey) for a "give feedback" button.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var registry = window.OpenNPSWidget = window.OpenNPSWidget || { instances: {} };
  if (!registry.show) {
    registry.show = function (key) {
      var instance = registry.instances[key || Object.keys(registry.instances)[0]];
      if (instance) { instance.start(true); }
    };
  }
  if (!script || !script.getAttribute("data-survey") || !window.fetch ||
      !document.documentElement.attachShadow) { return; }
  var key = script.getAttribute("data-survey");
  if (registry.instances[key]) { return; }
  var base = new URL(".", script.src);
  var api = new URL("widget/" + encodeURIComponent(key) + "/", base).href;
  var storeKey = "opennps-widget:" + key;
  var cookieName = "opennps_widget_" + key.replace(/[^A-Za-z0-9_-]/g, "");
  var DAY = 86400000;
  var opened = false;

  function data(name) { return script.getAttribute("data-" + name) || ""; }

  // --- what this browser remembers (first-party: the customer's site) ---
  function load() {
    var raw = null;
    try { raw = window.localStorage.getItem(storeKey); } catch (e) { raw = null; }
    if (raw === null) {
      var match = document.cookie.match(new RegExp("(?:^|; )" + cookieName + "=([^;]*)"));
      raw = match ? decodeURIComponent(match[1]) : null;
    }
    try { return JSON.parse(raw) || {}; } catch (e) { return {}; }
  }
  function save(state) {
    var text = JSON.stringify(state);
    try { window.localStorage.setItem(storeKey, text); return; } catch (e) { /* cookie */ }
    var days = Math.max(1, Math.ceil(((state.until || 0) - Date.now()) / DAY));
    document.cookie = cookieName + "=" + encodeURIComponent(text) + "; path=/; max-age=" +
      (days * 86400) + "; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
  }

  function call(method, path, body) {
    var options = { method: method, credentials: "omit", mode: "cors", cache: "no-store" };
    if (body) {
      options.headers = { "Content-Type": "application/json" };
      options.body = JSON.stringify(body);
    }
    return fetch(api + path, options).then(function (reply) {
      return reply.json().catch(function () { return {}; }).then(function (json) {
        if (!reply.ok) { var error = new Error(json.error || reply.status); error.status = reply.status; throw error; }
        return json;
      });
    });
  }

  function pageLanguage() {
    return data("language") || document.documentElement.lang || "";
  }

  function visitor() {
    if (!data("user-signature")) { return null; }
    return { id: data("user-id"), email: data("user-email"), name: data("user-name"),
             timestamp: data("user-time"), signature: data("user-signature") };
  }

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function start(now) {
    if (opened) { return; }
    var state = load();
    if (!now && state.until && Date.now() < state.until) { return; }
    call("GET", "?lang=" + encodeURIComponent(pageLanguage())).then(function (config) {
      if (!config.show) { return; }
      window.setTimeout(function () { ask(config, state); }, now ? 0 : config.delay * 1000);
    }).catch(function () { /* not allowed here, or unreachable: show nothing */ });
  }

  function ask(config, state) {
    if (opened) { return; }
    opened = true;
    call("POST", "impressions/", { language: config.language, impression: state.impression || "",
                                   user: visitor() }).then(function (reply) {
      if (!reply.show) {
        if (reply.until) { save({ until: reply.until }); }
        opened = false;
        return;
      }
      save({ until: state.until || 0, impression: reply.impression });
      render(config, reply.impression);
    }).catch(function () { opened = false; });
  }

  function render(config, token) {
    var host = el("opennps-widget", { "data-survey": key });
    var root = host.attachShadow({ mode: "open" });
    var sheet = el("link", { rel: "stylesheet", href: new URL(config.stylesheet, base).href });
    var panel = el("section", { "class": "panel", role: "dialog", "aria-modal": "false",
                                "aria-labelledby": "opennps-question", tabindex: "-1",
                                lang: config.language });
    var close = el("button", { type: "button", "class": "close", "aria-label": config.ui.close,
                               title: config.ui.close }, "×");
    var body = el("div", { "class": "body" });
    var status = el("p", { "class": "status", role: "status" });
    var before = document.activeElement;
    var answered = false;
    var points = config.points;
    panel.appendChild(close);
    panel.appendChild(el("p", { "class": "brand" }, config.brand));
    panel.appendChild(body);
    panel.appendChild(status);
    root.appendChild(sheet);
    root.appendChild(panel);

    function url(action) { return "impressions/" + encodeURIComponent(token) + "/" + action + "/"; }

    function throttle() {
      save({ until: Date.now() + config.throttle_days * DAY });
    }

    function finish(restore) {
      opened = false;
      panel.classList.remove("open");
      document.removeEventListener("keydown", onKey, true);
      window.setTimeout(function () { host.remove(); }, 400);
      if (restore && before && before.focus && document.contains(before)) { before.focus(); }
    }

    function dismiss() {
      if (!answered) {
        throttle();
        call("POST", url("dismiss"), {}).catch(function () { /* the throttle is set */ });
      }
      finish(true);
    }

    function onKey(event) {
      if (event.key === "Escape" && event.composedPath().indexOf(panel) !== -1) {
        event.stopPropagation();
        dismiss();
      }
    }

    function question() {
      var heading = el("h2", { id: "opennps-question", "class": "question" }, config.texts.question);
      var group = el("div", { "class": "points n" + points.length, role: "group",
                              "aria-labelledby": "opennps-question",
                              "aria-describedby": "opennps-ends" });
      points.forEach(function (point, index) {
        var label = String(point);
        if (index === 0) { label += " – " + config.texts.low; }
        if (index === points.length - 1) { label += " – " + config.texts.high; }
        var button = el("button", { type: "button", "class": "point", "data-score": String(point),
                                    "aria-label": label }, String(point));
        button.addEventListener("click", function () { choose(point, group); });
        group.appendChild(button);
      });
      group.addEventListener("keydown", function (event) {
        var buttons = Array.prototype.slice.call(group.querySelectorAll("button"));
        var at = buttons.indexOf(root.activeElement);
        var next = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1,
                     Home: 0, End: buttons.length - 1 }[event.key];
        if (at === -1 || next === undefined) { return; }
        event.preventDefault();
        buttons[Math.max(0, Math.min(buttons.length - 1, next))].focus();
      });
      var ends = el("p", { id: "opennps-ends", "class": "ends" });
      ends.appendChild(el("span", {}, points[0] + " = " + config.texts.low));
      ends.appendChild(el("span", {}, points[points.length - 1] + " = " + config.texts.high));
      body.replaceChildren(heading, group, ends);
    }

    function choose(point, group) {
      Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) { b.disabled = true; });
      status.textContent = "";
      call("POST", url("answer"), { score: point, language: config.language }).then(function (reply) {
        answered = true;
        throttle();
        followUp(reply);
      }).catch(function (error) {
        status.textContent = error.status === 429 ? config.ui.limited : config.ui.failed;
        Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) { b.disabled = false; });
      });
    }

    function followUp(reply) {
      var saved = el("p", { "class": "saved" }, config.ui.saved.replace("{score}", reply.score));
      var form = el("form", { "class": "follow-up", novalidate: "" });
      var label = el("label", { "for": "opennps-comment", id: "opennps-question", "class": "question" },
                     config.texts.follow_up);
      var comment = el("textarea", { id: "opennps-comment", name: "comment", rows: "3",
                                     maxlength: String(config.comment_limit),
                                     "aria-describedby": "opennps-limit" });
      var hint = el("p", { id: "opennps-limit", "class": "hint" }, config.ui.limit);
      var actions = el("div", { "class": "actions" });
      var send = el("button", { type: "submit", "class": "primary" }, config.ui.send);
      var skip = el("button", { type: "button", "class": "secondary" }, config.ui.skip);
      actions.appendChild(send);
      actions.appendChild(skip);
      [label, comment, hint, actions].forEach(function (node) { form.appendChild(node); });
      skip.addEventListener("click", function () { thanks(reply); });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!comment.value.trim()) { thanks(reply); return; }
        send.disabled = true;
        call("POST", url("follow-up"), { comment: comment.value, language: config.language })
          .then(function () { thanks(reply); })
          .catch(function (error) {
            status.textContent = error.status === 400 ? error.message : config.ui.failed;
            send.disabled = false;
          });
      });
      body.replaceChildren(saved, form);
      comment.focus();
    }

    function thanks(reply) {
      var heading = el("h2", { id: "opennps-question", "class": "question thanks", tabindex: "-1" },
                       config.texts.thank_you);
      var nodes = [heading];
      if (reply.review_url) {
        nodes.push(el("p", { "class": "review" }, config.texts.review));
        nodes.push(el("a", { href: reply.review_url, "class": "primary", target: "_blank",
                             rel: "noopener noreferrer" }, config.ui.review));
      }
      var done = el("button", { type: "button", "class": "secondary" }, config.ui.close);
      done.addEventListener("click", function () { finish(true); });
      nodes.push(done);
      status.textContent = "";
      body.replaceChildren.apply(body, nodes);
      heading.focus();
    }

    close.addEventListener("click", dismiss);
    document.addEventListener("keydown", onKey, true);
    question();
    // In the page but hidden until its stylesheet (which loads once it is in the page) is
    // there; then it slides in on the next frame, unless the visitor reduces motion.
    host.hidden = true;
    sheet.addEventListener("load", function () {
      host.hidden = false;
      window.requestAnimationFrame(function () {
        window.requestAnimationFrame(function () {
          panel.classList.add("open");
          var typing = before && (before.isContentEditable ||
            /^(INPUT|TEXTAREA|SELECT)$/.test(before.tagName));
          if (!typing) { panel.focus({ preventScroll: true }); }
        });
      });
    }, { once: true });
    document.body.appendChild(host);
  }

  registry.instances[key] = { start: start };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(false); });
  } else {
    start(false);
  }
})();
