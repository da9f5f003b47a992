// Charts for the performance pages (Apache ECharts, vendored). Each chart is drawn from the data
// table next to it (marked data-chart="bar", "grouped" or "stacked": one series, one series per
// column side by side, or stacked), which stays on the page for screen
// readers and for anyone without JavaScript; the chart itself is hidden from assistive
// technology because the table says the same.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  function cellNumber(cell) {
    var value = parseFloat((cell.textContent || "").replace(/[^0-9.\-]/g, ""));
    return isNaN(value) ? 0 : value;
  }
  document.querySelectorAll("table[data-chart]").forEach(function (table) {
    var head = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr")).filter(function (tr) { return !tr.querySelector(".empty"); });
    if (!rows.length) { return; }
    var labels = rows.map(function (tr) { return tr.cells[0].textContent.trim(); });
    var series = [];
    var kind = table.getAttribute("data-chart");
    var count = kind === "bar" ? 1 : head.length - 1;
    for (var column = 1; column <= count; column += 1) {
      series.push({
        name: head[column],
        type: "bar",
        stack: kind === "stacked" ? "total" : undefined,
        data: rows.map(function (tr) { return cellNumber(tr.cells[column]); })
      });
    }
    var box = document.createElement("div");
    box.className = "chart";
    box.setAttribute("aria-hidden", "true");
    table.parentNode.insertBefore(box, table);
    echarts.init(box).setOption({
      // Drawn on the canvas: an HTML tooltip would carry inline styles the CSP refuses.
      tooltip: { renderMode: "richText" },
      legend: count > 1 ? {} : undefined,
      xAxis: { type: "category", data: labels },
      yAxis: { type: "value" },
      series: series
    });
  });
})();
