// The business fields (name, NIB, NPWP) only while "Badan usaha" is chosen. Without
// JavaScript they stay visible and the server ignores them for a personal applicant.
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[name=applicant_kind]");
  if (!radios.length) { return; }
  var names = ["business_name", "nib", "npwp"];
  var groups = names.map(function (n) {
    var input = document.querySelector("[name=" + n + "]");
    return input ? input.closest(".bp-field") || input.parentElement : null;
  }).filter(Boolean);
  function sync() {
    var chosen = document.querySelector("input[name=applicant_kind]:checked");
    var business = chosen && chosen.value === "business";
    groups.forEach(function (g) { g.hidden = !business; });
  }
  Array.prototype.forEach.call(radios, function (r) { r.addEventListener("change", sync); });
  sync();
})();
