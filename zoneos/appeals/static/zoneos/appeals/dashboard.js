// appeals/dashboard.html: moved out of its template so that the Content-Security-Policy can forbid inline scripts.
(function () {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  ZoneOS.chart("chart-categories", {
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
    legend: {top: 0},
    grid: {left: 8, right: 24, top: 32, bottom: 8, containLabel: true},
    xAxis: {type: "value", minInterval: 1},
    yAxis: {type: "category", inverse: true, data: data.categories, axisLabel: {width: 140, overflow: "truncate"}},
    series: [
      {name: data.labels.replied, type: "bar", stack: "all", data: data.replied, barMaxWidth: 22, color: "#20c997"},
      {name: data.labels.waiting, type: "bar", stack: "all", data: data.waiting, barMaxWidth: 22, color: "#2f6fed",
        label: {show: true, position: "right", formatter: (p) => String(data.replied[p.dataIndex] + data.waiting[p.dataIndex])}}
    ]
  });
  ZoneOS.chart("chart-statuses", {
    tooltip: {trigger: "item", formatter: "{b}: {c} ({d}%)"},
    legend: {bottom: 0, itemWidth: 12, itemHeight: 10},
    series: [{type: "pie", radius: ["40%", "64%"], center: ["50%", "42%"], avoidLabelOverlap: true,
      label: {show: false}, data: data.statuses}]
  });
})();
