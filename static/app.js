// Small enhancements on top of htmx; everything works without them.
(function () {
  "use strict";

  // After "Load more", keyboard focus moves to the first new event instead of falling to <body>.
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-focus-after-swap]");
    if (target) {
      target.removeAttribute("data-focus-after-swap");
      target.focus();
    }
  });

  // Busy state for screen readers while results load.
  document.addEventListener("htmx:beforeRequest", function () {
    var results = document.getElementById("results");
    if (results) results.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", function () {
    var results = document.getElementById("results");
    if (results) results.setAttribute("aria-busy", "false");
  });

  // On narrow screens the filters fold behind a button; without JavaScript they simply stay open.
  function setUpFilterToggle() {
    var toggle = document.querySelector(".filters-toggle");
    if (!toggle) return;
    var narrow = window.matchMedia("(max-width: 50rem)");
    function apply() {
      toggle.hidden = !narrow.matches;
      toggle.setAttribute("aria-expanded", narrow.matches ? "false" : "true");
    }
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
    });
    narrow.addEventListener("change", apply);
    apply();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpFilterToggle);
  } else {
    setUpFilterToggle();
  }
})();
