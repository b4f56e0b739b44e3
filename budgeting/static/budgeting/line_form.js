/*
 * The budget line form: the fields of a non-standard item (description, unit, price,
 * justification) show only when "Item di luar daftar" is chosen. Without JavaScript
 * every field shows and the server still checks everything.
 */
(function () {
  "use strict";
  function sync(select) {
    var on = select.value === select.getAttribute("data-nonstandard-toggle");
    var form = select.form;
    if (!form) return;
    form.querySelectorAll("[data-nonstandard]").forEach(function (input) {
      var wrap = input.closest(".bp-field") || input;
      wrap.hidden = !on;
    });
  }
  document.querySelectorAll("select[data-nonstandard-toggle]").forEach(function (select) {
    sync(select);
    select.addEventListener("change", function () { sync(select); });
  });
})();
