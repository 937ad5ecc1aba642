/* Chapter 5's widget: the toy model h = W x, x′ = ReLU(Wᵀh + b), five features in two
 * dimensions, trained from seed 0 at each sparsity of the chapter's series (the build's
 * instances, embedded: nothing is trained in the page). The reader steps through the
 * sparsities and sees the columns of W as arrows (muted when shorter than ½, as the static
 * figure draws them) and WᵀW as a heat map; then reconstructs an input drawn at that
 * sparsity (a seeded generator in the page), or one feature switched on alone at a value of
 * the reader's choice: which other read-outs it reaches, which the ReLU and the bias keep
 * at 0. */
(function () {
  "use strict";
  const KEPT = 0.5; // an arrow longer than this is a feature kept (the figure's blue)
  const STEPS = 20; // a feature alone takes the values 0, 1/20, …, 1
  const SEED = 68; // the generator's: its first input at S = 0.9 has two features on
  const relu = (z) => (z > 0 ? z : 0);

  /** A generator of numbers uniform on [0, 1) from a seed (xorshift32). */
  function random(seed) {
    let state = (seed * 2654435761) | 0 || 1;
    return () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 4294967296;
    };
  }

  /** The length of each column of W: the arrows. */
  const norms = (inst) => inst.b.map((_, i) => Math.hypot(inst.W[0][i], inst.W[1][i]));

  /** Whether arrows [u, v] form a regular polygon round 0, as the chapter's regular() asks:
   * all of one length within 10 %, neighbours 360/n degrees apart within 5. */
  function regular(arrows) {
    const lengths = arrows.map(([u, v]) => Math.hypot(u, v));
    const around = arrows.map(([u, v]) => Math.atan2(v, u)).sort((a, b) => a - b);
    const gaps = around.map((a, k) => (around[k + 1] ?? around[0] + 2 * Math.PI) - a);
    const even = gaps.every((g) => Math.abs((g * 180) / Math.PI - 360 / arrows.length) <= 5);
    return Math.max(...lengths) <= 1.1 * Math.min(...lengths) && even;
  }

  const model = {
    KEPT,
    STEPS,
    SEED,
    random,
    norms,
    /** How many features an instance keeps: arrows longer than ½. */
    kept: (inst) => norms(inst).filter((n) => n > KEPT).length,
    /** What the arrows draw, as the chapter's shape() names it: "regular" (the pentagon);
     * "one short" (the others regular, for five features a square, and arrow `short` less
     * than half as long as the shortest of them); or "other". */
    shape(inst) {
      const arrows = inst.b.map((_, i) => [inst.W[0][i], inst.W[1][i]]);
      if (regular(arrows)) return { name: "regular" };
      const lengths = norms(inst);
      const short = lengths.indexOf(Math.min(...lengths));
      const others = arrows.filter((_, i) => i !== short);
      const rest = lengths.filter((_, i) => i !== short);
      if (arrows.length > 3 && regular(others) && lengths[short] < 0.5 * Math.min(...rest)) {
        return { name: "one short", short };
      }
      return { name: "other" };
    },
    /** The sparse instances that miss the pentagon as a square: those sparser than the
     * first regular one whose shape is "one short" (the widget's introduction names them). */
    squares(instances) {
      const first = instances.findIndex((o) => model.shape(o).name === "regular");
      return instances
        .map((o, at) => ({ at, sparsity: o.sparsity, ...model.shape(o) }))
        .filter((o) => first >= 0 && o.at > first && o.name === "one short");
    },
    /** WᵀW: entry (i, j) is Wᵢ · Wⱼ. */
    gram(inst) {
      const [u, v] = inst.W;
      return u.map((_, i) => u.map((_, j) => u[i] * u[j] + v[i] * v[j]));
    },
    /** An input of n features at sparsity S, drawn as the chapter's sparse_features draws
     * it: from one uniform u per feature, u / (1 − S) when u < 1 − S (uniform on [0, 1]),
     * else 0 (with probability S). */
    sample(next, sparsity, n) {
      const keep = 1 - sparsity;
      return Array.from({ length: n }, () => {
        const u = next();
        return u < keep ? u / keep : 0;
      });
    },
    /** Feature i alone, at the value k / STEPS. */
    alone(n, i, k) {
      return Array.from({ length: n }, (_, j) => (j === i ? k / STEPS : 0));
    },
    /** The model on x: h = W x, z = Wᵀh + b (each read-out before its ReLU), x′ = ReLU(z). */
    forward(inst, x) {
      const [u, v] = inst.W;
      let h0 = 0;
      let h1 = 0;
      for (let j = 0; j < x.length; j++) (h0 += u[j] * x[j]), (h1 += v[j] * x[j]);
      const z = inst.b.map((b, i) => u[i] * h0 + v[i] * h1 + b);
      return { h: [h0, h1], z, out: z.map(relu) };
    },
    /** The squared error of a reconstruction: Σ (x′ᵢ − xᵢ)², the chapter's loss on one input
     * (every importance 1). */
    error: (x, out) => x.reduce((s, xi, i) => s + (out[i] - xi) ** 2, 0),
    /** Whether every read-out other than feature i's is 0 with feature i alone at k / STEPS. */
    quiet(inst, i, k) {
      const { out } = model.forward(inst, model.alone(inst.b.length, i, k));
      return out.every((y, j) => j === i || y === 0);
    },
    /** With feature i alone: `lean`, the other features whose arrows lean towards arrow i
     * (Wᵢ · Wⱼ > 0), each with that interference, its bias and the value where its read-out
     * starts (0 if at once), the first to start first; and `away`, the others, whose
     * interference is 0 or below. */
    neighbours(inst, i) {
      const g = model.gram(inst)[i];
      const others = inst.b.map((bias, j) => ({ j, near: g[j], bias })).filter((o) => o.j !== i);
      const lean = others
        .filter((o) => o.near > 0)
        .map((o) => ({ ...o, at: Math.max(0, -o.bias / o.near) }))
        .sort((a, b) => a.at - b.at);
      return { lean, away: others.filter((o) => o.near <= 0).map((o) => o.j) };
    },
    /** The challenge: the lowest sparsity of the series at which all five arrows are longer
     * than ½; there, one feature alone (i = `alone`, or −1 for a drawn input), at the
     * highest value k / STEPS that leaves every other read-out at 0. "Highest" asks only
     * that k + 1 is not quiet: quiet values run from 0 up when every bias is at most 0, as
     * at that sparsity (the tests check it). */
    challenge(instances, index, alone, k) {
      const inst = instances[index];
      const n = inst.b.length;
      const all = model.kept(inst) === n;
      const lowest =
        all && instances.every((o) => o.sparsity >= inst.sparsity || model.kept(o) < n);
      const quiet = alone >= 0 && model.quiet(inst, alone, k);
      const highest = quiet && (k === STEPS || !model.quiet(inst, alone, k + 1));
      const checks = { all, lowest, quiet, highest };
      return { ...checks, met: Object.values(checks).every(Boolean) };
    },
  };
  if (typeof module === "object" && module.exports) {
    module.exports = model;
    return;
  }

  const TEXT = {
    en: {
      intro:
        "Seed 0's model at each of the {count} sparsities from {first} to {last} (trained when " +
        "the site was built: nothing is trained in the page). Step through them and watch the " +
        "arrows: a few long ones when the features are dense, then a square of four, and a " +
        "regular pentagon when they are sparse{odd}. Then draw inputs at that sparsity, or " +
        "switch one feature on alone, and see which read-outs it reaches and which the ReLU " +
        "and the bias keep at 0.",
      odd:
        " (except at S = {s}, where this seed keeps a square and drops feature {j}, as a few " +
        "seeds in a hundred do in the runs below)",
      note:
        "The arrows: column i of W as an arrow, blue when longer than ½ (the dashed circle's " +
        "radius), grey otherwise; the orange dot is h = W x, the input squeezed into the " +
        "plane (a ring on the edge when it lies beyond). Click an arrow, or choose " +
        "“feature i alone” under Input, to switch its feature on alone. Beside the arrows " +
        "(below them on a narrow screen): W<sup>⊤</sup>W, red above 0, blue below, full at " +
        "±1.3: its diagonal holds each arrow's squared length, the rest the interference " +
        "between two features. With a feature alone, its row is framed: what it adds to each " +
        "read-out per unit of its value. Under the controls: the input x and each read-out " +
        "before its ReLU and after it (x′); the bars show x in grey and x′ in blue, from 0 " +
        "to 1.5.",
      sparsity: "Sparsity S",
      arrowsLabel:
        "The five columns of W as arrows ({shape}): {list}. Longer than ½: {kept}. The orange " +
        "dot, h = W x: ({h0}, {h1}).",
      regular: "a regular pentagon",
      square: "four at right angles, arrow {j} short",
      other: "no regular polygon",
      arrow: "arrow {i}, length {length}, at {angle}°",
      gram: "W<sup>⊤</sup>W (row i, column j: W<sub>i</sub> · W<sub>j</sub>)",
      draw: "New input",
      input: "Input",
      drawn: "drawn at random",
      alone: "feature {i} alone",
      value: "Value of the feature alone",
      off: "only for a feature alone",
      feature: "feature",
      before: "before ReLU",
      drawnAt: "Input x drawn at S = {s}",
      aloneAt: "Feature {i} alone, at {v}",
      kept: "Arrows longer than ½",
      active: "Features on in x",
      error: "Squared error Σ(x′ᵢ − xᵢ)²",
      of: "{n} of {all}",
      and: " and ",
      say: "{what}: x = ({x}); x′ = ({out})",
      challenge:
        "Challenge: find the lowest sparsity at which all five arrows are longer than ½. " +
        "There, switch one feature on alone and raise its value as far as it goes with " +
        "every other read-out still at 0.",
      all: "all five arrows longer than ½",
      lowest: "the lowest such sparsity",
      quiet: "one feature alone, the other read-outs at 0",
      highest: "its value as high as that allows",
      // the challenge's sparsity is a regular pentagon (the tests check it): each feature
      // has two neighbours that lean towards it and two features that point away
      done:
        "Done! Below S = {s} the model keeps fewer features. With feature {i} alone at a " +
        "value v, the read-outs of features {lean}, whose arrows lean towards arrow {i}, get " +
        "{terms} before the ReLU: v times the overlap of the arrows, plus a negative bias, " +
        "which holds them at 0 while v is at most {ats}. The read-outs of features {away}, " +
        "whose arrows point away from arrow {i}, are below 0 before the ReLU, which sets them " +
        "to 0 at any value.",
      yes: "(met)",
      no: "(not met)",
    },
    zh: {
      intro:
        "下面是种子 0 在从 {first} 到 {last} 的 {count} 个稀疏度下训练出的模型（构建网站时已" +
        "训练好，页面里不再训练）。逐个切换稀疏度，观察箭头：特征稠密时，只有几支箭头较长；" +
        "再稀疏一些，四支箭头排成正方形；特征稀疏时，五支箭头排成正五边形{odd}。然后在当前稀" +
        "疏度下随机抽取输入，或者只开一个特征，看看它影响到哪些读出值，又有哪些读出值被 ReLU " +
        "和偏置压在 0。",
      odd: "（S = {s} 时例外：这个种子只保留了一个正方形，舍弃了特征 {j}；下文的一百个种子" +
        "中，也有少数几个是这样）",
      note:
        "箭头：W 的第 i 列画成一支箭头，长于 0.5（虚线圆的半径）时为蓝色，否则为灰色；橙色圆点" +
        "是 h = W x，即压缩到平面上的输入（落在图外时，在边上画成圆环）。点击某支箭头，或者在" +
        "“输入”中选“只开特征 i”，就只开这个特征。箭头旁边（窄屏上在箭头下方）：" +
        "W<sup>⊤</sup>W，正值为红色，负值为蓝色，到 ±1.3 时颜色最深；对角线是各箭头长度的平" +
        "方，其余各项是两个特征之间的干扰。只开一个特征时，它所在的行加上边框：这一行就是该特" +
        "征每单位取值给各个读出值带来的量。控件下方：输入 x，以及各读出值在 ReLU 之前和之后" +
        "（x′）的值；条形从 0 画到 1.5，灰色为 x，蓝色为 x′。",
      sparsity: "稀疏度 S",
      arrowsLabel:
        "W 的五列画成箭头（{shape}）：{list}。长于 0.5 的：{kept}。橙色圆点 h = W x：" +
        "({h0}, {h1})。",
      regular: "正五边形",
      square: "四支箭头互成直角，箭头 {j} 很短",
      other: "不成正多边形",
      arrow: "箭头 {i}，长 {length}，方向 {angle}°",
      gram: "W<sup>⊤</sup>W（第 i 行第 j 列：W<sub>i</sub> · W<sub>j</sub>）",
      draw: "抽取新输入",
      input: "输入",
      drawn: "随机抽取",
      alone: "只开特征 {i}",
      value: "单独开启的特征的取值",
      off: "仅在只开一个特征时可用",
      feature: "特征",
      before: "ReLU 之前",
      drawnAt: "在 S = {s} 下随机抽取的输入 x",
      aloneAt: "只开特征 {i}，取值 {v}",
      kept: "长于 0.5 的箭头",
      active: "x 中非零的特征",
      error: "平方误差 Σ(x′ᵢ − xᵢ)²",
      of: "{all} 个中的 {n} 个",
      and: " 和 ",
      say: "{what}：x = ({x})；x′ = ({out})",
      challenge:
        "挑战：找出五支箭头都长于 0.5 的最低稀疏度。在这个稀疏度下只开一个特征，把它的取值尽量" +
        "调高，同时让其他读出值都保持为 0。",
      all: "五支箭头都长于 0.5",
      lowest: "满足上一条的最低稀疏度",
      quiet: "只开一个特征，其他读出值都为 0",
      highest: "取值已调到允许范围内的最高值",
      done:
        "完成！稀疏度低于 {s} 时，模型保留的特征更少。只开特征 {i}、取值为 v 时，特征 {lean} " +
        "的箭头偏向箭头 {i}，它们的读出值在 ReLU 之前分别是 {terms}：箭头的重叠乘以 v，再加" +
        "上一个负偏置；只要 v 分别不超过 {ats}，偏置就把它们压在 0。特征 {away} 的箭头背离" +
        "箭头 {i}，读出值在 ReLU 之前小于 0，无论 v 取多大，ReLU 都把它们设为 0。",
      yes: "（已满足）",
      no: "（未满足）",
    },
  };
  const SIZE = 300; // the canvas's pixels: the plane from −1.6 to 1.6 in both directions
  const SCALE = SIZE / 3.2;
  const toPixel = (u, v) => [SIZE / 2 + u * SCALE, SIZE / 2 - v * SCALE];
  const EDGE = 1.55; // h beyond this is drawn on the edge, as a ring
  const NEAR = 18; // a click (or the pointer) this close to an arrow, in pixels, takes it
  // the arrows as the chapter's figures draw them (Okabe and Ito's blue, a grey), h in
  // orange; lighter in the dark scheme
  const COLOURS = {
    light: { kept: "#0072b2", short: "#666666", h: "#d55e00" },
    dark: { kept: "#56b4e9", short: "#a3a3a3", h: "#e69f00" },
  };
  // W⊤W from the page's background to red (above 0) or blue (below): full at ±1.3, as
  // the static figure (RdBu); its ends lighter in the dark scheme
  const HEAT = { light: ["#b2182b", "#2166ac"], dark: ["#d6604d", "#4393c3"] };
  const FULL = 1.3;
  const BAR = 1.5; // the bars' scale: 0 to 1.5
  const hex = (h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
  const mix = (from, to, t) => from.map((v, k) => Math.round(v + (to[k] - v) * t));
  /** The relative luminance of a colour [r, g, b] (WCAG). */
  function luminance(rgb) {
    const [r, g, b] = rgb.map((c) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  TinyNets.widget("superposition", (element, data, ui) => {
    const text = ui.strings(TEXT);
    const instances = data.instances;
    const n = data.features;
    const zh = ui.lang === "zh";
    const [colon, semicolon, stop] = zh ? ["：", "；", "。"] : [": ", "; ", ". "];
    const minus = (s) => s.replace("-", "−");
    /** Items as a sentence lists them: "2 and 4", "2, 3 and 4" (in Chinese 、 and 和). */
    const listed = (items) =>
      items.length < 2
        ? items.join("")
        : items.slice(0, -1).join(zh ? "、" : ", ") + text("and") + items[items.length - 1];
    /** A number of the tables: 0 as "0" (a read-out the ReLU sets to 0, a feature off),
     * else 2 decimals, or "≈0" when they would show 0.00 (a feature on, but barely). */
    const shown = (v) => (v === 0 ? "0" : Math.abs(v) < 0.005 ? "≈0" : minus(ui.number(v, 2)));
    const ids = [ui.id("s"), ui.id("s"), ui.id("s")]; // the sparsity, the input, the value
    const features = [...Array(n).keys()];
    const row = (cells) => `<tr>${cells.join("")}</tr>`;
    // a number of a table, in a box of a fixed size (widgets.css): writing it lays out that
    // box alone, not the page
    const NUMBER = "<td><span></span></td>";
    const root = document.createElement("div");
    root.className = "tn-widget-ui";
    const slider = (id, key, attributes) =>
      `<div class="tn-controls"><label for="${id}">${text(key)}</label><div class="tn-slider">` +
      `<input id="${id}" type="range" ${attributes}></div><div class="tn-value"><span>` +
      `</span></div></div>`;
    // what each instance's arrows draw, in words (the canvas's text alternative)
    const shapes = instances.map((inst) => {
      const form = model.shape(inst);
      if (form.name === "one short") return text("square", { j: form.short + 1 });
      return text(form.name === "regular" ? "regular" : "other");
    });
    const odd = model
      .squares(instances)
      .map((o) => text("odd", { s: ui.significant(o.sparsity, 3), j: o.short + 1 }));
    const intro = text("intro", {
      count: instances.length,
      first: ui.significant(instances[0].sparsity, 3),
      last: ui.significant(instances[instances.length - 1].sparsity, 3),
      odd: odd.join(""),
    });
    root.innerHTML =
      `<p>${intro}</p><p class="tn-note">${text("note")}</p>` +
      slider(ids[0], "sparsity", `min="0" max="${instances.length - 1}" step="1"`) +
      `<div class="tn-row" style="align-items:flex-start;gap:.8em 1.6em"><canvas ` +
      `width="${SIZE}" height="${SIZE}" role="img" style="display:block;flex:0 1 17em;` +
      `min-width:0;aspect-ratio:1;contain:strict;touch-action:manipulation">` +
      `</canvas><table class="tn-table tn-heat"><caption>${text("gram")}</caption><thead>` +
      row([`<td></td>`, ...features.map((j) => `<th scope="col">${j + 1}</th>`)]) +
      `</thead><tbody>` +
      features
        .map((i) => row([`<th scope="row">${i + 1}</th>`, ...features.map(() => NUMBER)]))
        .join("") +
      `</tbody></table></div><div class="tn-row"><button type="button">${text("draw")}` +
      `</button><label for="${ids[1]}">${text("input")}</label><span class="tn-pick"><select ` +
      `id="${ids[1]}">` +
      `<option value="-1">${text("drawn")}</option>` +
      features.map((i) => `<option value="${i}">${text("alone", { i: i + 1 })}</option>`).join("") +
      `</select></span></div>` +
      slider(ids[2], "value", `min="0" max="${STEPS}" step="1" value="${STEPS}"`) +
      `<table class="tn-table tn-recon"><caption><span></span></caption><thead>` +
      row([
        ...[text("feature"), "x", text("before"), "x′"].map((t) => `<th scope="col">${t}</th>`),
        `<td aria-hidden="true"></td>`,
      ]) +
      `</thead><tbody>` +
      features
        .map((i) =>
          row([
            `<th scope="row">${i + 1}</th>`,
            NUMBER.repeat(3),
            `<td class="tn-bars" aria-hidden="true"><span></span><span></span></td>`,
          ]),
        )
        .join("") +
      `</tbody></table><dl class="tn-readouts">` +
      ["kept", "active", "error"]
        .map((key) => `<div><dt>${text(key)}</dt><dd data-readout="${key}"></dd></div>`)
        .join("") +
      `</dl><div class="tn-challenge"><p>${text("challenge")}</p>` +
      ui.checklist(
        ["all", "lowest", "quiet", "highest"].map((c) => text(c)),
        text("yes"),
        text("no"),
      ) +
      `<p class="tn-done" hidden></p></div><span hidden></span>`;
    element.append(root);
    const $ = (s) => root.querySelector(s);
    const [sparsityInput, pick, valueInput] = ids.map((id) => $(`#${id}`));
    const [sparsityShown, valueShown] = [...root.querySelectorAll(".tn-value > span")];
    const canvas = $("canvas");
    const context = canvas.getContext("2d");
    const heatRows = [...root.querySelectorAll(".tn-heat tbody tr")];
    const heatCells = [...root.querySelectorAll(".tn-heat tbody td")];
    const caption = $(".tn-recon caption");
    const cells = [...root.querySelectorAll(".tn-recon tbody td:not(.tn-bars)")];
    const bars = [...root.querySelectorAll(".tn-bars > span")];
    const dds = root.querySelectorAll("dd");
    const items = root.querySelectorAll(".tn-checks li");
    const done = $(".tn-done");
    const probe = root.lastChild;
    const font = `bold 16px ${getComputedStyle(root).fontFamily}`; // the labels of the arrows
    const say = ui.announcer(root);

    // what is shown: an instance, and a drawn input (alone = −1) or feature `alone` at
    // k / STEPS; the drawn input stays as the sparsity changes, to compare the models on it
    const next = random(SEED);
    const start = instances.reduce((a, o, i) => {
      return Math.abs(o.sparsity - 0.9) < Math.abs(instances[a].sparsity - 0.9) ? i : a;
    }, 0);
    let index = start;
    let drawnAt = instances[index].sparsity;
    let drawn = model.sample(next, drawnAt, n);
    let alone = -1;
    let k = STEPS;
    let frame = 0;
    let telling = false;
    let [saidMet, heatOf] = [false, ""]; // heatOf: the instance and scheme the map shows

    /** A colour of the theme as [r, g, b]: `value` is a CSS colour, a var(…) say. */
    function rgb(value) {
      probe.style.color = value;
      return getComputedStyle(probe).color.match(/[\d.]+/g).slice(0, 3).map(Number);
    }
    const css = (c) => `rgb(${c.join(",")})`;

    function arrow(from, to, colour, width) {
      const [x0, y0] = toPixel(...from);
      const [x1, y1] = toPixel(...to);
      const length = Math.hypot(x1 - x0, y1 - y0);
      if (length < 0.5) return;
      const [ux, uy] = [(x1 - x0) / length, (y1 - y0) / length];
      const head = Math.min(12, length);
      context.strokeStyle = context.fillStyle = colour;
      context.lineWidth = width;
      context.beginPath();
      context.moveTo(x0, y0);
      context.lineTo(x1 - ux * head * 0.8, y1 - uy * head * 0.8);
      context.stroke();
      context.beginPath();
      context.moveTo(x1, y1);
      context.lineTo(x1 - ux * head - uy * head * 0.4, y1 - uy * head + ux * head * 0.4);
      context.lineTo(x1 - ux * head + uy * head * 0.4, y1 - uy * head - ux * head * 0.4);
      context.closePath();
      context.fill();
    }

    /** The theme's background as [r, g, b], the colour of the axes (faint: they only
     * orient) and of the dashed circle (the threshold of ½: 3:1 or more on the background),
     * as CSS colours with their transparency; read once for each scheme. */
    const themes = {};
    function theme(scheme) {
      if (!themes[scheme]) {
        const colour = (value) => ((probe.style.color = value), getComputedStyle(probe).color);
        themes[scheme] = {
          bg: rgb("var(--md-default-bg-color)"),
          faint: colour("var(--md-default-fg-color--lighter)"),
          circle: colour("var(--md-default-fg-color--light)"),
        };
      }
      return themes[scheme];
    }

    function drawPlane(inst, lengths, h, scheme) {
      const colours = COLOURS[scheme];
      const { bg, faint, circle } = theme(scheme);
      // as many pixels as the screen has (2 or 3 to a CSS pixel on a phone), drawn in the
      // canvas's own units, SIZE across
      const pixels = Math.round(SIZE * Math.min(3, window.devicePixelRatio || 1));
      if (canvas.width !== pixels) canvas.width = canvas.height = pixels;
      context.setTransform(pixels / SIZE, 0, 0, pixels / SIZE, 0, 0);
      context.fillStyle = css(bg);
      context.fillRect(0, 0, SIZE, SIZE);
      context.strokeStyle = faint;
      context.lineWidth = 1;
      context.beginPath();
      context.moveTo(0, SIZE / 2);
      context.lineTo(SIZE, SIZE / 2);
      context.moveTo(SIZE / 2, 0);
      context.lineTo(SIZE / 2, SIZE);
      context.stroke();
      context.strokeStyle = circle;
      context.setLineDash([5, 4]);
      context.beginPath();
      context.arc(SIZE / 2, SIZE / 2, KEPT * SCALE, 0, 2 * Math.PI);
      context.stroke();
      context.setLineDash([]);
      context.font = font;
      context.textAlign = "center";
      context.textBaseline = "middle";
      features.forEach((i) => {
        const [u, v] = [inst.W[0][i], inst.W[1][i]];
        const colour = lengths[i] > KEPT ? colours.kept : colours.short;
        arrow([0, 0], [u, v], colour, i === alone ? 4.5 : 2.5);
        const away = 1 + 0.25 / Math.max(lengths[i], 0.25); // the label beyond the tip
        context.fillStyle = colour;
        context.fillText(String(i + 1), ...toPixel(u * away, v * away));
      });
      // h: a dot, or a ring on the edge of the frame when it lies beyond
      const beyond = h.some((c) => Math.abs(c) > EDGE);
      const [hx, hy] = toPixel(...h.map((c) => Math.max(-EDGE, Math.min(EDGE, c))));
      context.beginPath();
      context.arc(hx, hy, 6, 0, 2 * Math.PI);
      if (beyond) {
        context.lineWidth = 3;
        context.strokeStyle = colours.h;
      } else {
        context.fillStyle = colours.h;
        context.fill();
        context.lineWidth = 2;
        context.strokeStyle = css(bg);
      }
      context.stroke();
    }

    /** W⊤W's cells: the value, its colour, and black or white text, whichever reads better
     * on it (at least 4.5:1 on any colour). */
    function drawHeat(inst, scheme) {
      const { bg } = theme(scheme);
      const [red, blue] = HEAT[scheme].map(hex);
      const gram = model.gram(inst);
      heatCells.forEach((cell, at) => {
        const v = gram[Math.floor(at / n)][at % n];
        const colour = mix(bg, v > 0 ? red : blue, Math.min(1, Math.abs(v) / FULL));
        const light = luminance(colour);
        const dark = (light + 0.05) / 0.05 >= 1.05 / (light + 0.05);
        cell.style.background = css(colour);
        cell.style.color = dark ? "#000" : "#fff";
        ui.text(cell.firstChild, shown(v));
        cell.dataset.value = v;
      });
    }

    function draw() {
      frame = 0;
      const inst = instances[index];
      const x = alone < 0 ? drawn : model.alone(n, alone, k);
      const { h, z, out } = model.forward(inst, x);
      const lengths = norms(inst);
      const kept = lengths.filter((l) => l > KEPT).length;
      const scheme = document.body.getAttribute("data-md-color-scheme") === "slate";
      const schemeName = scheme ? "dark" : "light";
      const s = ui.significant(inst.sparsity, 3);
      ui.text(sparsityShown, s);
      ui.attribute(sparsityInput, "aria-valuetext", s);
      const v = ui.significant(k / STEPS, 2);
      ui.text(valueShown, alone < 0 ? "—" : v);
      ui.attribute(valueInput, "aria-valuetext", alone < 0 ? text("off") : v);
      if (valueInput.disabled !== alone < 0) valueInput.disabled = alone < 0;
      drawPlane(inst, lengths, h, schemeName);
      if (heatOf !== `${index} ${schemeName}`) {
        drawHeat(inst, schemeName);
        heatOf = `${index} ${schemeName}`;
      }
      heatRows.forEach((tr, i) => {
        if (tr.classList.contains("tn-on") !== (i === alone)) tr.classList.toggle("tn-on");
      });
      const list = features.map((i) => {
        const angle = (Math.atan2(inst.W[1][i], inst.W[0][i]) * 180) / Math.PI;
        const length = ui.number(lengths[i], 2);
        return text("arrow", { i: i + 1, length, angle: Math.round((angle + 360) % 360) });
      });
      const [h0, h1] = h.map(shown);
      const counted = (count) => text("of", { n: count, all: n });
      const words = { shape: shapes[index], list: list.join(semicolon), kept: counted(kept), h0, h1 };
      ui.attribute(canvas, "aria-label", text("arrowsLabel", words));
      const what = alone < 0
        ? text("drawnAt", { s: ui.significant(drawnAt, 3) })
        : text("aloneAt", { i: alone + 1, v });
      ui.text(caption.firstChild, what);
      features.forEach((i) => {
        [x[i], z[i], out[i]].forEach((value, c) => {
          ui.text(cells[3 * i + c].firstChild, shown(value));
          cells[3 * i + c].dataset.value = value;
        });
        bars[2 * i].style.transform = `scaleX(${Math.min(1, x[i] / BAR)})`;
        bars[2 * i + 1].style.transform = `scaleX(${Math.min(1, out[i] / BAR)})`;
      });
      const error = model.error(x, out);
      const active = x.filter((xi) => xi > 0).length;
      const values = [kept, active, error];
      const texts = [counted(kept), counted(active), minus(ui.significant(error, 3))];
      dds.forEach((dd, i) => {
        ui.text(dd, texts[i]);
        ui.attribute(dd, "data-value", values[i]);
      });
      const verdict = model.challenge(instances, index, alone, k);
      ["all", "lowest", "quiet", "highest"].forEach((name, i) => {
        if (items[i].classList.contains("tn-met") !== verdict[name]) {
          items[i].classList.toggle("tn-met", verdict[name]);
        }
      });
      if (verdict.met) {
        const { lean, away } = model.neighbours(inst, alone);
        // 3 decimals: near × at + bias is 0
        const term = (o) =>
          `${ui.number(o.near, 3)} v ${o.bias < 0 ? "−" : "+"} ${ui.number(Math.abs(o.bias), 3)}`;
        const fill = {
          s,
          i: alone + 1,
          lean: listed(lean.map((o) => o.j + 1)),
          terms: listed(lean.map(term)),
          ats: listed(lean.map((o) => ui.number(o.at, 3))),
          away: listed(away.map((j) => j + 1)),
        };
        ui.text(done, text("done", fill));
      }
      if (done.hidden === verdict.met) done.hidden = !verdict.met;
      if (telling) {
        const names = [...root.querySelectorAll("dt")].map((dt) => dt.textContent);
        const join = (values) => values.map(shown).join(", "); // a vector, as in formulas
        const said = [text("say", { what, x: join(x), out: join(out) })];
        said.push(...names.map((name, i) => `${name}${colon}${texts[i]}`));
        const all = `${text("sparsity")} = ${s}${semicolon}${said.join(semicolon)}`;
        say(verdict.met && !saidMet ? `${all}${stop}${done.textContent}` : all);
        saidMet = verdict.met;
      }
      telling = false;
    }
    function schedule() {
      frame = frame || requestAnimationFrame(draw);
    }
    function announce() {
      telling = true;
      schedule();
    }

    /** Feature i alone (−1: back to the drawn input). */
    function choose(i) {
      alone = i;
      if (+pick.value !== i) pick.value = i;
    }
    sparsityInput.value = index;
    sparsityInput.addEventListener("input", () => {
      index = +sparsityInput.value;
      schedule();
    });
    sparsityInput.addEventListener("change", announce);
    valueInput.addEventListener("input", () => {
      k = +valueInput.value;
      schedule();
    });
    valueInput.addEventListener("change", announce);
    pick.addEventListener("change", () => (choose(+pick.value), announce()));
    $(".tn-row > button").addEventListener("click", () => {
      drawnAt = instances[index].sparsity;
      drawn = model.sample(next, drawnAt, n);
      choose(-1);
      announce();
    });
    /** The arrow under the pointer of `event` (within NEAR pixels of the canvas), or −1. */
    function under(event) {
      const box = canvas.getBoundingClientRect();
      const px = ((event.clientX - box.left) / box.width) * SIZE;
      const py = ((event.clientY - box.top) / box.height) * SIZE;
      const inst = instances[index];
      let [best, nearest] = [-1, NEAR];
      features.forEach((i) => {
        const [x1, y1] = toPixel(inst.W[0][i], inst.W[1][i]);
        const [dx, dy] = [x1 - SIZE / 2, y1 - SIZE / 2];
        const along = Math.max(0, Math.min(1, ((px - SIZE / 2) * dx + (py - SIZE / 2) * dy) /
          (dx * dx + dy * dy || 1)));
        const d = Math.hypot(px - SIZE / 2 - along * dx, py - SIZE / 2 - along * dy);
        if (d < nearest) [best, nearest] = [i, d];
      });
      return best;
    }
    // a click on (or near) an arrow switches its feature on alone; the pointer says where
    // a click would
    canvas.addEventListener("click", (event) => {
      const best = under(event);
      if (best >= 0) choose(best), announce();
    });
    canvas.addEventListener("pointermove", (event) => {
      const cursor = under(event) >= 0 ? "pointer" : "";
      if (canvas.style.cursor !== cursor) canvas.style.cursor = cursor;
    });
    canvas.addEventListener("pointerleave", () => (canvas.style.cursor = ""));
    // the scheme toggle changes the theme's colours: draw again with the new ones
    new MutationObserver(schedule).observe(document.body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme"],
    });
    draw();
  });
})();
