// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A second click on a submit button while the first request is still running would send
  // the same transition twice ("pay", "award", "sign"). Ignore repeats until the page changes.
  // Forms with data-confirm ask first (irreversible steps); a "cancel" answer sends nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.submitted === "true") {
      event.preventDefault();
      return;
    }
    var submitter = event.submitter;
    var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
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

  // A warning that needs an acknowledgement: the buttons marked data-requires-acknowledgement stay
  // disabled until the box is ticked (the server refuses the step without it, too).
  function syncAcknowledgements() {
    document.querySelectorAll("input[data-acknowledge]").forEach(function (box) {
      var form = box.form;
      if (!form) {
        return;
      }
      form.querySelectorAll("button[data-requires-acknowledgement]").forEach(function (button) {
        button.disabled = !box.checked;
      });
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.dataset.acknowledge !== undefined) {
      syncAcknowledgements();
    }
  });

  // The menu: one button on phones; one open submenu at a time; Escape or a click elsewhere closes it.
  function setup() {
    syncAcknowledgements();
    var toggle = document.getElementById("menu-toggle");
    var menu = document.getElementById("site-menu");
    if (toggle && menu) {
      var narrow = window.matchMedia("(max-width: 48rem)");
      var apply = function () {
        if (narrow.matches) {
          toggle.hidden = false;
          var open = toggle.getAttribute("aria-expanded") === "true" && toggle.dataset.touched === "true";
          toggle.setAttribute("aria-expanded", open ? "true" : "false");
          menu.dataset.collapsed = open ? "false" : "true";
        } else {
          toggle.hidden = true;
          menu.dataset.collapsed = "false";
        }
      };
      toggle.addEventListener("click", function () {
        toggle.dataset.touched = "true";
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        menu.dataset.collapsed = open ? "false" : "true";
      });
      narrow.addEventListener("change", apply);
      apply();
    }
    var groups = document.querySelectorAll("details.nav-group");
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (group.open) {
          groups.forEach(function (other) {
            if (other !== group) {
              other.open = false;
            }
          });
        }
      });
    });
    document.addEventListener("click", function (event) {
      groups.forEach(function (group) {
        if (group.open && !group.contains(event.target)) {
          group.open = false;
        }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        groups.forEach(function (group) {
          if (group.open) {
            group.open = false;
            group.querySelector("summary").focus();
          }
        });
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
