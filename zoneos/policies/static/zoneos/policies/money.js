// policies/money/dashboard.html: moved out of its template so that the Content-Security-Policy can forbid inline scripts.
(function () {
  const data = JSON.parse(document.getElementById("money-data").textContent);
  ZoneOS.chart("chart-departments", {
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
    legend: {top: 0},
    grid: {left: 8, right: 24, top: 32, bottom: 8, containLabel: true},
    xAxis: {type: "value"},
    yAxis: {type: "category", inverse: true, data: data.departments, axisLabel: {width: 120, overflow: "truncate"}},
    series: [
      {name: data.labels.approved, type: "bar", data: data.approved, barMaxWidth: 18, color: "#2f6fed"},
      {name: data.labels.paid, type: "bar", data: data.paid, barMaxWidth: 18, color: "#20c997"}
    ]
  });
  ZoneOS.chart("chart-categories", {
    tooltip: {trigger: "item", formatter: "{b}: {c} (" + data.unit + ", {d}%)"},
    legend: {bottom: 0, itemWidth: 12, itemHeight: 10},
    series: [{type: "pie", radius: ["40%", "64%"], center: ["50%", "42%"], label: {show: false}, data: data.categories}]
  });
  ZoneOS.chart("chart-statuses", {
    tooltip: {trigger: "item", formatter: "{b}: {c} ({d}%)"},
    legend: {bottom: 0, itemWidth: 12, itemHeight: 10, type: "scroll"},
    series: [{type: "pie", radius: ["40%", "64%"], center: ["50%", "42%"], label: {show: false}, data: data.statuses}]
  });
})();
