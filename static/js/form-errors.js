// When a form comes back with errors, start the keyboard and the screen reader at
// the first thing to fix: the form's own message, or the first field in error,
// whose label and error (aria-describedby) are then read out.
(function () {
  "use strict";
  var first = document.querySelector(".form-errors, .card.error, [aria-invalid=true]");
  if (!first) return;
  if (!first.matches("input, select, textarea")) first.setAttribute("tabindex", "-1");
  first.focus();
})();
