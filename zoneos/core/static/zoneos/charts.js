// ZoneOS charts: one palette, and one way to draw an ECharts chart into an element that follows the
// window's size. Pages load ECharts first, then this file, then call ZoneOS.chart(id, option).
window.ZoneOS = window.ZoneOS || {};
(function (Z) {
  Z.palette = ["#2f6fed", "#20c997", "#f59f00", "#845ef7", "#e64980", "#15aabf", "#82c91e", "#fd7e14", "#868e96"];
  const charts = [];
  Z.chart = function (id, option) {
    const el = document.getElementById(id);
    if (!el) return null;
    const chart = echarts.init(el);
    chart.setOption(Object.assign({color: Z.palette, tooltip: {}}, option));
    charts.push(chart);
    return chart;
  };
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})(window.ZoneOS);
