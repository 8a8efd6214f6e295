// Small enhancements on top of htmx; everything works without them.
(function () {
  "use strict";

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

  // Loading earlier events puts them above the card being read: that card stays where it was on
  // screen. Focus goes to the new event nearest the control pressed (the first later one, the last
  // earlier one) rather than falling to <body>.
  var keptInView = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "earlier") {
      var card = cardInView();
      keptInView = card ? { card: card, top: card.getBoundingClientRect().top } : null;
    }
  });

  // A filter change sent from the form: its results heading is brought into view (and, once the
  // filters are applied, focused), however far down the list the reader was.
  var filterChange = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id !== "filters") return;
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    filterChange = { submitted: !!trigger && trigger.type === "submit" };
  });

  document.addEventListener("htmx:afterSettle", function () {
    var heading = document.getElementById("results-heading");
    if (heading && (focusResultsAfterSwap || filterChange)) {
      if (heading.getBoundingClientRect().top < 0) heading.scrollIntoView({ block: "start" });
      var folded = document.querySelector(".filters-toggle");
      var onPhone = folded && folded.offsetParent !== null;
      if (focusResultsAfterSwap || (filterChange.submitted && !onPhone)) heading.focus({ preventScroll: true });
    }
    focusResultsAfterSwap = false;
    filterChange = null;
    if (keptInView) {
      window.scrollBy(0, keptInView.card.getBoundingClientRect().top - keptInView.top);
    }
    var target = document.querySelector("[data-focus-after-swap]");
    if (target) {
      target.removeAttribute("data-focus-after-swap");
      target.focus({ preventScroll: !!keptInView });
      if (keptInView) target.scrollIntoView({ block: "nearest" });
    }
    keptInView = null;
  });

  // j and k (and the arrow keys, once in the list) move focus from event to event; Enter opens one.
  // The event at the top of the screen is the one being read: j goes to the one after it.
  function eventLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("#timeline li.event h3 a"));
  }

  function cardInView() {
    var cards = document.querySelectorAll("#timeline li.event");
    for (var i = 0; i < cards.length; i += 1) {
      if (cards[i].getBoundingClientRect().bottom > 0) return cards[i];
    }
    return null;
  }

  function typingIn(element) {
    return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
    var timeline = document.getElementById("timeline");
    if (!timeline) return;
    var inList = timeline.contains(document.activeElement);
    var step = { j: 1, k: -1 }[event.key];
    if (!step && inList) step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (!step) return;
    var links = eventLinks();
    if (!links.length) return;
    var focusedCard = inList ? document.activeElement.closest("li.event") : null;
    var current = focusedCard || cardInView();
    var index = links.findIndex(function (link) { return current && current.contains(link); });
    var next = links[Math.min(Math.max(index + step, 0), links.length - 1)];
    event.preventDefault();
    next.focus();
  });

  // Back, Forward and reload show the same events (the address names them); the card that was at
  // the top of the screen comes back to where it was, with or without the back/forward cache.
  var PLACE = "timeline-place:";
  var RETURN = "timeline-return";

  function rememberPlace() {
    var card = cardInView();
    if (!card) return;
    var place = { slug: card.id, top: card.getBoundingClientRect().top };
    sessionStorage.setItem(PLACE + location.pathname + location.search, JSON.stringify(place));
  }

  function restorePlace() {
    var navigation = performance.getEntriesByType("navigation")[0];
    var returning = sessionStorage.getItem(RETURN + ":back") === location.pathname + location.search;
    sessionStorage.removeItem(RETURN + ":back");
    if (!returning && !(navigation && /^(back_forward|reload)$/.test(navigation.type))) return;
    var place = JSON.parse(sessionStorage.getItem(PLACE + location.pathname + location.search) || "null");
    var card = place && document.getElementById(place.slug);
    if (card) window.scrollBy(0, card.getBoundingClientRect().top - place.top);
  }

  if (document.getElementById("timeline")) {
    history.scrollRestoration = "manual";
    window.addEventListener("pagehide", rememberPlace);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("#timeline li.event h3 a") : null;
    if (!link) return;
    var view = { url: location.pathname + location.search, slug: link.closest("li.event").id };
    sessionStorage.setItem(RETURN, JSON.stringify(view));
  });

  // "Back to the timeline" returns to the view the reader came from, at the card they opened;
  // without a view to return to, its link is a view that holds the event.
  function setUpBackLink() {
    var back = document.querySelector("a.back-to-timeline");
    var view = JSON.parse(sessionStorage.getItem(RETURN) || "null");
    var fromHere = document.referrer && new URL(document.referrer).origin === location.origin;
    if (!back || !view || !fromHere) return;
    back.href = view.url + "#" + view.slug;
    back.addEventListener("click", function () { sessionStorage.setItem(RETURN + ":back", view.url); });
  }

  // Busy state for screen readers while results load.
  document.addEventListener("htmx:beforeRequest", function () {
    var results = document.getElementById("results");
    if (results) results.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", function () {
    var results = document.getElementById("results");
    if (results) results.setAttribute("aria-busy", "false");
  });

  // On narrow screens the filters fold behind their summary (a <details>, app.css), which counts
  // the filters in use as the reader changes them.
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

  document.addEventListener("change", updateToggleLabel);
  document.addEventListener("input", updateToggleLabel);

  // Applying the filters on a phone folds them away to show the results; focus stays on the summary
  // rather than falling to the top of the page with the button that was pressed.
  document.addEventListener("submit", function (event) {
    var toggle = document.querySelector(".filters-toggle");
    if (event.target.id !== "filters" || !toggle || toggle.offsetParent === null) return;
    toggle.parentElement.open = false;
    toggle.focus();
  });

  // On wide screens the form shows whatever its <details> says; open, it also says so to assistive
  // technology. Nothing moves: the fold is drawn by the stylesheet.
  var wide = window.matchMedia("(width > 50rem)");
  function openOnWideScreens() {
    var fold = document.querySelector(".filters-fold");
    if (fold && wide.matches) fold.open = true;
  }
  wide.addEventListener("change", openOnWideScreens);
  document.addEventListener("htmx:historyRestore", openOnWideScreens);

  // Back twice in quick succession restores two entries; the server's answer for the first may
  // arrive after the second's and would show the wrong view: only the latest restore may land.
  var restoring = null;
  document.addEventListener("htmx:historyCacheMiss", function (event) {
    if (restoring) restoring.abort();
    restoring = event.detail.xhr;
  });
  document.addEventListener("htmx:historyCacheHit", function () {
    if (restoring) restoring.abort();
    restoring = null;
  });

  function setUp() {
    openOnWideScreens();
    restorePlace();
    setUpBackLink();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }

  // A group of choices (countries, topics) is one Tab stop, as a radio group is: the arrow keys move
  // within it and Space ticks. The filters then sit a few Tab stops from the top of the page; without
  // JavaScript every choice is a stop. The form applies itself as it changes, so its button goes.
  function choices(group) {
    return Array.prototype.filter.call(group.querySelectorAll("input[type=checkbox], summary"), function (choice) {
      return choice.checkVisibility();
    });
  }

  function setUpChoiceGroups() {
    var form = document.getElementById("filters");
    if (!form) return;
    // On a phone the button stays: applying folds the filters away to show the results (app.css).
    if (window.htmx) form.classList.add("live");
    Array.prototype.forEach.call(form.querySelectorAll("fieldset.facet"), function (group) {
      var items = choices(group);
      var current = items.filter(function (item) { return item === document.activeElement; })[0] || items[0];
      items.forEach(function (item) { item.setAttribute("tabindex", item === current ? "0" : "-1"); });
    });
  }

  var CHOICE_STEPS = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
  document.addEventListener("keydown", function (event) {
    var group = event.target.closest && event.target.closest("#filters fieldset.facet");
    if (!group || event.altKey || event.ctrlKey || event.metaKey) return;
    var items = choices(group);
    var index = items.indexOf(event.target);
    if (index < 0) return;
    var next = null;
    if (event.key in CHOICE_STEPS) next = items[Math.min(Math.max(index + CHOICE_STEPS[event.key], 0), items.length - 1)];
    else if (event.key === "Home") next = items[0];
    else if (event.key === "End") next = items[items.length - 1];
    if (!next) return;
    event.preventDefault();
    items.forEach(function (item) { item.setAttribute("tabindex", item === next ? "0" : "-1"); });
    next.focus();
  });
  // A choice reached by pointer, or a "More…" opened, becomes the group's stop.
  document.addEventListener("focusin", function (event) {
    var group = event.target.closest && event.target.closest("#filters fieldset.facet");
    if (!group) return;
    choices(group).forEach(function (item) { item.setAttribute("tabindex", item === event.target ? "0" : "-1"); });
  });
  document.addEventListener("toggle", function (event) {
    if (event.target.closest && event.target.closest("#filters fieldset.facet")) setUpChoiceGroups();
  }, true);
  document.addEventListener("htmx:historyRestore", setUpChoiceGroups);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpChoiceGroups);
  else setUpChoiceGroups();
})();
