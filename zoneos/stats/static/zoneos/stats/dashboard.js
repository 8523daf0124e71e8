// stats/dashboard.html: moved out of its template so that the Content-Security-Policy can forbid inline scripts;
// translated labels come from the page's "page-labels" JSON.
(function () {
  const L = JSON.parse(document.getElementById("page-labels").textContent);
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const make = ZoneOS.chart;
  const palette = ZoneOS.palette;
  make("chart-trend", {
    tooltip: {trigger: "axis"}, legend: {top: 0},
    grid: {left: 16, right: 16, top: 64, bottom: 10, containLabel: true},
    xAxis: {type: "category", data: data.trend.years},
    yAxis: [
      {type: "value", name: data.units.money, nameTextStyle: {align: "left"}},
      {type: "value", name: data.units.tax, nameTextStyle: {align: "right"}, splitLine: {show: false},
       axisLine: {show: true, lineStyle: {color: palette[2]}}, axisLabel: {color: palette[2]}}
    ],
    series: [
      {name: L["Output value"], type: "bar", data: data.trend.output, barMaxWidth: 40},
      {name: L["Revenue"], type: "bar", data: data.trend.revenue, barMaxWidth: 40},
      {name: L["Tax paid"], type: "line", yAxisIndex: 1, data: data.trend.tax, smooth: true}
    ]
  });
  // Percentages with one decimal, from the values (ECharts' own {d} has two, rounded).
  function share(items) {
    const total = items.reduce((sum, item) => sum + item.value, 0);
    return (p) => (total ? (p.value / total) * 100 : 0).toFixed(1) + "%";
  }
  const sectionShare = share(data.sections);
  // The donut on the left, the legend beside it as wide as the card allows, so full section names show.
  const legendWidth = Math.max(120, (document.getElementById("chart-sections")?.clientWidth || 400) - 222);
  make("chart-sections", {
    tooltip: {trigger: "item", formatter: (p) => `${p.marker}${p.name}<br>${p.value} ${data.units.money} (${sectionShare(p)})`},
    legend: {type: "scroll", orient: "vertical", right: 0, top: "middle", textStyle: {width: legendWidth, overflow: "break", lineHeight: 15}},
    series: [{type: "pie", radius: ["32%", "52%"], center: [95, "50%"], avoidLabelOverlap: true, label: {show: false}, data: data.sections}]
  });
  make("chart-children", {
    tooltip: {trigger: "axis"}, grid: {left: 8, right: 64, top: 10, bottom: 10, containLabel: true},
    xAxis: {type: "value"}, yAxis: {type: "category", inverse: true, data: data.children.names, axisLabel: {width: 180, overflow: "truncate"}},
    series: [{name: L["Output value"], type: "bar", data: data.children.output, barMaxWidth: 26, label: {show: true, position: "right", formatter: (p) => p.value.toFixed(2)}}]
  });
  const originShare = share(data.origins);
  make("chart-origins", {
    tooltip: {trigger: "item", formatter: (p) => `${p.marker}${p.name}: ${p.value} (${originShare(p)})`}, legend: {bottom: 0},
    series: [{type: "pie", radius: "62%", center: ["50%", "45%"], label: {formatter: (p) => `${p.name}\n${originShare(p)}`}, data: data.origins}]
  });
})();
