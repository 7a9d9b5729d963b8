// Attendance roll: everyone present or the previous roll in one click, filter rows,
// mark a whole group present, keep the counts live (the bar and each group's).
// The page works without it: the two start links then reload the roll filled in,
// and the server recounts on save.
(function () {
  "use strict";
  var form = document.getElementById("roll-form");
  if (!form) return;
  document.documentElement.classList.add("js");
  var attended = { present: true, late: true, represented: true };
  var rows = Array.prototype.slice.call(form.querySelectorAll(".roll-row"));

  function checked(row) {
    return row.querySelector("input[type=radio]:checked");
  }

  function choose(row, status, note) {
    var radio = row.querySelector('input[type=radio][value="' + status + '"]');
    if (radio) radio.checked = true;
    if (note !== undefined) row.querySelector(".note").value = note;
  }

  // A person the page may fill in: not recorded at this meeting when it opened,
  // and still as it opened (absent, no note), so nothing chosen by hand is undone.
  function untouched(row) {
    var radio = checked(row);
    return (
      row.dataset.recorded === "0" &&
      (!radio || radio.value === "absent") &&
      !row.querySelector(".note").value.trim()
    );
  }

  function recount() {
    var present = 0;
    var members = 0;
    var communities = {};
    form.querySelectorAll(".roll-group").forEach(function (group) {
      var groupPresent = 0;
      var groupRows = group.querySelectorAll(".roll-row");
      groupRows.forEach(function (row) {
        var radio = checked(row);
        if (!radio || !attended[radio.value]) return;
        groupPresent += 1;
        if (row.dataset.member) members += 1;
        if (row.dataset.community) communities[row.dataset.community] = true;
      });
      present += groupPresent;
      group.querySelector("[data-group-present]").textContent = groupPresent;
      var absent = groupRows.length - groupPresent;
      group.querySelector("[data-group-absent]").textContent = absent;
      group.querySelector("[data-group-absent-wrap]").hidden = absent === 0;
    });
    document.querySelector("[data-count=present]").textContent = present;
    document.querySelector("[data-count=members]").textContent = members;
    document.querySelector("[data-count=others]").textContent = present - members;
    document.querySelector("[data-count=absent]").textContent = rows.length - present;
    document.querySelector("[data-count=communities]").textContent = Object.keys(communities).length;
  }

  // Tell the unsaved-changes warning that the page changed.
  function changed() {
    recount();
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  form.addEventListener("change", recount);

  document.querySelectorAll("[data-roll-start]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var previous = link.dataset.rollStart === "previous";
      rows.forEach(function (row) {
        if (!untouched(row)) return;
        if (!previous) choose(row, "present");
        else if (row.dataset.previous) choose(row, row.dataset.previous, row.dataset.previousNote);
      });
      changed();
    });
  });

  document.querySelectorAll("[data-mark-present]").forEach(function (button) {
    button.addEventListener("click", function () {
      var group = form.querySelector('[data-group="' + button.dataset.markPresent + '"]');
      group.querySelectorAll(".roll-row").forEach(function (row) {
        if (row.hidden) return;
        var radio = checked(row);
        // Keep what was already recorded as late or represented.
        if (!radio || radio.value === "absent") choose(row, "present");
      });
      changed();
    });
  });

  document.querySelectorAll("[data-roll-fold]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.dataset.rollFold === "open";
      form.querySelectorAll(".roll-group").forEach(function (group) {
        group.open = open;
      });
    });
  });

  // Chosen by a tap or a click, "substitute" and "absent" go on to the name or
  // the reason; arrow keys keep moving between the choices.
  var pointer = false;
  form.addEventListener("pointerdown", function () {
    pointer = true;
  });
  form.addEventListener("keydown", function () {
    pointer = false;
  });
  form.addEventListener("change", function (event) {
    var radio = event.target;
    if (!pointer || radio.type !== "radio" || radio.value !== "represented") return;
    radio.closest(".roll-row").querySelector(".note").focus();
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
      // A search opens the groups it finds people in.
      if (query && shown) group.open = true;
    });
  });
  filter.addEventListener("keydown", function (event) {
    // Enter in the filter jumps to the first matching person instead of saving.
    if (event.key !== "Enter") return;
    event.preventDefault();
    var first = form.querySelector(".roll-row:not([hidden]) input[type=radio]:checked");
    if (first) first.focus();
  });
  recount();
})();
