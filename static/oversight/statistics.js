// Charts of the statistics pages (Apache ECharts, vendored). Each chart is drawn from the data
// table after it: data-chart says the kind ("bar", "stacked" or "pie") and data-columns which
// columns to plot. The table stays for screen readers and for anyone without JavaScript; the
// chart is hidden from assistive technology because the table says the same.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  function cellNumber(cell) {
    var value = parseFloat((cell.textContent || "").replace(/[^0-9.\-]/g, ""));
    return isNaN(value) ? 0 : value;
  }
  document.querySelectorAll("table[data-chart]").forEach(function (table) {
    var kind = table.getAttribute("data-chart");
    var columns = (table.getAttribute("data-columns") || "1").split(",").map(Number);
    var head = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr")).filter(function (tr) { return !tr.querySelector(".empty"); });
    if (!rows.length) { return; }
    var labels = rows.map(function (tr) { return tr.cells[0].textContent.trim(); });
    var box = document.createElement("div");
    box.className = kind === "pie" ? "chart chart-pie" : "chart";
    box.setAttribute("aria-hidden", "true");
    table.parentNode.insertBefore(box, table);
    var option;
    if (kind === "pie") {
      option = {
        tooltip: { trigger: "item" },
        legend: { type: "scroll", bottom: 0 },
        series: [{
          name: head[columns[0]],
          type: "pie",
          radius: ["35%", "65%"],
          data: rows.map(function (tr, i) { return { name: labels[i], value: cellNumber(tr.cells[columns[0]]) }; })
        }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        legend: columns.length > 1 ? { type: "scroll" } : undefined,
        grid: { containLabel: true, left: 8, right: 8 },
        xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
        yAxis: { type: "value" },
        series: columns.map(function (column) {
          return {
            name: head[column],
            type: "bar",
            stack: kind === "stacked" ? "total" : undefined,
            data: rows.map(function (tr) { return cellNumber(tr.cells[column]); })
          };
        })
      };
    }
    var chart = echarts.init(box);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
