// Copy a read-only text (the LINE summary) to the clipboard and say so.
// Without this script the button stays hidden and the text can still be selected.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-copy-target]");
  if (!buttons.length) return;
  document.documentElement.classList.add("js");

  function say(status, message) {
    // Empty first so that a screen reader announces the same message again.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function copyBySelection(source) {
    // Older browsers, and pages served over plain HTTP, have no clipboard API.
    source.focus();
    source.select();
    source.setSelectionRange(0, source.value.length); // iOS ignores select() alone
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  buttons.forEach(function (button) {
    var source = document.getElementById(button.dataset.copyTarget);
    var status = document.getElementById(button.dataset.copyStatus);
    if (!source || !status) return;
    button.addEventListener("click", function () {
      var done = function () { say(status, button.dataset.copied); };
      var fallback = function () {
        say(status, copyBySelection(source) ? button.dataset.copied : button.dataset.failed);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  });
})();
