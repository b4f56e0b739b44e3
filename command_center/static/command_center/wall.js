// The wallboard rotates through its slides, one screen at a time. htmx swaps in fresh
// slides every 30 s; the rotation keeps its place by the slide's key. Arrow keys step.
(function () {
  var main = document.querySelector("[data-rotate-seconds]");
  if (!main) return;
  var seconds = parseInt(main.dataset.rotateSeconds, 10) || 12;
  var current = null; // the key of the slide on screen
  var timer = null;

  function slides() { return Array.prototype.slice.call(document.querySelectorAll(".cc-slide")); }

  function show(index) {
    var all = slides();
    if (!all.length) return;
    index = ((index % all.length) + all.length) % all.length;
    all.forEach(function (s, i) { s.hidden = i !== index; });
    current = all[index].dataset.slide;
    var pos = document.querySelector("[data-wall-position]");
    if (pos) pos.textContent = String(index + 1);
  }

  function position() {
    var all = slides();
    for (var i = 0; i < all.length; i++) if (all[i].dataset.slide === current) return i;
    return 0;
  }

  function restart() {
    if (timer) window.clearInterval(timer);
    timer = window.setInterval(function () { show(position() + 1); }, seconds * 1000);
  }

  document.body.addEventListener("htmx:afterSwap", function () { show(position()); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") { show(position() + 1); restart(); }
    if (e.key === "ArrowLeft") { show(position() - 1); restart(); }
  });
  show(0);
  restart();
  window.ccWall = { show: show, count: function () { return slides().length; } };
})();
