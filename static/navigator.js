// The time navigator (templates/_navigator.html), enhanced: its links work on their own.
// The axis is one Tab stop (arrow keys move between periods and pan past the ends, + and − zoom,
// 0 shows the whole range); wheel and pinch zoom, drag and horizontal swipes pan; the band of the
// events on screen follows the list. A step loads the navigator alone from the server and takes one
// history entry; a wheel or pinch gesture takes one however many ticks it has.
(function () {
  "use strict";

  var MIN_MONTHS = 6;
  var PLOT_SHARE = 0.95; // the plot's share of the chart's width (app/navigator.py PLOT_WIDTH)
  var GESTURE_IDLE_MS = 700;
  var WHEEL_DELAY_MS = 180;
  var DRAG_PX = 6;
  var MARK_PX = 4; // how near a mouse click must be to an event's mark to move the list to that event
  var SCROLL = "navigator-scroll:";
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function navigator() { return document.getElementById("navigator"); }
  function live() { var nav = navigator(); return nav && nav.querySelector(".navigator-controls") ? nav : null; }

  function monthOf(iso) { return Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1; }
  function dayOf(iso) { return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))); }
  function pad(number, width) { return String(number).padStart(width, "0"); }
  function monthText(number) { return pad(Math.floor(number / 12), 4) + "-" + pad((number % 12) + 1, 2); }

  function spanText(first, last) {
    if (first % 12 === 0 && last % 12 === 11) return pad(first / 12, 4) + ".." + pad((last - 11) / 12, 4);
    return monthText(first) + ".." + monthText(last);
  }

  function wholeOf(nav) {
    var parts = nav.getAttribute("data-whole").split("..");
    var first = parts[0].length === 4 ? Number(parts[0]) * 12 : monthOf(parts[0] + "-01");
    var last = parts[1].length === 4 ? Number(parts[1]) * 12 + 11 : monthOf(parts[1] + "-01");
    return { first: first, last: last };
  }

  function spanOf(nav) {
    return { first: monthOf(nav.getAttribute("data-span-start")), last: monthOf(nav.getAttribute("data-span-end")) };
  }

  // The span asked for, kept inside the whole range: the server rounds it to whole periods.
  function spanUrl(nav, first, months) {
    var whole = wholeOf(nav);
    var wholeMonths = whole.last - whole.first + 1;
    months = Math.max(MIN_MONTHS, Math.min(Math.round(months), wholeMonths));
    first = Math.min(Math.max(Math.round(first), whole.first), whole.last - months + 1);
    var url = new URL(window.location.href);
    url.searchParams.delete("span");
    url.searchParams.append("span", spanText(first, first + months - 1));
    return url.pathname + url.search;
  }

  // The address of what is shown: the server rounds a span to whole periods.
  function shownUrl(url) {
    var nav = navigator();
    if (!nav) return url;
    var shown = new URL(url, window.location.href);
    var span = nav.getAttribute("data-span");
    shown.searchParams.delete("span");
    if (span) shown.searchParams.append("span", span);
    return shown.pathname + shown.search;
  }

  // Loads a step. "navigator" replaces the navigator alone; "results" the list with it.
  var pending = null;
  function load(url, target, history, focus) {
    if (!window.htmx) { window.location.href = url; return; }
    pending = url;
    htmx.ajax("GET", url, { target: "#" + target, swap: "outerHTML" }).then(function () {
      if (pending !== url) return;
      url = shownUrl(url);
      if (url === window.location.pathname + window.location.search) history = "replace";
      if (history === "push") {
        // The entry left behind is one htmx restores on Back (the page's first is not marked yet),
        // and it comes back scrolled where it was.
        if (!window.history.state) window.history.replaceState({ htmx: true }, "", window.location.href);
        sessionStorage.setItem(SCROLL + window.location.pathname + window.location.search, String(window.scrollY));
        window.history.pushState({ htmx: true }, "", url);
      }
      else if (history === "replace") window.history.replaceState({ htmx: true }, "", url);
      setUp();
      if (focus) focus();
    });
  }

  function periods(nav) { return Array.prototype.slice.call(nav.querySelectorAll("a.period")); }
  function controls(nav) { return Array.prototype.slice.call(nav.querySelectorAll(".navigator-controls a")); }
  function control(nav, key) { return nav.querySelector('.navigator-controls a[data-key="' + key + '"]'); }

  function begins(period) {
    var first = period.getAttribute("data-first");
    return first.length === 4 ? Number(first) * 12 : monthOf(first + "-01");
  }

  // After a pan, the period that holds the month next to the one that had focus.
  function focusMonth(month) {
    return function () {
      var nav = navigator();
      if (!nav) return;
      var all = periods(nav);
      var chosen = all.filter(function (period) { return begins(period) <= month; }).pop() || all[0];
      if (chosen) { rove(all, chosen); chosen.focus(); }
    };
  }

  function focusPeriod(which) {
    return function () {
      var nav = navigator();
      if (!nav) return;
      var all = periods(nav);
      var chosen = which === "last" ? all[all.length - 1]
        : which === "first" ? all[0]
        : nav.querySelector('a.period[data-first="' + which + '"]') || nav.querySelector("a.period[aria-current]") || all[0];
      if (chosen) { rove(all, chosen); chosen.focus(); }
    };
  }

  // After a click or a tap on a period: the axis keeps focus, and the list comes into view if it
  // starts below the screen (on a phone the navigator fills it).
  function showList(first) {
    var focus = focusPeriod(first);
    return function () {
      var nav = navigator();
      var scrolled = window.scrollY;
      focus();
      window.scrollTo(0, scrolled);
      var card = document.querySelector("#timeline li.event");
      if (nav && card && card.getBoundingClientRect().top > window.innerHeight - 120) {
        card.scrollIntoView({ block: "start" });
      }
    };
  }

  function focusControl(key) {
    return function () {
      var nav = navigator();
      var next = nav && (control(nav, key) || controls(nav)[0]);
      if (next) { rove(controls(nav), next); next.focus(); }
    };
  }

  // One Tab stop for a group: the chosen item takes it, the others are reached with the arrows.
  function rove(items, chosen) {
    items.forEach(function (item) { item.setAttribute("tabindex", item === chosen ? "0" : "-1"); });
  }

  function setUp() {
    var nav = live();
    if (!nav) return;
    var all = periods(nav);
    rove(all, nav.querySelector("a.period[aria-current]") || all[0]);
    var tools = controls(nav);
    rove(tools, tools[0]);
    showHere();
  }

  // A step by key: on the axis, or on the toolbar.
  function step(nav, key, focus) {
    var link = control(nav, key);
    if (link) load(link.getAttribute("href"), "navigator", "push", focus);
  }

  document.addEventListener("keydown", function (event) {
    var nav = live();
    if (!nav || event.altKey || event.ctrlKey || event.metaKey) return;
    var period = event.target.closest && event.target.closest("a.period");
    var tool = event.target.closest && event.target.closest(".navigator-controls a");
    if (!period && !tool) return;
    var items = period ? periods(nav) : controls(nav);
    var index = items.indexOf(period || tool);
    var move = null;
    switch (event.key) {
      case "ArrowLeft":
        if (index > 0) move = items[index - 1];
        else if (period) step(nav, "ArrowLeft", focusMonth(begins(period) - 1));
        break;
      case "ArrowRight":
        if (index < items.length - 1) move = items[index + 1];
        else if (period) step(nav, "ArrowRight", focusMonth(spanOf(nav).last + 1));
        break;
      case "Home": move = items[0]; break;
      case "End": move = items[items.length - 1]; break;
      case "PageUp": step(nav, "ArrowLeft", period ? focusPeriod("first") : focusControl("ArrowLeft")); break;
      case "PageDown": step(nav, "ArrowRight", period ? focusPeriod("first") : focusControl("ArrowRight")); break;
      case "+": case "=":
        if (period) load(period.getAttribute("data-zoom"), "navigator", "push", focusMonth(begins(period)));
        else step(nav, "+", focusControl("+"));
        break;
      case "-": case "_": step(nav, "-", period ? focusMonth(begins(period)) : focusControl("-")); break;
      case "0": step(nav, "0", period ? focusPeriod() : focusControl("0")); break;
      default: return;
    }
    event.preventDefault();
    if (move) { rove(items, move); move.focus(); }
  });

  // The mark nearest the pointer, if near enough: with a mouse, an event is one click away. (The
  // periods do the same for every pointer and key, so the marks need no target size of their own.)
  function markNear(nav, clientX) {
    var best = null, distance = MARK_PX + 1;
    Array.prototype.forEach.call(nav.querySelectorAll(".navigator-plot [data-at]"), function (mark) {
      var box = mark.getBoundingClientRect();
      var away = Math.abs(box.left + box.width / 2 - clientX);
      if (away < distance) { best = mark; distance = away; }
    });
    return best;
  }

  // The first card of the day (or month, or year) the mark stands for.
  function focusEvent(at) {
    return function () {
      var card = document.querySelector('#timeline li.event[data-date^="' + at + '"]');
      var link = card && card.querySelector("h3 a");
      if (!link) return;
      card.scrollIntoView({ block: "center" });
      link.focus({ preventScroll: true });
    };
  }

  // The date of the mark a click would go to, above it: a click near a mark goes to its event.
  function labelMark(nav, mark) {
    var label = nav && nav.querySelector("#navigator-mark-label");
    if (!label) return;
    if (!mark) { label.setAttribute("visibility", "hidden"); return; }
    var at = mark.getAttribute("data-at");
    var parts = [at.length >= 10 ? String(Number(at.slice(8, 10))) : "", at.length >= 7 ? MONTHS[Number(at.slice(5, 7)) - 1] : "", at.slice(0, 4)];
    var axis = nav.querySelector(".navigator-axis").getBoundingClientRect();
    var box = mark.getBoundingClientRect();
    label.textContent = parts.filter(Boolean).join(" ");
    label.setAttribute("x", String(box.left + box.width / 2 - axis.left));
    label.removeAttribute("visibility");
  }

  var highlighted = null;
  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType; }, true);
  document.addEventListener("pointermove", function (event) {
    if (event.pointerType !== "mouse") return;
    var nav = live();
    var axis = nav && event.target.closest && event.target.closest(".navigator-axis");
    var mark = axis ? markNear(nav, event.clientX) : null;
    if (mark === highlighted) return;
    if (highlighted) highlighted.classList.remove("mark-near");
    if (mark) mark.classList.add("mark-near");
    highlighted = mark;
    labelMark(nav, mark);
  });

  // A period moves the list there (or, clicked on an event's mark, to that event); a control steps
  // the navigator. A drag that just ended is no click.
  var suppressClick = false;
  document.addEventListener("click", function (event) {
    var nav = live();
    if (!nav || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var period = event.target.closest && event.target.closest("a.period");
    var tool = event.target.closest && event.target.closest(".navigator-controls a[data-step]");
    if (suppressClick && period) { suppressClick = false; event.preventDefault(); return; }
    if (period && document.getElementById("results")) {
      event.preventDefault();
      var mark = event.detail > 0 && lastPointer === "mouse" ? markNear(nav, event.clientX) : null;
      if (mark) {
        var url = new URL(period.getAttribute("href"), window.location.href);
        url.searchParams.set("at", mark.getAttribute("data-at"));
        load(url.pathname + url.search, "results", "push", focusEvent(mark.getAttribute("data-at")));
        return;
      }
      var first = period.getAttribute("data-first");
      load(period.getAttribute("href"), "results", "push", event.detail > 0 ? showList(first) : focusPeriod(first));
    } else if (tool) {
      event.preventDefault();
      load(tool.getAttribute("href"), "navigator", "push", focusControl(tool.getAttribute("data-key")));
    }
  });

  // Wheel and pinch zoom around the pointer; drag and horizontal wheel pan. A gesture is one entry
  // in the history: its first load pushes, the rest replace.
  var gesture = null;
  // A gesture goes on across the swaps it causes, from the span it asked for, until it pauses.
  function gestureSpan(nav) {
    if (!gesture) {
      var span = spanOf(nav);
      gesture = { first: span.first, months: span.last - span.first + 1, pushed: false, timer: null, idle: null };
    }
    return gesture;
  }

  function fractionAt(nav, clientX) {
    var box = nav.querySelector(".navigator-axis").getBoundingClientRect();
    return Math.min(Math.max((clientX - box.left) / (box.width * PLOT_SHARE), 0), 1);
  }

  function zoomBy(nav, factor, fraction) {
    var state = gestureSpan(nav);
    var whole = wholeOf(nav);
    var months = Math.max(MIN_MONTHS, Math.min(state.months * factor, whole.last - whole.first + 1));
    state.first = state.first + fraction * (state.months - months);
    state.months = months;
  }

  function panBy(nav, fraction) {
    var state = gestureSpan(nav);
    state.first += fraction * state.months;
  }

  function settle(nav, delay) {
    var state = gestureSpan(nav);
    clearTimeout(state.timer);
    clearTimeout(state.idle);
    state.timer = setTimeout(function () {
      var url = spanUrl(nav, state.first, state.months);
      var history = state.pushed ? "replace" : "push";
      state.pushed = true;
      load(url, "navigator", history, null);
    }, delay);
    state.idle = setTimeout(function () { gesture = null; }, delay + GESTURE_IDLE_MS);
  }

  document.addEventListener("wheel", function (event) {
    var nav = live();
    var axis = event.target.closest && event.target.closest(".navigator-axis");
    if (!nav || !axis) return;
    var across = Math.abs(event.deltaX) > Math.abs(event.deltaY) || event.shiftKey;
    // Zoomed out all the way, the wheel scrolls the page rather than stop at the chart.
    if (!across && event.deltaY > 0 && !gesture && !control(nav, "-")) return;
    event.preventDefault();
    var scale = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
    if (across) {
      var width = axis.getBoundingClientRect().width * PLOT_SHARE;
      panBy(nav, ((event.shiftKey ? event.deltaY : event.deltaX) * scale) / width);
    } else {
      zoomBy(nav, Math.exp(event.deltaY * scale * 0.002), fractionAt(nav, event.clientX));
    }
    settle(nav, WHEEL_DELAY_MS);
  }, { passive: false });

  var pointers = {};
  document.addEventListener("pointerdown", function (event) {
    var nav = live();
    var axis = event.target.closest && event.target.closest(".navigator-axis");
    if (!nav || !axis || (event.pointerType === "mouse" && event.button !== 0)) return;
    pointers[event.pointerId] = { x: event.clientX, startX: event.clientX, nav: nav, axis: axis };
    gesture = null;
    var ids = Object.keys(pointers);
    if (ids.length === 2) {
      var a = pointers[ids[0]], b = pointers[ids[1]];
      a.pinch = b.pinch = { distance: Math.abs(a.x - b.x) || 1, middle: (a.x + b.x) / 2 };
    }
  });

  document.addEventListener("pointermove", function (event) {
    var pointer = pointers[event.pointerId];
    if (!pointer) return;
    pointer.x = event.clientX;
    var ids = Object.keys(pointers);
    var plot = pointer.nav.querySelector(".navigator-plot");
    if (ids.length === 1 && Math.abs(pointer.x - pointer.startX) > DRAG_PX) {
      if (!pointer.dragging) { pointer.dragging = true; pointer.axis.classList.add("dragging"); }
      plot.setAttribute("transform", "translate(" + (pointer.x - pointer.startX) + " 0)");
    }
  });

  function release(event) {
    var pointer = pointers[event.pointerId];
    if (!pointer) return;
    var nav = pointer.nav;
    var width = pointer.axis.getBoundingClientRect().width * PLOT_SHARE;
    var ids = Object.keys(pointers);
    if (ids.length === 2 && pointer.pinch) {
      var other = pointers[ids[0] === String(event.pointerId) ? ids[1] : ids[0]];
      var distance = Math.abs(pointer.x - other.x) || 1;
      zoomBy(nav, pointer.pinch.distance / distance, fractionAt(nav, pointer.pinch.middle));
      delete pointers[ids[0]];
      delete pointers[ids[1]];
      settle(nav, 0);
      return;
    }
    delete pointers[event.pointerId];
    pointer.axis.classList.remove("dragging");
    if (pointer.dragging && event.type === "pointerup") {
      suppressClick = true;
      setTimeout(function () { suppressClick = false; }, 0);
      panBy(nav, -(pointer.x - pointer.startX) / width);
      settle(nav, 0);
    } else {
      nav.querySelector(".navigator-plot").removeAttribute("transform");
    }
  }
  document.addEventListener("pointerup", release);
  document.addEventListener("pointercancel", release);

  // The events on screen, as a band on the axis and as the current period; while the list is
  // below the fold, the events it holds.
  function visibleDates() {
    var cards = document.querySelectorAll("#timeline li.event[data-date]");
    var first = null, last = null, below = true;
    function take(card) {
      var day = card.getAttribute("data-date");
      if (first === null || day < first) first = day;
      if (last === null || day > last) last = day;
    }
    for (var index = 0; index < cards.length; index += 1) {
      var box = cards[index].getBoundingClientRect();
      if (box.bottom < 0) { below = false; continue; }
      if (box.top > window.innerHeight) break;
      take(cards[index]);
    }
    if (first === null && below) Array.prototype.forEach.call(cards, take);
    return first === null ? null : [first, last];
  }

  function showHere() {
    var nav = navigator();
    var here = nav && nav.querySelector("#navigator-here");
    var dates = here && visibleDates();
    if (!dates) return;
    var start = dayOf(nav.getAttribute("data-span-start"));
    var end = dayOf(nav.getAttribute("data-span-end")) + 86400000;
    var from = Math.max((dayOf(dates[0]) - start) / (end - start), 0);
    var to = Math.min((dayOf(dates[1]) + 86400000 - start) / (end - start), 1);
    if (to <= 0 || from >= 1) { here.setAttribute("visibility", "hidden"); return; }
    here.setAttribute("x", (from * PLOT_SHARE * 100).toFixed(2) + "%");
    here.setAttribute("width", (Math.max(to - from, 0.005) * PLOT_SHARE * 100).toFixed(2) + "%");
    here.removeAttribute("visibility");
    var month = monthOf(dates[0]);
    periods(nav).forEach(function (period) { period.removeAttribute("aria-current"); });
    var current = periods(nav).filter(function (period) { return begins(period) <= month; }).pop();
    if (current) current.setAttribute("aria-current", "location");
  }

  var framed = false;
  function onScroll() {
    if (framed) return;
    framed = true;
    window.requestAnimationFrame(function () { framed = false; showHere(); });
  }
  window.addEventListener("scroll", onScroll, { passive: true });
  window.addEventListener("resize", onScroll);
  document.addEventListener("htmx:afterSettle", setUp);
  document.addEventListener("htmx:historyRestore", function () {
    setUp();
    var kept = sessionStorage.getItem(SCROLL + window.location.pathname + window.location.search);
    if (kept !== null) window.scrollTo(0, Number(kept));
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
