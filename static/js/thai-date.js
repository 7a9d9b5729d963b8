// A Thai calendar beside every Buddhist-Era date input (core.forms.ThaiDateInput).
// The input stays a plain text box the server reads ("1/12/2569"); the calendar only
// fills it. Keyboard: arrows move a day or a week, Page Up/Down a month, Home/End the
// week's ends, Enter or Space picks, Escape closes and returns to the button.
// Without this script the text box works alone.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-thai-date]");
  if (!inputs.length) return;

  var BE = 543;
  var THAI_MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  // Weeks start on Sunday, as Thai wall calendars do.
  var THAI_DAYS = ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"];
  var THAI_DAYS_LONG = ["อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์"];
  var ENGLISH_DAYS = ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"];
  var ENGLISH_DAYS_LONG = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday"];
  var english = (document.documentElement.lang || "th").indexOf("en") === 0;
  var MONTHS = english ? ENGLISH_MONTHS : THAI_MONTHS;
  var DAYS = english ? ENGLISH_DAYS : THAI_DAYS;
  var DAYS_LONG = english ? ENGLISH_DAYS_LONG : THAI_DAYS_LONG;
  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";
  var counter = 0;

  function asciiDigits(text) {
    return text.replace(/[๐-๙]/g, function (digit) { return String(THAI_DIGITS.indexOf(digit)); });
  }

  // The date written in the input, or null: "1/12/2569" (B.E.) or ISO "2026-12-01".
  function parse(text) {
    text = asciiDigits(text || "").trim();
    var match = /^(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d{4})$/.exec(text);
    var year, month, day;
    if (match) {
      day = +match[1]; month = +match[2]; year = +match[3] - BE;
    } else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text))) {
      year = +match[1]; month = +match[2]; day = +match[3];
    } else {
      return null;
    }
    var date = new Date(year, month - 1, day);
    if (date.getFullYear() !== year || date.getMonth() !== month - 1) return null;
    return date;
  }

  function format(date) {
    return date.getDate() + "/" + (date.getMonth() + 1) + "/" + (date.getFullYear() + BE);
  }

  function sameDay(a, b) {
    return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() &&
      a.getDate() === b.getDate();
  }

  function addDays(date, days) {
    return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
  }

  function addMonths(date, months) {
    var first = new Date(date.getFullYear(), date.getMonth() + months, 1);
    var last = new Date(first.getFullYear(), first.getMonth() + 1, 0).getDate();
    return new Date(first.getFullYear(), first.getMonth(), Math.min(date.getDate(), last));
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function attach(input) {
    var labels = input.dataset;
    var id = "thai-date-" + (++counter);
    var wrap = element("span", "thai-date");
    // Moving the input drops its focus (a form sent back with errors starts there).
    var focused = document.activeElement === input;
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    if (focused) input.focus();

    var open = element("button", "thai-date-open");
    open.type = "button";
    open.setAttribute("aria-haspopup", "dialog");
    open.setAttribute("aria-expanded", "false");
    open.setAttribute("aria-controls", id);
    open.setAttribute("aria-label", labels.labelOpen);
    open.title = labels.labelOpen;
    open.appendChild(element("span", "thai-date-icon"));
    wrap.appendChild(open);

    var dialog = element("div", "thai-date-dialog");
    dialog.id = id;
    dialog.hidden = true;
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-label", labels.labelCalendar);
    var head = element("div", "thai-date-head");
    var previous = element("button", "thai-date-nav", "‹");
    previous.type = "button";
    previous.setAttribute("aria-label", labels.labelPrevious);
    var title = element("h2", "thai-date-title");
    title.id = id + "-title";
    title.setAttribute("aria-live", "polite");
    var next = element("button", "thai-date-nav", "›");
    next.type = "button";
    next.setAttribute("aria-label", labels.labelNext);
    head.appendChild(previous);
    head.appendChild(title);
    head.appendChild(next);
    dialog.appendChild(head);
    var grid = element("table", "thai-date-grid");
    grid.setAttribute("role", "grid");
    grid.setAttribute("aria-labelledby", title.id);
    dialog.appendChild(grid);
    var close = element("button", "thai-date-close", labels.labelClose);
    close.type = "button";
    dialog.appendChild(close);
    wrap.appendChild(dialog);

    var shown = null; // the day that has the keyboard focus in the grid

    function render(focus) {
      var selected = parse(input.value);
      var today = new Date();
      title.textContent = MONTHS[shown.getMonth()] + " " + (shown.getFullYear() + BE);
      grid.textContent = "";
      var header = element("tr");
      DAYS.forEach(function (name, index) {
        var cell = element("th", "", name);
        cell.scope = "col";
        cell.abbr = DAYS_LONG[index];
        header.appendChild(cell);
      });
      var thead = element("thead");
      thead.appendChild(header);
      grid.appendChild(thead);
      var body = element("tbody");
      var first = new Date(shown.getFullYear(), shown.getMonth(), 1);
      var day = addDays(first, -first.getDay());
      for (var week = 0; week < 6; week++) {
        if (week > 0 && day.getMonth() !== shown.getMonth()) break;
        var row = element("tr");
        for (var weekday = 0; weekday < 7; weekday++) {
          var cell = element("td");
          if (day.getMonth() === shown.getMonth()) {
            var button = element("button", "thai-date-day", String(day.getDate()));
            button.type = "button";
            button.dataset.date = format(day);
            button.setAttribute("aria-label", DAYS_LONG[day.getDay()] + " " + day.getDate() +
              " " + MONTHS[day.getMonth()] + " " + (day.getFullYear() + BE));
            button.tabIndex = sameDay(day, shown) ? 0 : -1;
            if (sameDay(day, selected)) button.setAttribute("aria-pressed", "true");
            if (sameDay(day, today)) button.classList.add("today");
            cell.appendChild(button);
          }
          row.appendChild(cell);
          day = addDays(day, 1);
        }
        body.appendChild(row);
      }
      grid.appendChild(body);
      if (focus) {
        var current = grid.querySelector("button[tabindex='0']");
        if (current) current.focus();
      }
    }

    function show() {
      shown = parse(input.value) || new Date();
      dialog.hidden = false;
      open.setAttribute("aria-expanded", "true");
      render(true);
    }

    function hide(returnFocus) {
      if (dialog.hidden) return;
      dialog.hidden = true;
      open.setAttribute("aria-expanded", "false");
      if (returnFocus) open.focus();
    }

    function pick(text) {
      input.value = text;
      // Other scripts (unsaved-change warnings, live checks) hear it as typing.
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      hide(false);
      input.focus();
    }

    function move(date) {
      shown = date;
      render(true);
    }

    open.addEventListener("click", function () {
      if (dialog.hidden) show(); else hide(true);
    });
    previous.addEventListener("click", function () { shown = addMonths(shown, -1); render(false); });
    next.addEventListener("click", function () { shown = addMonths(shown, 1); render(false); });
    close.addEventListener("click", function () { hide(true); });
    grid.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-date]");
      if (button) pick(button.dataset.date);
    });
    grid.addEventListener("keydown", function (event) {
      var button = event.target.closest("button[data-date]");
      if (!button) return;
      var steps = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
      if (event.key in steps) {
        move(addDays(shown, steps[event.key]));
      } else if (event.key === "PageUp") {
        move(addMonths(shown, event.shiftKey ? -12 : -1));
      } else if (event.key === "PageDown") {
        move(addMonths(shown, event.shiftKey ? 12 : 1));
      } else if (event.key === "Home") {
        move(addDays(shown, -shown.getDay()));
      } else if (event.key === "End") {
        move(addDays(shown, 6 - shown.getDay()));
      } else if (event.key === "Enter" || event.key === " ") {
        pick(button.dataset.date);
      } else {
        return;
      }
      event.preventDefault();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        hide(true);
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && event.altKey) {
        event.preventDefault();
        show();
      }
    });
    document.addEventListener("click", function (event) {
      if (!wrap.contains(event.target)) hide(false);
    });
    // A press of Enter in the grid must not send the form.
    dialog.addEventListener("keypress", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  }

  Array.prototype.forEach.call(inputs, attach);
})();
