// ZoneOS charts: one palette, and one way to draw an ECharts chart into an element that follows its
// container's size (a window resized, a phone turned, the menu drawer, printing on A4). Pages load
// ECharts first, then this file, then call ZoneOS.chart(id, option).
window.ZoneOS = window.ZoneOS || {};
(function (Z) {
  Z.palette = ["#2f6fed", "#20c997", "#f59f00", "#845ef7", "#e64980", "#15aabf", "#82c91e", "#fd7e14", "#868e96"];
  const charts = [];
  const resizeAll = () => charts.forEach((c) => c.resize());
  // One observer for every chart: a chart is resized when its own box changes, not only the window.
  const observer = window.ResizeObserver
    ? new ResizeObserver((entries) => entries.forEach((e) => {
        const chart = echarts.getInstanceByDom(e.target);
        if (chart) chart.resize();
      }))
    : null;
  Z.chart = function (id, option) {
    const el = document.getElementById(id);
    if (!el) return null;
    const chart = echarts.init(el);
    chart.setOption(Object.assign({color: Z.palette, tooltip: {}}, option));
    charts.push(chart);
    if (observer) observer.observe(el);
    return chart;
  };
  window.addEventListener("resize", resizeAll);
  // Printing: draw at the paper's width (A4 less its margins, about 700 CSS pixels), then back.
  window.addEventListener("beforeprint", () => charts.forEach((c) => c.resize({width: Math.min(c.getDom().clientWidth, 700)})));
  window.addEventListener("afterprint", resizeAll);
})(window.ZoneOS);
