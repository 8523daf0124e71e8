// supervision/ranking.html: moved out of its template so that the Content-Security-Policy can forbid inline scripts;
// translated labels come from the page's "page-labels" JSON.
(function () {
  const L = JSON.parse(document.getElementById("page-labels").textContent);
  const data = JSON.parse(document.getElementById("ranking-data").textContent);
  const palette = ZoneOS.palette;
  ZoneOS.chart("chart-scores", {
    tooltip: {trigger: "axis", valueFormatter: (v) => v.toFixed(1)},
    grid: {left: 8, right: 40, top: 8, bottom: 8, containLabel: true},
    xAxis: {type: "value", max: 100},
    yAxis: {type: "category", inverse: true, data: data.names, axisLabel: {width: 140, overflow: "truncate"}},
    series: [{name: L["Score"], type: "bar", barMaxWidth: 22,
      data: data.scores.map((v, i) => ({value: v, itemStyle: {color: data.comparable[i] ? palette[0] : "#adb5bd"}})),
      label: {show: true, position: "right", formatter: (p) => p.value.toFixed(1)}}]
  });
})();
