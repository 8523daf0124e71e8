// supervision/summary.html: moved out of its template so that the Content-Security-Policy can forbid inline scripts;
// translated labels come from the page's "page-labels" JSON.
(function () {
  const L = JSON.parse(document.getElementById("page-labels").textContent);
  const data = JSON.parse(document.getElementById("summary-data").textContent);
  ZoneOS.chart("chart-children", {
    tooltip: {trigger: "axis", valueFormatter: (v) => v.toFixed(1) + "%"},
    grid: {left: 8, right: 48, top: 16, bottom: 8, containLabel: true},
    xAxis: {type: "value", axisLabel: {formatter: "{value}%"}},
    yAxis: {type: "category", inverse: true, data: data.names, axisLabel: {width: 180, overflow: "truncate"}},
    series: [{name: L["Completion rate"], type: "bar", data: data.rates, barMaxWidth: 24,
      label: {show: true, position: "right", formatter: (p) => p.value.toFixed(1) + "%"},
      markLine: {symbol: "none", data: [{xAxis: data.progress, name: L["Time progress"]}],
        label: {formatter: L["Time progress"] + " " + data.progress.toFixed(1) + "%"}, lineStyle: {color: "#e64980", type: "dashed"}}}]
  });
})();
