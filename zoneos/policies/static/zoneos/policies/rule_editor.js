// The rule editor: the criteria tree as nested forms (no JSON typing), written back to a hidden field
// on every change; the benefit as a small form. The server validates the tree (criteria.validate).
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
  // A threshold chosen by the bracket another figure falls in (the 5 / 4 / 3 % R&D tiers by revenue):
  // one row per bracket, its upper bound inclusive; the last bracket is open-ended.
  function renderScale(node) {
    const scale = node.scale;
    const box = el("div", { class: "ms-md-4 mt-2 p-2 border-start border-3", "data-testid": "scale-editor" });
    const by = variables.filter((x) => ["money", "count"].includes(x.kind));
    box.appendChild(el("div", { class: "d-flex flex-wrap gap-2 align-items-center mb-2" }, [
      el("span", { class: "small text-secondary", text: words.scaleBy }),
      el("div", { style: "min-width:12rem" }, [select(by.map((x) => [x.name, x.label]), scale.by, (name) => { scale.by = name; sync(); }, "scale-by")]),
    ]));
    box.appendChild(el("div", { class: "row g-1 zo-keep-row small text-secondary" }, [
      el("div", { class: "col-5 col-md-4", text: words.upto }),
      el("div", { class: "col-4 col-md-3", text: words.threshold }),
    ]));
    scale.brackets.forEach((bracket, i) => {
      const last = i === scale.brackets.length - 1;
      const line = el("div", { class: "row g-1 zo-keep-row align-items-center mb-1", "data-testid": "scale-bracket" });
      line.appendChild(el("div", { class: "col-5 col-md-4" }, [last
        ? el("div", { class: "small text-secondary", text: words.above })
        : input(bracket.upto, (t) => { bracket.upto = t; sync(); }, { placeholder: words.upto, "aria-label": words.upto, inputmode: "decimal", "data-testid": "bracket-upto" })]));
      line.appendChild(el("div", { class: "col-4 col-md-3" }, [input(bracket.value, (t) => { bracket.value = t; sync(); }, { placeholder: words.value, "aria-label": words.value, inputmode: "decimal", "data-testid": "bracket-value" })]));
      if (scale.brackets.length > 1) {
        line.appendChild(el("div", { class: "col-3 col-md-2" }, [el("button", { type: "button", class: "btn btn-sm btn-outline-danger", text: words.remove, onclick: () => {
          scale.brackets.splice(i, 1);
          delete scale.brackets[scale.brackets.length - 1].upto;
          draw();
        } })]));
      }
      box.appendChild(line);
    });
    box.appendChild(el("button", { type: "button", class: "btn btn-sm btn-outline-primary", text: "+ " + words.bracket, "data-testid": "add-bracket", onclick: () => {
      scale.brackets.splice(scale.brackets.length - 1, 0, { upto: "", value: "" });
      draw();
    } }));
    return box;
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
  function renderBenefit() {
    const root = document.getElementById("benefit-editor");
    root.replaceChildren();
    const b = benefit || {};
    const mode = !benefit ? "none" : "fixed" in b ? "fixed" : "rate";
    const rate = "min" in b ? b.min[0] : b;
    const cap = "min" in b ? b.min[1].fixed : "";
    root.appendChild(el("div", { class: "col-12 col-md-4" }, [select([["none", words.none], ["fixed", words.fixed], ["rate", words.rate]], mode, (m) => {
      benefit = m === "none" ? null : m === "fixed" ? { fixed: "" } : { rate: "0.1", var: "rd_expense" }; renderBenefit(); sync();
    }, "benefit-kind")]));
    if (mode === "fixed") {
      root.appendChild(el("div", { class: "col-12 col-md-4" }, [input(b.fixed, (v) => { benefit = { fixed: v }; sync(); }, { placeholder: words.amount, "aria-label": words.amount, "data-testid": "benefit-amount" })]));
    } else if (mode === "rate") {
      let current = { rate: rate.rate, var: rate.var, cap: cap };
      const write = () => {
        const r = { rate: current.rate, var: current.var };
        benefit = current.cap ? { min: [r, { fixed: current.cap }] } : r; sync();
      };
      const money = variables.filter((v) => ["money", "count", "fact"].includes(v.kind));
      root.appendChild(el("div", { class: "col-4 col-md-2" }, [input(current.rate, (v) => { current.rate = v; write(); }, { "aria-label": words.rate })]));
      root.appendChild(el("div", { class: "col-8 col-md-3" }, [select(money.map((x) => [x.name, x.label]), current.var, (v) => { current.var = v; write(); })]));
      root.appendChild(el("div", { class: "col-12 col-md-3" }, [input(current.cap, (v) => { current.cap = v; write(); }, { placeholder: words.cap, "aria-label": words.cap })]));
    }
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
  renderBenefit();
  sync();
})();
