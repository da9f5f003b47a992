// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";

  // A second click on a submit button while the first request is still running would send
  // the same transition twice ("pay", "award", "sign"). Ignore repeats until the page changes.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.submitted === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "true";
    form.setAttribute("aria-busy", "true");
  });

  // Pages restored from the back/forward cache must accept a new submission.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      form.removeAttribute("aria-busy");
    });
  });
})();
