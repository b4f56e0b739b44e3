/*
 * Small progressive enhancements; every page works without this file.
 *
 * - <form data-confirm="Question?">: ask before submitting (e.g. delete buttons).
 *   Without JavaScript the form submits directly; the server still checks everything.
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Put keyboard focus on the error summary after a failed submit, so screen reader
  // and keyboard users land on the list of problems.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".bp-form-alert");
    if (summary) {
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  });
})();
