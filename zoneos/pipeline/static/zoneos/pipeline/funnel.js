// pipeline/funnel.html: moved out of its template so that the Content-Security-Policy can forbid inline scripts;
// translated labels come from the page's "page-labels" JSON.
(function () {
  const L = JSON.parse(document.getElementById("page-labels").textContent);
  const data = JSON.parse(document.getElementById("funnel-data").textContent);
  const make = ZoneOS.chart;
  const palette = ZoneOS.palette;
  make("chart-funnel", {
    // Widths never grow from one stage to the next (the view caps them); labels show the real counts.
    tooltip: {trigger: "item", formatter: (p) => p.name + ": " + p.data.count},
    series: [{type: "funnel", sort: "none", left: 8, right: 8, top: 8, bottom: 8, minSize: "12%", gap: 2,
      label: {position: "inside", formatter: (p) => p.name + " " + p.data.count, color: "#fff", fontSize: 12}, data: data.funnel}]
  });
  make("chart-now", {
    tooltip: {trigger: "axis"}, legend: {top: 0},
    grid: {left: 8, right: 8, top: 40, bottom: 8, containLabel: true},
    xAxis: {type: "category", data: data.now.names, axisLabel: {interval: 0, rotate: 30}},
    yAxis: [{type: "value"}, {type: "value", splitLine: {show: false}}],
    series: [
      {name: L["Projects"], type: "bar", data: data.now.counts, barMaxWidth: 28},
      {name: L["Total investment"], type: "line", yAxisIndex: 1, data: data.now.investment, smooth: true}
    ]
  });
  make("chart-areas", {
    tooltip: {trigger: "axis"}, grid: {left: 8, right: 56, top: 10, bottom: 10, containLabel: true},
    xAxis: {type: "value"}, yAxis: {type: "category", inverse: true, data: data.areas.names, axisLabel: {width: 160, overflow: "truncate"}},
    series: [{name: L["Total investment"], type: "bar", data: data.areas.investment, barMaxWidth: 24, label: {show: true, position: "right"}}]
  });
  make("chart-industries", {
    tooltip: {trigger: "item", formatter: "{b}: {c} ({d}%)"},
    legend: {type: "scroll", bottom: 0},
    series: [{type: "pie", radius: ["35%", "60%"], center: ["50%", "44%"], label: {show: false}, data: data.industries}]
  });
})();
