// enterprises/enterprise_detail.html: moved out of its template so that the Content-Security-Policy can forbid inline scripts;
// translated labels come from the page's "page-labels" JSON.
(function () {
  const L = JSON.parse(document.getElementById("page-labels").textContent);
  const data = JSON.parse(document.getElementById("figures-data").textContent);
  // The figures come in the page's one unit (core/money.py), named in the card's header.
  const chart = echarts.init(document.getElementById("figures-chart"));
  chart.setOption({
    color: ["#2f6fed", "#20c997", "#f59f00", "#845ef7"],
    tooltip: {trigger: "axis"},
    legend: {top: 0},
    grid: {left: 50, right: 20, top: 40, bottom: 30},
    xAxis: {type: "category", data: data.years},
    yAxis: {type: "value"},
    series: [
      {name: L["Output value"], type: "bar", data: data.output, barMaxWidth: 36},
      {name: L["Revenue"], type: "bar", data: data.revenue, barMaxWidth: 36},
      {name: L["Tax paid"], type: "line", data: data.tax, smooth: true},
      {name: L["R&D expense"], type: "line", data: data.rd, smooth: true}
    ]
  });
  window.addEventListener("resize", () => chart.resize());
})();
