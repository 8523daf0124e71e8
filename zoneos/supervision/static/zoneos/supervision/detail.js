// supervision/detail.html: moved out of its template so that the Content-Security-Policy can forbid inline scripts;
// translated labels come from the page's "page-labels" JSON.
(function () {
  const L = JSON.parse(document.getElementById("page-labels").textContent);
  const data = JSON.parse(document.getElementById("project-data").textContent);
  ZoneOS.chart("chart-cumulative", {
    tooltip: {trigger: "axis"}, legend: {top: 0},
    grid: {left: 8, right: 16, top: 40, bottom: 8, containLabel: true},
    xAxis: {type: "category", data: data.months},
    yAxis: {type: "value"},
    series: [
      {name: L["Completed (cumulative)"], type: "bar", data: data.completed, barMaxWidth: 28},
      {name: L["Plan at time progress"], type: "line", data: data.plan, lineStyle: {type: "dashed"}, symbol: "none"}
    ]
  });
})();
