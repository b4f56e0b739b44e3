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
