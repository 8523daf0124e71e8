// enterprises/enterprise_detail.html: moved out of its template so that the Content-Security-Policy can forbid inline scripts;
// translated labels come from the page's "page-labels" JSON.
(function () {
  const L = JSON.parse(document.getElementById("page-labels").textContent);
  const data = JSON.parse(document.getElementById("figures-data").textContent);
  const biggest = Math.max(0, ...data.output.concat(data.revenue).filter((v) => v !== null));
  const unit = biggest >= 1e8 ? {size: 1e8, label: L["100 million yuan"]} : {size: 1e4, label: L["10 thousand yuan"]};
  document.getElementById("figures-unit").textContent = "(" + unit.label + ")";
  const yi = (v) => v === null ? null : +(v / unit.size).toFixed(2);
  const chart = echarts.init(document.getElementById("figures-chart"));
  chart.setOption({
    color: ["#2f6fed", "#20c997", "#f59f00", "#845ef7"],
    tooltip: {trigger: "axis"},
    legend: {top: 0},
    grid: {left: 50, right: 20, top: 40, bottom: 30},
    xAxis: {type: "category", data: data.years},
    yAxis: {type: "value"},
    series: [
      {name: L["Output value"], type: "bar", data: data.output.map(yi), barMaxWidth: 36},
      {name: L["Revenue"], type: "bar", data: data.revenue.map(yi), barMaxWidth: 36},
      {name: L["Tax paid"], type: "line", data: data.tax.map(yi), smooth: true},
      {name: L["R&D expense"], type: "line", data: data.rd.map(yi), smooth: true}
    ]
  });
  window.addEventListener("resize", () => chart.resize());
})();
