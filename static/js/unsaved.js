// Leaving a page whose form was changed but not sent asks first. Forms opt in with
// data-unsaved-warning; sending the form (any of its buttons) ends the warning.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-unsaved-warning]");
  if (!forms.length) return;
  var dirty = false;
  var sending = false;
  forms.forEach(function (form) {
    form.addEventListener("input", function () {
      dirty = true;
    });
    form.addEventListener("change", function () {
      dirty = true;
    });
    form.addEventListener("submit", function () {
      sending = true;
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty || sending) return;
    event.preventDefault();
    // Older browsers show the dialog only when returnValue is set.
    event.returnValue = "";
  });
})();
