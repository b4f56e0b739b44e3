// The waiting-room TV: speech on/off and calling out each newly called number.
// A static file because the Content-Security-Policy allows no inline script.
(function () {
    var on = localStorage.getItem("dk-speech") !== "off";
    var btn = document.getElementById("dk-speech");
    var ON = btn.getAttribute("data-label-on"), OFF = btn.getAttribute("data-label-off");
    function paint() { btn.textContent = on ? ON : OFF; btn.setAttribute("aria-pressed", on ? "true" : "false"); }
    btn.addEventListener("click", function () { on = !on; localStorage.setItem("dk-speech", on ? "on" : "off"); paint(); });
    paint();
    var ones = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"];
    function words(n) {
      if (n < 12) return ones[n];
      if (n < 20) return words(n - 10) + " belas";
      if (n < 100) return words(Math.floor(n / 10)) + " puluh" + (n % 10 ? " " + words(n % 10) : "");
      if (n < 200) return "seratus" + (n % 100 ? " " + words(n % 100) : "");
      if (n < 1000) return words(Math.floor(n / 100)) + " ratus" + (n % 100 ? " " + words(n % 100) : "");
      return String(n);
    }
    var seen = {};
    function scan(first) {
      document.querySelectorAll("[data-call-id]").forEach(function (el) {
        var id = el.getAttribute("data-call-id"), poli = el.getAttribute("data-poli");
        if (!id) return;
        if (!first && seen[poli] !== id && on && window.speechSynthesis) {
          var text = "Nomor antrean " + el.getAttribute("data-letter").split("").join(" ") + " " +
            words(parseInt(el.getAttribute("data-number"), 10)) + ", silakan ke " + poli;
          var u = new SpeechSynthesisUtterance(text); u.lang = "id-ID"; window.speechSynthesis.speak(u);
        }
        seen[poli] = id;
      });
    }
    scan(true);
    document.body.addEventListener("htmx:afterSwap", function () { scan(false); });
})();

// Pages: as many polis as fit on the screen (PER_PAGE, a 3 x 2 grid), turning every
// TURN_MS; the current page survives the board's refresh every 2 s.
(function () {
  var PER_PAGE = 6, TURN_MS = 10000, page = 0;
  function show() {
    var grid = document.querySelector(".dk-boards");
    if (!grid) return;
    var boards = grid.querySelectorAll(".dk-board"), pages = Math.max(1, Math.ceil(boards.length / PER_PAGE));
    if (page >= pages) page = 0;
    var shown = 0;
    boards.forEach(function (b, i) {
      var on = Math.floor(i / PER_PAGE) === page;
      b.hidden = !on;
      if (on) shown += 1;
    });
    for (var n = 1; n <= PER_PAGE; n++) grid.classList.toggle("dk-n-" + n, n === shown);
    var label = document.querySelector(".dk-page");
    if (label) label.textContent = pages > 1 ? label.getAttribute("data-label") + " " + (page + 1) + "/" + pages : "";
  }
  show();
  document.body.addEventListener("htmx:afterSwap", show);
  setInterval(function () { page += 1; show(); }, TURN_MS);
})();
