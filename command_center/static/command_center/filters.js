// The two date boxes matter only for "Tanggal pilihan": shown with it, hidden otherwise
// (without JavaScript they simply stay visible).
(function () {
  function sync() {
    var period = document.getElementById("id_periode");
    if (!period) return;
    var custom = period.value === "custom";
    document.querySelectorAll(".cc-custom-date").forEach(function (el) { el.hidden = !custom; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var period = document.getElementById("id_periode");
    if (!period) return;
    period.addEventListener("change", sync);
    sync();
  });
})();
