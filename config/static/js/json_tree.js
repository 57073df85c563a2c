// The JSON preview as a collapsible tree: every object and array a <details>.
// Children are built when a part is first opened, so a copy of 10,000 records
// opens at once. Without JavaScript the page shows the indented JSON itself.
(function () {
  "use strict";
  var source = document.getElementById("json-doc");
  var tree = document.getElementById("json-tree");
  if (!source || !tree) return;
  var documentValue;
  try {
    documentValue = JSON.parse(source.textContent);
  } catch (error) {
    return; // leave the indented text as it is
  }
  var itemsLabel = tree.getAttribute("data-items-label") || "items";

  // An object's keys quoted as in JSON; an array's positions as plain numbers.
  function keyText(key) {
    return (typeof key === "number" ? String(key) : JSON.stringify(key)) + ": ";
  }

  function leaf(key, value) {
    var line = document.createElement("div");
    line.className = "json-leaf";
    if (key !== null) {
      var name = document.createElement("span");
      name.className = "json-key";
      name.textContent = keyText(key);
      line.appendChild(name);
    }
    var text = document.createElement("span");
    text.className = "json-" + (value === null ? "null" : typeof value);
    text.textContent = JSON.stringify(value);
    line.appendChild(text);
    return line;
  }

  function branch(key, value, open) {
    var isArray = Array.isArray(value);
    var keys = isArray ? null : Object.keys(value);
    var size = isArray ? value.length : keys.length;
    var part = document.createElement("details");
    var summary = document.createElement("summary");
    if (key !== null) {
      var name = document.createElement("span");
      name.className = "json-key";
      name.textContent = keyText(key);
      summary.appendChild(name);
    }
    summary.appendChild(document.createTextNode((isArray ? "[" : "{") + " " + size + " " + itemsLabel + " " + (isArray ? "]" : "}")));
    part.appendChild(summary);
    var built = false;
    function build() {
      if (built) return;
      built = true;
      for (var index = 0; index < size; index++) {
        var childKey = isArray ? index : keys[index];
        part.appendChild(node(childKey, value[childKey], false));
      }
    }
    part.addEventListener("toggle", function () { if (part.open) build(); });
    if (open) {
      part.open = true;
      build();
    }
    return part;
  }

  function node(key, value, open) {
    if (value !== null && typeof value === "object") return branch(key, value, open);
    return leaf(key, value);
  }

  tree.appendChild(node(null, documentValue, true));
  tree.hidden = false;
  source.hidden = true;
})();
