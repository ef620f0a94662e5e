// Kiosk: a full-screen button, and a return to the question after a while without input.
(function () {
  "use strict";
  var button = document.querySelector("button.fullscreen");
  if (button && document.documentElement.requestFullscreen && !document.fullscreenElement) {
    button.hidden = false;
    button.addEventListener("click", function () {
      document.documentElement.requestFullscreen().then(function () { button.hidden = true; })
        .catch(function () {});
    });
  }
  var script = document.currentScript;
  var home = script && script.dataset.home;
  var idle = script && Number(script.dataset.idle);
  if (!home || !idle) { return; }
  var timer = null;
  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { window.location.assign(home); }, idle * 1000);
  }
  ["input", "keydown", "pointerdown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, arm, { passive: true });
  });
  arm();
})();
