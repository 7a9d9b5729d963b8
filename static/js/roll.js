// Attendance roll: filter rows, mark a whole group present, keep the counts live.
// The page works without it; the server recounts on save.
(function () {
  "use strict";
  var form = document.getElementById("roll-form");
  if (!form) return;
  document.documentElement.classList.add("js");
  var attended = { present: true, late: true, represented: true };

  function recount() {
    var people = 0;
    var communities = {};
    form.querySelectorAll("input[type=radio]:checked").forEach(function (radio) {
      if (!attended[radio.value]) return;
      people += 1;
      var community = radio.closest(".roll-row").dataset.community;
      if (community) communities[community] = true;
    });
    document.querySelector("[data-count=people]").textContent = people;
    document.querySelector("[data-count=communities]").textContent = Object.keys(communities).length;
  }

  form.addEventListener("change", recount);

  document.querySelectorAll("[data-mark-present]").forEach(function (button) {
    button.addEventListener("click", function () {
      var group = form.querySelector('[data-group="' + button.dataset.markPresent + '"]');
      group.querySelectorAll(".roll-row").forEach(function (row) {
        if (row.hidden) return;
        var present = row.querySelector("input[value=present]");
        var checked = row.querySelector("input[type=radio]:checked");
        // Keep what was already recorded as late or represented.
        if (!checked || checked.value === "absent") present.checked = true;
      });
      recount();
    });
  });

  var filter = document.getElementById("roll-filter");
  filter.addEventListener("input", function () {
    var query = filter.value.trim().toLowerCase();
    form.querySelectorAll(".roll-group").forEach(function (group) {
      var shown = 0;
      group.querySelectorAll(".roll-row").forEach(function (row) {
        var match = !query || row.dataset.search.toLowerCase().indexOf(query) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      group.hidden = shown === 0;
    });
  });
  filter.addEventListener("keydown", function (event) {
    // Enter in the filter jumps to the first matching person instead of saving.
    if (event.key !== "Enter") return;
    event.preventDefault();
    var first = form.querySelector(".roll-row:not([hidden]) input[type=radio]:checked");
    if (first) first.focus();
  });
})();
