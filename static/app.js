// Small enhancements on top of htmx; everything works without them.
(function () {
  "use strict";

  var narrow = window.matchMedia("(max-width: 50rem)");

  // The address bar shows the link to the view: leave out empty fields and the default order, and
  // keep the parameters in the reader's order (that of the address shown), new choices after them,
  // rather than the form's (which lists China before India however the reader chose them).
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "filters") return;
    var data = event.detail.formData;
    var entries = Array.from(data.entries()).filter(function (entry) {
      var name = entry[0], value = entry[1];
      return value.trim() !== "" && !(name === "order" && value === "asc");
    });
    var shown = Array.from(new URLSearchParams(window.location.search).entries());
    var positions = entries.map(function (entry, index) {
      var single = data.getAll(entry[0]).length === 1;
      var found = shown.findIndex(function (pair) {
        // A field with one value (words, dates) keeps its place when its value changes.
        return pair[0] === entry[0] && (pair[1] === entry[1] || single);
      });
      return { entry: entry, position: found < 0 ? shown.length : found, index: index };
    });
    positions.sort(function (a, b) { return a.position - b.position || a.index - b.index; });
    Array.from(new Set(data.keys())).forEach(function (name) { data.delete(name); });
    positions.forEach(function (item) { data.append(item.entry[0], item.entry[1]); });
  });

  // While the reader types, the word being typed is the beginning of a word: "negot" finds
  // "negotiations" at once. Until it has the three letters a prefix needs, no search runs, so the
  // results stay as they were rather than flash "0 events"; Enter searches it as a whole word.
  // The pushed URL carries the "*", so it shows the same results when pasted.
  var TYPED_WORD = /[\p{L}\p{N}]+$/u;
  var MIN_PREFIX_LETTERS = 3;
  document.addEventListener("htmx:configRequest", function (event) {
    var trigger = event.detail.triggeringEvent;
    if (event.detail.elt.id !== "filters" || !trigger || trigger.type !== "input" || trigger.target.id !== "q") return;
    var data = event.detail.formData;
    var q = data.get("q") || "";
    var inPhrase = (q.match(/"/g) || []).length % 2 === 1;
    var typed = q.match(TYPED_WORD);
    if (!typed || inPhrase) return;
    if (typed[0].length < MIN_PREFIX_LETTERS) {
      event.preventDefault();
      return;
    }
    data.set("q", q + "*");
  });

  // A bar of the overview (or an era) narrows the view to its period. Its link works on its own;
  // on the timeline it goes through the filter form instead, so the form shows the new dates and
  // htmx swaps the results as for any other filter.
  var focusResultsAfterSwap = false;
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-period-from]") : null;
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var form = document.getElementById("filters");
    if (!form || !window.htmx || !form.elements.namedItem("from") || !form.elements.namedItem("to")) return;
    event.preventDefault();
    form.elements.namedItem("from").value = link.getAttribute("data-period-from");
    form.elements.namedItem("to").value = link.getAttribute("data-period-to");
    // The link is replaced with the results: focus goes to their heading rather than to <body>.
    focusResultsAfterSwap = true;
    htmx.trigger(form, "submit");
  });

  // After "Load more", keyboard focus moves to the first new event instead of falling to <body>.
  document.addEventListener("htmx:afterSettle", function () {
    if (focusResultsAfterSwap) {
      focusResultsAfterSwap = false;
      var heading = document.getElementById("results-heading");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
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

  // On narrow screens the filters fold behind a button that counts the filters in use;
  // without JavaScript they simply stay open. Back and Forward replace the page's markup,
  // so the button is set up again then, and its clicks are handled at the document.
  function activeFilters(form) {
    var count = 0;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.type === "checkbox") {
        if (field.checked) count += 1;
      } else if (field.name === "order") {
        if (field.value === "desc") count += 1;
      } else if (field.name && field.value && field.value.trim() !== "") {
        count += 1;
      }
    });
    return count;
  }

  function updateToggleLabel() {
    var toggle = document.querySelector(".filters-toggle");
    var form = document.getElementById("filters");
    if (!toggle || !form) return;
    var count = activeFilters(form);
    toggle.textContent = count ? "Filters (" + count + " in use)" : "Filters";
  }

  function setUpFilterToggle() {
    var toggle = document.querySelector(".filters-toggle");
    if (!toggle) return;
    toggle.hidden = !narrow.matches;
    toggle.setAttribute("aria-expanded", narrow.matches ? "false" : "true");
    updateToggleLabel();
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".filters-toggle");
    if (!toggle) return;
    toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
  });
  document.addEventListener("change", updateToggleLabel);
  document.addEventListener("input", updateToggleLabel);

  // Applying the filters on a phone folds them away to show the results; focus stays on the button
  // rather than falling to the top of the page with the button that was pressed.
  document.addEventListener("submit", function (event) {
    var toggle = document.querySelector(".filters-toggle");
    if (event.target.id !== "filters" || !toggle || toggle.hidden) return;
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  });

  narrow.addEventListener("change", setUpFilterToggle);
  document.addEventListener("htmx:historyRestore", setUpFilterToggle);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpFilterToggle);
  } else {
    setUpFilterToggle();
  }
})();
