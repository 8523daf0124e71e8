// The rule editor: the criteria tree and the benefit as nested forms (no JSON typing), written back to
// hidden fields on every change. The server validates both (criteria.validate, validate_benefit).
(function () {
  "use strict";
  const words = document.getElementById("editor-words").dataset;
  const readonly = words.readonly === "1";
  const variables = JSON.parse(document.getElementById("variables-data").textContent);
  const byName = Object.fromEntries(variables.map((v) => [v.name, v]));
  let tree = JSON.parse(document.getElementById("criteria-data").textContent) || { all: [] };
  let benefit = JSON.parse(document.getElementById("benefit-data").textContent);
  const out = document.getElementById("criteria-json");
  const benefitOut = document.getElementById("benefit-json");
  let counter = 0;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.appendChild(c));
    if (readonly && ["INPUT", "SELECT", "BUTTON"].includes(node.tagName)) node.disabled = true;
    return node;
  }
  function select(options, value, onchange, testid) {
    const s = el("select", { class: "form-select form-select-sm", "data-testid": testid || "" });
    options.forEach(([v, label]) => {
      const o = el("option", { value: v, text: label });
      if (String(v) === String(value)) o.selected = true;
      s.appendChild(o);
    });
    s.addEventListener("change", () => onchange(s.value));
    return s;
  }
  function input(value, onchange, attrs) {
    const i = el("input", Object.assign({ class: "form-control form-control-sm", value: value == null ? "" : value }, attrs || {}));
    i.addEventListener("input", () => onchange(i.value));
    return i;
  }
  function kind(node) {
    if ("manual" in node) return "manual";
    if ("var" in node) return "leaf";
    return ["all", "any", "not", "score"].find((k) => k in node) || "all";
  }
  function fresh(k) {
    counter += 1;
    if (k === "leaf") return { id: "c" + counter, label: "", var: "revenue", op: ">=", value: "" };
    if (k === "manual") return { id: "c" + counter, label: "", manual: "" };
    if (k === "not") return { not: fresh("leaf") };
    if (k === "score") return { score: [], min: 60 };
    return { [k]: [] };
  }
  function parseValue(v, text) {
    if (!v) return text;
    if (v.kind === "bool") return text === "true";
    if (["area", "emerging"].includes(v.kind) || (v.kind === "code" && text.includes(","))) {
      return text.split(",").map((s) => s.trim()).filter(Boolean);
    }
    return text;
  }
  function showValue(value) {
    if (Array.isArray(value)) return value.join(", ");
    if (value && typeof value === "object" && "param" in value) return "param:" + value.param;
    return value == null ? "" : String(value);
  }
  const NUMERIC = ["money", "count", "ratio", "age", "fact"];
  // Brackets chosen by the bracket another figure falls in, one row per bracket, its upper bound
  // inclusive, the last one open-ended. Shared by a criterion's threshold (the 5 / 4 / 3 % R&D tiers by
  // revenue: a value per bracket) and the benefit's brackets (an amount per bracket): `o.cell(bracket)`
  // draws a bracket's value, `o.fresh()` makes a new one, `o.ids` names the test ids and `o.cols` the
  // columns (bound, value, remove button).
  function byOptions(current) {
    const by = variables.filter((x) => ["money", "count"].includes(x.kind) || x.name === current);
    return by.map((x) => [x.name, x.label]);
  }
  function renderBrackets(spec, o) {
    const box = el("div", { class: "ms-md-4 mt-2 p-2 border-start border-3", "data-testid": o.ids.box });
    box.appendChild(el("div", { class: "d-flex flex-wrap gap-2 align-items-center mb-2" }, [
      el("span", { class: "small text-secondary", text: words.scaleBy }),
      el("div", { style: "min-width:12rem" }, [select(byOptions(spec.by), spec.by, (name) => { spec.by = name; sync(); }, o.ids.by)]),
    ]));
    const heads = o.headCols || o.cols;
    box.appendChild(el("div", { class: "row g-1 zo-keep-row small text-secondary" }, [
      el("div", { class: heads[0], text: words.upto }),
      el("div", { class: heads[1], text: o.header }),
    ]));
    spec.brackets.forEach((bracket, i) => {
      const last = i === spec.brackets.length - 1;
      const line = el("div", { class: "row g-1 zo-keep-row " + (o.rowClass || "align-items-center mb-1"), "data-testid": o.ids.row });
      line.appendChild(el("div", { class: o.cols[0] }, [last
        ? el("div", { class: "small text-secondary", text: words.above })
        : input(bracket.upto, (t) => { bracket.upto = t; sync(); }, { placeholder: words.upto, "aria-label": words.upto, inputmode: "decimal", "data-testid": o.ids.upto })]));
      line.appendChild(el("div", { class: o.cols[1] }, [o.cell(bracket)]));
      if (spec.brackets.length > 1) {
        line.appendChild(el("div", { class: o.cols[2] }, [el("button", Object.assign({ type: "button", class: "btn btn-sm btn-outline-danger", text: words.remove, onclick: () => {
          spec.brackets.splice(i, 1);
          delete spec.brackets[spec.brackets.length - 1].upto;
          o.redraw();
        } }, o.ids.remove ? { "data-testid": o.ids.remove } : {}))]));
      }
      box.appendChild(line);
    });
    box.appendChild(el("button", { type: "button", class: "btn btn-sm btn-outline-primary", text: "+ " + words.bracket, "data-testid": o.ids.add, onclick: () => {
      spec.brackets.splice(spec.brackets.length - 1, 0, o.fresh());
      o.redraw();
    } }));
    return box;
  }
  function renderScale(node) {
    return renderBrackets(node.scale, {
      ids: { box: "scale-editor", by: "scale-by", row: "scale-bracket", upto: "bracket-upto", add: "add-bracket" },
      cols: ["col-5 col-md-4", "col-4 col-md-3", "col-3 col-md-2"],
      header: words.threshold,
      cell: (bracket) => input(bracket.value, (t) => { bracket.value = t; sync(); }, { placeholder: words.value, "aria-label": words.value, inputmode: "decimal", "data-testid": "bracket-value" }),
      fresh: () => ({ upto: "", value: "" }),
      redraw: draw,
    });
  }
  // A score's groups (创新能力 at least 20 ...): one row each, name and minimum; renaming a group renames
  // it on the parts that count towards it, removing it takes it off them.
  function renderGroups(node) {
    const box = el("div", { class: "border-top pt-2 mt-1 mb-2", "data-testid": "score-groups" });
    box.appendChild(el("div", { class: "small text-secondary mb-1", text: words.groupsHelp }));
    const entries = Object.entries(node.groups || {});
    const write = (list) => {
      if (list.length) node.groups = Object.fromEntries(list);
      else delete node.groups;
    };
    const rename = (from, to) => node.score.forEach((part) => { if (part.group === from) { if (to) part.group = to; else delete part.group; } });
    entries.forEach(([name, min], i) => {
      const row = el("div", { class: "row g-1 mb-1 zo-keep-row" });
      const nameInput = input(name, () => {}, { placeholder: words.groupName, "aria-label": words.groupName, "data-testid": "group-name" });
      // Renamed when the field is left, so that typing does not re-key the group at every letter.
      nameInput.addEventListener("change", () => {
        const to = nameInput.value.trim();
        if (!to || to === name || (node.groups || {})[to] !== undefined) { nameInput.value = name; return; }
        entries[i] = [to, entries[i][1]];
        rename(name, to);
        write(entries);
        draw();
      });
      row.appendChild(el("div", { class: "col-6 col-md-5" }, [nameInput]));
      row.appendChild(el("div", { class: "col-4 col-md-3" }, [input(min, (v) => { entries[i] = [entries[i][0], v]; write(entries); sync(); }, { placeholder: words.groupAtLeast, "aria-label": words.groupAtLeast, "data-testid": "group-min" })]));
      row.appendChild(el("div", { class: "col-2 col-md-auto" }, [el("button", { type: "button", class: "btn btn-sm btn-outline-danger", text: "×", "aria-label": words.remove, onclick: () => {
        entries.splice(i, 1);
        rename(name, "");
        write(entries);
        draw();
      } })]));
      box.appendChild(row);
    });
    box.appendChild(el("button", { type: "button", class: "btn btn-sm btn-outline-secondary", text: "+ " + words.addGroupMin, "data-testid": "add-score-group", onclick: () => {
      let n = entries.length + 1;
      while ((node.groups || {})[words.groupName + " " + n] !== undefined) n += 1;
      entries.push([words.groupName + " " + n, ""]);
      write(entries);
      draw();
    } }));
    return box;
  }
  function render(node, replace, remove, inScore) {
    const box = el("div", { class: "border rounded p-2 mb-2 bg-body" });
    const head = el("div", { class: "d-flex flex-wrap gap-2 align-items-center mb-1" });
    const kinds = [["all", words.all], ["any", words.any], ["not", words.not], ["score", words.score], ["leaf", words.leaf], ["manual", words.manual]];
    head.appendChild(select(kinds, kind(node), (k) => { const n = fresh(k); if (inScore) { n.points = node.points || 10; if (node.group) n.group = node.group; } replace(n); }, "node-kind"));
    if (inScore) head.appendChild(input(node.points, (v) => { node.points = v; sync(); }, { placeholder: words.points, style: "max-width:6rem", "aria-label": words.points }));
    // A part of a score with groups counts towards one of them (or none).
    const groups = inScore ? Object.keys(inScore.groups || {}) : [];
    if (groups.length) {
      head.appendChild(el("div", { style: "max-width:12rem" }, [select([["", words.noGroup], ...groups.map((g) => [g, g])], node.group || "", (g) => {
        if (g) node.group = g;
        else delete node.group;
        sync();
      }, "part-group")]));
    }
    if (remove) head.appendChild(el("button", { type: "button", class: "btn btn-sm btn-outline-danger ms-auto", text: words.remove, onclick: remove }));
    box.appendChild(head);
    const k = kind(node);
    if (k === "leaf" || k === "manual") {
      const row = el("div", { class: "row g-1" });
      row.appendChild(el("div", { class: "col-4 col-md-2" }, [input(node.id, (v) => { node.id = v; sync(); }, { placeholder: words.id, "aria-label": words.id, "data-testid": "leaf-id" })]));
      if (k === "manual") {
        row.appendChild(el("div", { class: "col-8 col-md-10" }, [input(node.manual, (v) => { node.manual = v; node.label = v; sync(); }, { placeholder: words.manual, "aria-label": words.manual })]));
      } else {
        row.appendChild(el("div", { class: "col-8 col-md-3" }, [input(node.label, (v) => { node.label = v; sync(); }, { placeholder: words.label, "aria-label": words.label, "data-testid": "leaf-label" })]));
        const v = byName[node.var];
        row.appendChild(el("div", { class: "col-9 col-md-3" }, [select(variables.map((x) => [x.name, x.label + " (" + x.name + ")"]), node.var, (name) => { node.var = name; node.op = byName[name].ops[0]; draw(); }, "leaf-var")]));
        row.appendChild(el("div", { class: "col-3 col-md-2" }, [select((v ? v.ops : [">="]).map((o) => [o, o]), node.op, (o) => { node.op = o; sync(); }, "leaf-op")]));
        const numeric = v && NUMERIC.includes(v.kind);
        if (numeric) {
          row.appendChild(el("div", { class: "col-6 col-md-3" }, [select([["value", words.single], ["scale", words.scale]], "scale" in node ? "scale" : "value", (m) => {
            if (m === "scale") {
              node.scale = { by: "revenue", brackets: [{ upto: "", value: showValue(node.value) }, { value: "" }] };
              delete node.value;
            } else {
              node.value = node.scale.brackets[0].value;
              delete node.scale;
            }
            draw();
          }, "leaf-threshold-kind")]));
        }
        if ("scale" in node) {
          box.appendChild(row);
          box.appendChild(renderScale(node));
          return box;
        } else if (v && v.kind === "bool") {
          row.appendChild(el("div", { class: "col-4 col-md-2" }, [select([["true", "✓"], ["false", "✗"]], String(node.value), (t) => { node.value = t === "true"; sync(); }, "leaf-value")]));
        } else {
          row.appendChild(el("div", { class: "col-4 col-md-2" }, [input(showValue(node.value), (t) => {
            node.value = t.startsWith("param:") ? { param: t.slice(6) } : parseValue(v, t); sync();
          }, { placeholder: words.value, "aria-label": words.value, "data-testid": "leaf-value" })]));
        }
      }
      box.appendChild(row);
      return box;
    }
    if (k === "not") {
      box.appendChild(render(node.not, (n) => { node.not = n; draw(); }, null, false));
      return box;
    }
    if (k === "score") {
      head.insertBefore(input(node.min, (v) => { node.min = v; sync(); }, { style: "max-width:6rem", "aria-label": words.score, "data-testid": "score-min" }), head.children[1] || null);
      box.appendChild(renderGroups(node));
    }
    const list = node[k];
    list.forEach((child, i) => {
      box.appendChild(render(child, (n) => { list[i] = n; draw(); }, () => { list.splice(i, 1); draw(); }, k === "score" ? node : null));
    });
    const add = (what) => () => { const n = fresh(what); if (k === "score") n.points = 10; list.push(n); draw(); };
    box.appendChild(el("div", { class: "d-flex gap-2" }, [
      el("button", { type: "button", class: "btn btn-sm btn-outline-primary", text: "+ " + words.add, onclick: add("leaf"), "data-testid": "add-condition" }),
      el("button", { type: "button", class: "btn btn-sm btn-outline-secondary", text: "+ " + words.group, onclick: add("any") }),
    ]));
    return box;
  }
  // The benefit (the estimate, in yuan) as nested forms: a fixed amount, a rate of a figure with an
  // optional cap (stored as {"min": [rate, {"fixed": cap}]}), an amount by the bracket of a figure (each
  // bracket's amount is itself a benefit), a sum of parts, or the smallest of parts (any other cap).
  function benefitKind(node) {
    if (!node) return "none";
    if ("fixed" in node) return "fixed";
    if ("rate" in node || capped(node)) return "rate";
    return ["brackets", "sum", "min"].find((k) => k in node) || "fixed";
  }
  function capped(node) {
    const parts = node.min;
    return Array.isArray(parts) && parts.length === 2 && !!parts[0] && "rate" in parts[0] && !!parts[1] && "fixed" in parts[1];
  }
  function freshBenefit(k, from) {
    if (k === "none") return null;
    if (k === "fixed") return { fixed: "" };
    if (k === "rate") return { rate: "0.1", var: "rd_expense" };
    if (k === "brackets") return { brackets: { by: "revenue", brackets: [{ upto: "", amount: { fixed: "" } }, { amount: { fixed: "" } }] } };
    return { [k]: [from || { fixed: "" }, { fixed: "" }] }; // sum, min: what was there becomes the first part
  }
  function renderBenefitNode(node, set, top) {
    const k = benefitKind(node);
    const box = el("div", { "data-testid": "benefit-node", "data-kind": k });
    const head = el("div", { class: "d-flex flex-wrap gap-2 align-items-center" });
    const kinds = [["fixed", words.fixed], ["rate", words.rate], ["brackets", words.brackets], ["sum", words.sum], ["min", words.least]];
    head.appendChild(el("div", { style: "flex:0 1 13rem;min-width:9rem" }, [select(top ? [["none", words.none], ...kinds] : kinds, k, (m) => {
      set(freshBenefit(m, node));
      drawBenefit();
    }, "benefit-kind")]));
    box.appendChild(head);
    // An amount in yuan, as everywhere in the editor (bracket bounds and thresholds too), its unit beside it.
    const yuan = (value, onchange, attrs, grow, prefix) => el("div", { class: "input-group input-group-sm", style: "flex:" + grow + ";width:auto;min-width:0" }, [
      ...(prefix ? [el("span", { class: "input-group-text", text: prefix })] : []),
      input(value, onchange, Object.assign({ inputmode: "decimal" }, attrs)),
      el("span", { class: "input-group-text", text: words.yuan }),
    ]);
    if (k === "fixed") {
      head.appendChild(yuan(node.fixed, (v) => { node.fixed = v; sync(); }, { placeholder: words.amount, "aria-label": words.amount, "data-testid": "benefit-amount" }, "1 1 9rem"));
    } else if (k === "rate") {
      const rate = "min" in node ? node.min[0] : node;
      const current = { rate: rate.rate, var: rate.var, cap: "min" in node ? node.min[1].fixed : "" };
      const write = () => {
        const r = { rate: current.rate, var: current.var };
        set(current.cap ? { min: [r, { fixed: current.cap }] } : r);
        sync();
      };
      const money = variables.filter((v) => ["money", "count", "fact"].includes(v.kind) || v.name === current.var);
      // The rate, × and the figure stay on one line; the cap wraps below them when space is short.
      head.appendChild(el("div", { class: "d-flex gap-2 align-items-center", style: "flex:1 1 15rem;min-width:0" }, [
        el("div", { style: "flex:0 0 5.5rem" }, [input(current.rate, (v) => { current.rate = v; write(); }, { placeholder: words.rateValue, title: words.rateValue, "aria-label": words.rateValue, inputmode: "decimal", "data-testid": "benefit-rate" })]),
        el("span", { text: "×", "aria-hidden": "true" }),
        el("div", { style: "flex:1 1 8rem;min-width:0" }, [select(money.map((x) => [x.name, x.label]), current.var, (v) => { current.var = v; write(); }, "benefit-var")]),
      ]));
      head.appendChild(yuan(current.cap, (v) => { current.cap = v; write(); }, { placeholder: words.optional, "aria-label": words.cap, "data-testid": "benefit-cap" }, "1 1 13rem", words.capAt));
    } else if (k === "brackets") {
      box.appendChild(renderBrackets(node.brackets, {
        ids: { box: "benefit-brackets", by: "benefit-by", row: "benefit-bracket", upto: "benefit-upto", add: "benefit-add-bracket", remove: "benefit-remove-bracket" },
        // The amount takes a line of its own on a phone, below the bound and the remove button.
        cols: ["col-8 col-md-3", "col-12 col-md-7 order-last order-md-0", "col-4 col-md-2 text-end text-md-start"],
        headCols: ["col-8 col-md-3", "d-none d-md-block col-md-7"],
        rowClass: "align-items-start pb-2 mb-2 border-bottom",
        header: words.bracketAmount,
        cell: (bracket) => renderBenefitNode(bracket.amount, (n) => { bracket.amount = n; }, false),
        fresh: () => ({ upto: "", amount: { fixed: "" } }),
        redraw: drawBenefit,
      }));
    } else if (k === "sum" || k === "min") {
      const list = node[k];
      const parts = el("div", { class: "ms-md-4 mt-2 p-2 border-start border-3", "data-testid": "benefit-parts" });
      list.forEach((part, i) => {
        const row = el("div", { class: "border rounded p-2 mb-2 bg-body", "data-testid": "benefit-part" }, [renderBenefitNode(part, (n) => { list[i] = n; }, false)]);
        if (list.length > 1) {
          row.appendChild(el("div", { class: "text-end mt-1" }, [el("button", { type: "button", class: "btn btn-sm btn-outline-danger", text: words.remove, "data-testid": "benefit-remove-part", onclick: () => { list.splice(i, 1); drawBenefit(); } })]));
        }
        parts.appendChild(row);
      });
      parts.appendChild(el("button", { type: "button", class: "btn btn-sm btn-outline-primary", text: "+ " + words.addPart, "data-testid": "benefit-add-part", onclick: () => { list.push({ fixed: "" }); drawBenefit(); } }));
      box.appendChild(parts);
    }
    return box;
  }
  function drawBenefit() {
    document.getElementById("benefit-editor").replaceChildren(renderBenefitNode(benefit, (n) => { benefit = n; }, true));
    sync();
  }
  function sync() {
    out.value = JSON.stringify(tree);
    benefitOut.value = benefit ? JSON.stringify(benefit) : "";
  }
  function draw() {
    const root = document.getElementById("tree");
    root.replaceChildren(render(tree, (n) => { tree = n; draw(); }, null, false));
    sync();
  }
  draw();
  drawBenefit();
})();
