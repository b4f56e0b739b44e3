// The officer's list: "select all" for the bulk step (without JavaScript each row's box
// still works).
(function () {
  "use strict";
  var all = document.getElementById("mus-select-all");
  if (!all) { return; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".mus-pick"));
  if (!boxes.length) { return; }
  all.hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
  });
  boxes.forEach(function (b) {
    b.addEventListener("change", function () {
      var n = boxes.filter(function (x) { return x.checked; }).length;
      all.checked = n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    });
  });
})();
