// supervision/summary.html: moved out of its template so that the Content-Security-Policy can forbid inline scripts;
// translated labels come from the page's "page-labels" JSON.
(function () {
  const L = JSON.parse(document.getElementById("page-labels").textContent);
  const data = JSON.parse(document.getElementById("summary-data").textContent);
  // A park has no sub-areas: the page leaves the chart out.
  if (!document.getElementById("chart-children")) return;
  // The time progress is named above the plot, not at the line's end where it met the axis labels.
  ZoneOS.chart("chart-children", {
    title: {text: L["Time progress"] + " " + data.progress.toFixed(1) + "%", right: 8, top: 0,
      textStyle: {fontSize: 12, fontWeight: "normal", color: "#e64980"}},
    tooltip: {trigger: "axis", valueFormatter: (v) => v.toFixed(1) + "%"},
    grid: {left: 8, right: 48, top: 28, bottom: 8, containLabel: true},
    // The axis reaches the time progress, so its dashed line is always in sight.
    xAxis: {type: "value", max: (v) => Math.ceil(Math.max(v.max, data.progress) / 10) * 10, axisLabel: {formatter: "{value}%"}},
    yAxis: {type: "category", inverse: true, data: data.names, axisLabel: {width: 180, overflow: "truncate"}},
    series: [{name: L["Completion rate"], type: "bar", data: data.rates, barMaxWidth: 24,
      label: {show: true, position: "right", formatter: (p) => p.value.toFixed(1) + "%"},
      markLine: {symbol: "none", data: [{xAxis: data.progress, name: L["Time progress"]}],
        label: {show: false}, lineStyle: {color: "#e64980", type: "dashed"}}}]
  });
})();
