// chains/detail.html: the chain map (a tree of links coloured by strength; a click opens the link) and
// the supply flow (a Sankey from upstream to downstream).
(function () {
  const data = JSON.parse(document.getElementById("chain-data").textContent);
  const hue = (strength) => ({success: "#20c997", warning: "#f59f00", danger: "#e03131"}[data.colors[strength]] || "#2f6fed");
  const paint = (node) => {
    if (node.strength) {
      const color = hue(node.strength);
      node.itemStyle = {color: color, borderColor: color};
      node.label = {formatter: node.name + " · " + node.value};
    }
    (node.children || []).forEach(paint);
    return node;
  };
  const narrow = window.matchMedia("(max-width: 576px)").matches;
  const tree = ZoneOS.chart("chart-tree", {
    tooltip: {
      trigger: "item",
      formatter: (p) => p.data.strength ? p.name + "<br>" + data.labels[p.data.strength] + " · " + p.data.value : p.name
    },
    series: [{
      type: "tree",
      // The chain's own name above its node, not beside it: the links fan out to its right.
      data: [Object.assign(paint(data.tree), {label: {position: "top", align: "left", verticalAlign: "bottom", distance: 10, offset: [-14, 0], fontWeight: "bold"}})],
      orient: narrow ? "TB" : "LR",
      top: narrow ? 40 : 40, bottom: narrow ? 130 : 20, left: narrow ? 20 : 30, right: narrow ? 20 : 210,
      symbolSize: 12,
      initialTreeDepth: -1,
      expandAndCollapse: false,
      label: {position: "top", align: "center", verticalAlign: "bottom", fontSize: 12},
      leaves: {label: {position: narrow ? "bottom" : "right", rotate: narrow ? -60 : 0, align: "left", verticalAlign: "middle",
                       width: narrow ? 110 : 200, overflow: "truncate"}}
    }]
  });
  if (tree) tree.on("click", (p) => { if (p.data && p.data.url) window.location.href = p.data.url; });
  const strengthOf = {};
  const walk = (node) => { strengthOf[node.name] = node.strength; (node.children || []).forEach(walk); };
  walk(data.tree);
  if (data.flow.length) {
    const names = [...new Set(data.flow.flat())];
    ZoneOS.chart("chart-flow", {
      tooltip: {trigger: "item"},
      series: [{
        type: "sankey", left: 8, right: narrow ? 8 : 130, top: 12, bottom: 12, nodeGap: 14,
        orient: narrow ? "vertical" : "horizontal",
        label: narrow ? {position: "inside", fontSize: 10} : {width: 120, overflow: "break"},
        emphasis: {focus: "adjacency"}, lineStyle: {color: "gradient", curveness: 0.5},
        data: names.map((name) => ({name: name, itemStyle: {color: hue(strengthOf[name])}})),
        links: data.flow.map(([source, target]) => ({source: source, target: target, value: 1}))
      }]
    });
  }
})();
