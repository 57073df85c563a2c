// Progressive enhancement of the request form: show only the details of the
// chosen right. Without JavaScript every section stays visible and labelled.
(function () {
  "use strict";
  var form = document.querySelector(".request-form");
  if (!form) return;
  document.documentElement.classList.add("js");
  var radios = form.querySelectorAll('input[name="request_type"]');
  var sections = form.querySelectorAll(".type-section");
  function update() {
    var chosen = form.querySelector('input[name="request_type"]:checked');
    var type = chosen ? chosen.value : "";
    sections.forEach(function (section) {
      section.hidden = section.getAttribute("data-type") !== type;
    });
    var block = document.getElementById("type-details");
    if (block) block.classList.toggle("no-specific", !form.querySelector(".type-section:not([hidden])"));
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();

  // A part that matters for one answer only (the data contested with ground (a)
  // of a restriction, the categories of a specific erasure) shows with that
  // answer. Without JavaScript it stays visible, its label saying when it applies.
  var dependents = Array.prototype.slice.call(form.querySelectorAll("[data-shown-with]"));
  if (dependents.length) {
    var showDependents = function () {
      dependents.forEach(function (part) {
        var rule = part.getAttribute("data-shown-with").split("=");
        var chosen = form.querySelector('input[name="' + rule[0] + '"]:checked');
        part.hidden = !chosen || chosen.value !== rule[1];
      });
    };
    form.addEventListener("change", showDependents);
    showDependents();
  }

  // Corrections: without JavaScript three rows show and the others fold away;
  // with it, the rows up to the last one typed in (at least one) show, and
  // "Add another" reveals the next.
  var rows = Array.prototype.slice.call(form.querySelectorAll(".correction"));
  var adder = form.querySelector("[data-add-correction]");
  if (rows.length && adder) {
    // The rows folded away for visitors without JavaScript are handled row by row here.
    form.querySelectorAll(".more-corrections").forEach(function (details) {
      details.open = true;  // its summary is hidden by the stylesheet
    });
    var last = 0;
    rows.forEach(function (row, index) { if (row.hasAttribute("data-filled")) last = index; });
    rows.forEach(function (row, index) { row.hidden = index > last; });
    var refresh = function () {
      adder.parentNode.hidden = !rows.some(function (row) { return row.hidden; });
    };
    adder.addEventListener("click", function () {
      var next = rows.filter(function (row) { return row.hidden; })[0];
      if (!next) return;
      next.hidden = false;
      refresh();
      var input = next.querySelector("input, textarea");
      if (input) input.focus();
    });
    refresh();
  }
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
