"""The report page's style and script, inline: the page must open offline, from one file.

The script only reorders and hides the rows the page already holds (sorting, the low-score
filter); it reads numbers from ``data-v`` attributes and never builds markup from text.
"""

from __future__ import annotations

__all__ = ["SCRIPT", "STYLE"]

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1400px; padding: 0 16px;
  color: #1b1b1b; background: #fff; }
h1 { font-size: 20px; margin: 14px 0 6px; } h2 { font-size: 17px; margin: 22px 0 6px; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.card { border: 1px solid #ccd; border-radius: 6px; padding: 4px 10px; background: #f6f7fb; }
.card b { display: block; font-size: 18px; }
.note { color: #555; margin: 4px 0; } .warn { color: #8a4b00; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { border-bottom: 1px solid #e2e2e8; padding: 3px 6px; text-align: left;
  vertical-align: top; }
th { background: #eef0f6; position: sticky; top: 0; }
th button { font: inherit; font-weight: 600; border: 0; background: none; cursor: pointer;
  padding: 0; }
th[aria-sort=ascending] button::after { content: " \\25B2"; }
th[aria-sort=descending] button::after { content: " \\25BC"; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.text { max-width: 520px; } td.doc { max-width: 220px; overflow-wrap: anywhere; }
tr.low td.num.score { color: #a00; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; } figcaption { color: #555; font-size: 12px; }
svg text { font-size: 10px; fill: #333; } svg .bar { fill: #4a6fb5; }
svg .axis { stroke: #888; } svg .mark { stroke: #c0392b; stroke-dasharray: 3 2; }
svg .marklabel { fill: #c0392b; }
form.filter { margin: 6px 0; } form.filter input[type=number] { width: 5em; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
dl.kv dt { font-weight: 600; } dl.kv dd { margin: 0; overflow-wrap: anywhere; }
"""

SCRIPT = """
"use strict";
function cellValue(cell, numeric) {
  if (!numeric) { return cell.textContent; }
  var v = cell.getAttribute("data-v");
  return v === null || v === "" ? -Infinity : Number(v);
}
Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "number";
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = cellValue(a.cells[col], numeric), y = cellValue(b.cells[col], numeric);
        return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
Array.prototype.forEach.call(document.querySelectorAll("form.filter"), function (form) {
  var table = document.getElementById(form.getAttribute("data-table"));
  var col = Number(form.getAttribute("data-column"));
  var limit = form.querySelector("input[type=number]");
  var only = form.querySelector("input[type=checkbox]");
  var out = form.querySelector("output");
  function apply() {
    var below = Number(limit.value), shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      var v = r.cells[col].getAttribute("data-v");  // "" where a row has no score
      var low = v !== null && v !== "" && Number(v) < below;
      r.classList.toggle("low", low);
      r.hidden = only.checked && !low;
      if (!r.hidden) { shown += 1; }
    });
    out.textContent = shown + " of " + table.tBodies[0].rows.length + " rows";
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  limit.addEventListener("input", apply);
  only.addEventListener("change", apply);
  apply();
});
"""
