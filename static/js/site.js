/*
 * Small progressive enhancements; every page works without this file.
 *
 * - <form data-confirm="Question?">: ask before submitting (e.g. delete buttons).
 *   Without JavaScript the form submits directly; the server still checks everything.
 * - <form hx-post=... data-reset-on-success>: empty the form after htmx posted it
 *   successfully (instead of an hx-on attribute, which the CSP would refuse as eval).
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

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-reset-on-success") &&
        event.detail.successful) {
      form.reset();
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
