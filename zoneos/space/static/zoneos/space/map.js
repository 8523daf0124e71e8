// space/map.html: the area's own shapes (no tiles) as an ECharts map; parcels (coloured by status) and
// buildings drawn over it, enterprises, projects, vacant space and open appeals as points; the legend toggles each
// layer, a click opens the record's page. `window.ZoneOSMap` is the chart (the browser tests use it).
(function () {
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const L = data.labels;
  const hue = {success: "#20c997", warning: "#f59f00", secondary: "#868e96", danger: "#e03131"};
  const mapName = "zoneos-area-" + (data.area || "all");
  const features = data.geojson.features;
  echarts.registerMap(mapName, data.geojson);
  const rings = (geometry) => geometry.type === "Polygon" ? [geometry.coordinates[0]]
    : geometry.type === "MultiPolygon" ? geometry.coordinates.map((p) => p[0]) : [];
  // One item per outer ring, so that the custom series below draw each as a polygon.
  const polygons = (kind) => features.filter((f) => f.properties.kind === kind)
    .flatMap((f) => rings(f.geometry).map((ring) => ({name: f.properties.label, ring: ring, props: f.properties, value: ring[0]})));
  const drawn = (items, fill, stroke) => (params, api) => {
    const item = items[params.dataIndex];
    return {
      type: "polygon",
      shape: {points: item.ring.map((p) => api.coord(p))},
      style: {fill: fill(item), stroke: stroke, lineWidth: 1, opacity: 0.85},
    };
  };
  const parcels = polygons("parcel");
  const buildings = polygons("building");
  const narrow = window.matchMedia("(max-width: 576px)").matches;
  // Vacant space sits beside its building's tenants rather than under them.
  const points = (name, items, symbol, color, size, offset) => ({
    name: name, type: "scatter", coordinateSystem: "geo", symbol: symbol, symbolSize: size, z: 5,
    symbolOffset: offset || [0, 0],
    itemStyle: {color: color, borderColor: "#fff", borderWidth: 1}, data: items,
  });
  const chart = ZoneOS.chart("space-map", {
    legend: {top: 0, left: "center", type: narrow ? "scroll" : "plain",
             data: [L.parcels, L.buildings, L.enterprises, L.projects, L.vacant, L.appeals, ...data.layers.map((l) => l.label)]},
    tooltip: {
      trigger: "item",
      formatter: (p) => {
        const d = p.data || {};
        if (d.props) return d.props.label + (d.props.status_label ? "<br>" + d.props.status_label : "");
        if (d.where) return d.name + "<br>" + d.where + (d.count ? " · " + d.count + " " + L.vacant_units : "");
        return p.name ? (features.find((f) => f.properties.name === p.name) || {properties: {label: p.name}}).properties.label : "";
      },
    },
    geo: {
      // Centred and sized as a whole, so that the shapes keep their proportions on any screen.
      map: mapName, roam: true, layoutCenter: ["50%", "54%"], layoutSize: "88%",
      label: {show: false}, emphasis: {label: {show: false}, itemStyle: {areaColor: "#e7f0ff"}},
      itemStyle: {areaColor: "rgba(0,0,0,0)", borderColor: "rgba(0,0,0,0)", borderWidth: 0},
      // The boundaries are the map itself; the parcels and buildings are drawn by their own series.
      regions: features.filter((f) => f.properties.kind === "boundary").map((f) => ({
        name: f.properties.name, itemStyle: {areaColor: "#eef4ff", borderColor: "#2f6fed", borderWidth: 2},
      })),
    },
    series: [
      {name: L.parcels, type: "custom", coordinateSystem: "geo", z: 2, data: parcels, itemStyle: {color: hue.success},
       renderItem: drawn(parcels, (it) => hue[it.props.color] || "#868e96", "#495057")},
      {name: L.buildings, type: "custom", coordinateSystem: "geo", z: 3, data: buildings, itemStyle: {color: "#845ef7"},
       renderItem: drawn(buildings, () => "#845ef7", "#5f3dc4")},
      points(L.enterprises, data.enterprises, "circle", "#2f6fed", narrow ? 14 : 12),
      points(L.projects, data.projects, "diamond", "#e64980", 14),
      points(L.vacant, data.vacant, "rect", "#f59f00", 10, [16, -10]),
      points(L.appeals, data.appeals, "triangle", "#d9480f", 13),
      // Layers the apps above space add (innovation's platforms), beside the enterprise they sit with.
      ...data.layers.map((l) => points(l.label, l.points, l.symbol, l.color, 16, [-14, -12])),
    ],
  });
  if (!chart) return;
  chart.on("click", (p) => {
    const d = p.data || {};
    const url = d.url || (d.props && d.props.url);
    if (url) window.location.href = url;
  });
  window.ZoneOSMap = chart;
})();
