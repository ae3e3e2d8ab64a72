// The waitlist page's countdowns: each offer's remaining hold, in minutes, ticking down from
// what the server said (data-seconds-left) without reloading; the page itself stays correct
// without scripts.
(function () {
  "use strict";
  var started = Date.now();
  function tick() {
    var elapsed = Math.floor((Date.now() - started) / 1000);
    document.querySelectorAll(".countdown[data-seconds-left]").forEach(function (el) {
      var left = Math.max(0, parseInt(el.getAttribute("data-seconds-left"), 10) - elapsed);
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      el.setAttribute("data-now-left", String(left));
      el.querySelector(".clock").textContent =
        minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    });
  }
  tick();
  setInterval(tick, 1000);
})();
