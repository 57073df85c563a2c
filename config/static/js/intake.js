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
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
