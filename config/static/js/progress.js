// Live progress of the work running for requests (gathering, files, plans,
// manual tasks), by polling small JSON endpoints (requests_app/progress).
// Without JavaScript the pages still work: a reload shows the same.
//
// The request page: when the progress fingerprint changes, the page is fetched
// again and its live sections ([data-live-region]) swapped, except a section
// the DPO is typing in (tried again at the next poll). The queue: one request
// for every visible row with work running. Both stop when nothing runs and
// back off while nothing changes.
(function () {
  "use strict";
  var FIRST = 1500;
  var MAX = 30000;

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  function isDirty(region) {
    var active = document.activeElement;
    if (active && active !== document.body && region.contains(active) && active.matches("input, textarea, select")) {
      return true;
    }
    var fields = region.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "hidden" || f.type === "submit" || f.type === "button") continue;
      if (f.type === "checkbox" || f.type === "radio") {
        if (f.checked !== f.defaultChecked) return true;
      } else if (f.tagName === "SELECT") {
        // Without a selected attribute a single select starts on its first option.
        var marked = Array.prototype.some.call(f.options, function (o) { return o.defaultSelected; });
        for (var j = 0; j < f.options.length; j++) {
          var initial = marked ? f.options[j].defaultSelected : j === 0 && !f.multiple;
          if (f.options[j].selected !== initial) return true;
        }
      } else if (f.type !== "file" && f.value !== f.defaultValue) {
        return true;
      } else if (f.type === "file" && f.value) {
        return true;
      }
    }
    return false;
  }

  function keepOpenDetails(oldRegion, newRegion) {
    var before = oldRegion.querySelectorAll("details");
    var after = newRegion.querySelectorAll("details");
    if (before.length !== after.length) return;
    for (var i = 0; i < before.length; i++) after[i].open = before[i].open;
  }

  function ids(root) {
    return Array.prototype.map.call(root.querySelectorAll("[data-live-region][id]"), function (el) { return el.id; });
  }

  // Fetch the page again and swap its live sections; true when all were swapped.
  function refreshSections() {
    return fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var grid = document.querySelector(".req-grid");
        var freshGrid = fresh.querySelector(".req-grid");
        if (grid && freshGrid && ids(document).join() !== ids(fresh).join()) {
          // A section appeared or went (a plan, the copy): the whole grid, if nobody types in it.
          if (isDirty(grid)) return false;
          grid.replaceWith(document.importNode(freshGrid, true));
          var status = document.getElementById("request-status");
          var freshStatus = fresh.getElementById("request-status");
          if (status && freshStatus) status.replaceWith(document.importNode(freshStatus, true));
          var live = document.getElementById("live-progress");
          var freshLive = fresh.getElementById("live-progress");
          if (live && freshLive) live.replaceWith(document.importNode(freshLive, true));
          return true;
        }
        var all = true;
        document.querySelectorAll("[data-live-region][id]").forEach(function (region) {
          var next = fresh.getElementById(region.id);
          if (!next) return;
          if (isDirty(region)) {
            all = false;
            return;
          }
          var imported = document.importNode(next, true);
          keepOpenDetails(region, imported);
          region.replaceWith(imported);
        });
        return all;
      });
  }

  function requestPage(live) {
    var url = live.getAttribute("data-progress-url");
    var fingerprint = live.getAttribute("data-fingerprint");
    var delay = FIRST;
    var unswapped = false;

    function schedule() { window.setTimeout(tick, delay); }

    function tick() {
      getJSON(url)
        .then(function (data) {
          if (data.fingerprint === fingerprint && !unswapped) {
            delay = Math.min(MAX, Math.round(delay * 1.5));
            return data;
          }
          return refreshSections().then(function (all) {
            unswapped = !all;
            if (all) fingerprint = data.fingerprint;
            delay = FIRST;
            return data;
          });
        })
        .then(function (data) {
          if (data.running || unswapped) schedule();
        })
        .catch(function () {
          delay = Math.min(MAX, delay * 2);
          schedule();
        });
    }

    if (live.getAttribute("data-running") === "1") schedule();
  }

  function queuePage(table) {
    var url = table.getAttribute("data-progress-url");
    var label = table.getAttribute("data-waiting-label") || "";
    var cells = {};
    var watch = [];
    table.querySelectorAll("[data-progress-ref]").forEach(function (cell) {
      var ref = cell.getAttribute("data-progress-ref");
      cells[ref] = cell;
      if (["approved", "processing", "in_review"].indexOf(cell.getAttribute("data-status")) >= 0) watch.push(ref);
    });
    if (!watch.length) return;
    var delay = FIRST;

    function tick() {
      var query = watch.map(function (ref) { return "ref=" + encodeURIComponent(ref); }).join("&");
      getJSON(url + "?" + query)
        .then(function (data) {
          var changed = false;
          var next = [];
          watch.forEach(function (ref) {
            var row = data.rows[ref];
            var cell = cells[ref];
            if (!row || !cell) return;
            if (cell.getAttribute("data-status") !== row.status) {
              var badge = cell.querySelector(".status");
              if (badge) {
                badge.className = "status status-" + row.status;
                badge.textContent = row.status_label;
              }
              cell.setAttribute("data-status", row.status);
              changed = true;
            }
            var text = row.waiting_for ? label + " " + row.waiting_for : "";
            var line = cell.querySelector(".live-state");
            if (!line && text) {
              line = document.createElement("div");
              line.className = "live-state muted small";
              line.setAttribute("role", "status");
              cell.appendChild(line);
            }
            if (line && line.textContent !== text) {
              line.textContent = text;
              changed = true;
            }
            if (row.waiting_for) next.push(ref);
          });
          watch = next;
          delay = changed ? FIRST : Math.min(MAX, Math.round(delay * 1.5));
          if (watch.length) window.setTimeout(tick, delay);
        })
        .catch(function () {
          delay = Math.min(MAX, delay * 2);
          window.setTimeout(tick, delay);
        });
    }

    window.setTimeout(tick, 500);
  }

  var live = document.getElementById("live-progress");
  if (live) requestPage(live);
  var queue = document.querySelector("table.queue[data-progress-url]");
  if (queue) queuePage(queue);
})();
