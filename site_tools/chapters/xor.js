/* Chapter 4's widget: the chapter's networks in the plane of inputs (a, b). The reader
 * picks a network (the two exact ones, or six trained seeds of the chapter's figure), moves
 * any of its weights, and sees where each hidden neuron is on, its fold line, the output over
 * [−0.5, 1.5]², and the four corners: each output, the loss, how many are on the right side
 * of ½, how many neurons are dead. Parameters come as the experiment exports them: each
 * network's state_dict, as lists. */
(function () {
  "use strict";
  const relu = (z) => (z > 0 ? z : 0);
  const sigmoid = (z) => 1 / (1 + Math.exp(-z));
  const CORNERS = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ];
  const LABELS = [0, 1, 1, 0];
  /** The networks, in the order the menu lists them: exact ones, then the trained ones. */
  const NETWORKS = [
    "one_relu",
    "layered",
    "relu_two_folding",
    "relu_folding_affine",
    "sigmoid_solved",
    "relu_folding_dead",
    "relu_affine_affine",
    "sigmoid_merged",
  ];

  /** A network as the widget keeps it: its hidden units' activation, whether the read-out
   * also reads a and b (a skip connection), its number of hidden units, and its parameters
   * in one list p: for each unit wₐ, w_b, b; then the read-out's weight on each unit, on a
   * and on b (with a skip connection), and its bias. */
  function unpack(data, name) {
    if (name === "one_relu" || name === "layered") {
      const s = data.exact[name];
      if (name === "layered") return sequential("relu", s);
      const [ua, ub, v] = s["output.weight"][0];
      const unit = [...s["neurons.0.weight"][0], s["neurons.0.bias"][0]];
      return { act: "relu", skip: true, units: 1, p: [...unit, v, ua, ub, s["output.bias"][0]] };
    }
    const run = data.trained[name];
    return sequential(run.setting.startsWith("sigmoid") ? "sigmoid" : "relu", run.weights);
  }

  function sequential(act, s) {
    const units = s["0.bias"].length;
    const p = [];
    for (let i = 0; i < units; i++) p.push(...s["0.weight"][i], s["0.bias"][i]);
    p.push(...s["2.weight"][0], s["2.bias"][0]);
    return { act, skip: false, units, p };
  }

  /** The network's output at (a, b); each unit's pre-activation goes into z (an array of
   * net.units numbers, reused from pixel to pixel when the pictures are drawn). */
  function evaluate(net, a, b, z) {
    const { p, units } = net;
    const squash = net.act === "sigmoid";
    let at = 3 * units;
    let y = 0;
    for (let i = 0; i < units; i++) {
      z[i] = p[3 * i] * a + p[3 * i + 1] * b + p[3 * i + 2];
      y += p[at++] * (squash ? sigmoid(z[i]) : relu(z[i]));
    }
    if (net.skip) y += p[at++] * a + p[at++] * b;
    y += p[at];
    return squash ? sigmoid(y) : y;
  }

  /** The network at (a, b): each unit's pre-activation z, and the output y. */
  function forward(net, a, b) {
    const z = new Array(net.units);
    return { z, y: evaluate(net, a, b, z) };
  }

  /** Whether a neuron's input z counts as on (> 0): by more than rounding can make of a
   * 0, so that weights in tenths that put a fold line exactly on a corner leave the
   * neuron off there (0.1 + 0.2 − 0.3 is 5.6 × 10⁻¹⁷ in floating point). */
  function isOn(net, i, z) {
    return z > onAbove(net, i);
  }
  function onAbove(net, i) {
    const [wa, wb, c] = net.p.slice(3 * i, 3 * i + 3);
    return 1e-9 * (1 + Math.abs(wa) + Math.abs(wb) + Math.abs(c));
  }
  /** An output as the widget shows and judges it: to 6 decimals, never −0. Exported
   * weights are float32, good to about 7 digits, and slider weights are tenths: so 0.9 is
   * 0.9, not 0.8999999999999999, and an output that is ½ up to float32's rounding is ½,
   * on neither side. */
  const settled = (y) => Math.round(y * 1e6) / 1e6 + 0;

  const model = {
    NETWORKS,
    CORNERS,
    LABELS,
    unpack,
    forward,
    isOn,
    settled,
    /** What the readouts show: the output at each corner (settled), the mean squared error
     * over the four (the chapter's loss), how many outputs are on the right side of ½
     * (|y − label| < ½, as the chapter's `outcome` tests), and the dead neurons: ReLUs that
     * are off at all four corners (null for sigmoid units: the term does not apply).
     * `on[i]` lists the corners where unit i is on. */
    state(net) {
      const runs = CORNERS.map(([a, b]) => forward(net, a, b));
      const outputs = runs.map((r) => settled(r.y));
      const errors = outputs.map((y, c) => y - LABELS[c]);
      const on = Array.from({ length: net.units }, (_, i) =>
        runs.map((r, c) => (isOn(net, i, r.z[i]) ? c : -1)).filter((c) => c >= 0),
      );
      return {
        outputs,
        loss: errors.reduce((s, e) => s + e * e, 0) / 4,
        right: errors.filter((e) => Math.abs(e) < 0.5).length,
        dead: net.act === "relu" ? on.filter((corners) => corners.length === 0).length : null,
        on,
      };
    },
    /** The fold line of unit i, wₐa + w_b b + b = 0, as its two ends on the square
     * [lo, hi]² (null if the line misses it, touches it at one point, or the unit has no
     * weight on a or b). */
    foldLine(net, i, lo, hi) {
      const [wa, wb, c] = net.p.slice(3 * i, 3 * i + 3);
      const ends = [];
      const add = (a, b) => {
        const inside = (v) => v >= lo - 1e-12 && v <= hi + 1e-12;
        const seen = ends.some(([x, y]) => Math.abs(x - a) + Math.abs(y - b) < 1e-9);
        if (inside(a) && inside(b) && !seen) ends.push([a, b]);
      };
      if (wb !== 0) [lo, hi].forEach((a) => add(a, -(wa * a + c) / wb));
      if (wa !== 0) [lo, hi].forEach((b) => add(-(wb * b + c) / wa, b));
      return ends.length >= 2 ? ends.slice(0, 2) : null;
    },
    /** The challenge's conditions for the network `name` with parameters p and its settled
     * outputs: the layered network, its hidden layer started from 0 ("Zero the hidden
     * layer"), its read-out h₁ + h₂ (weights 1, 1, bias 0, as that button sets it), and
     * every output within 0.1 of its label. */
    challenge(name, fromZero, p, outputs) {
      const checks = {
        network: name === "layered",
        start: fromZero,
        readout: name === "layered" && p[6] === 1 && p[7] === 1 && p[8] === 0,
        close: outputs.every((y, c) => Math.abs(y - LABELS[c]) <= 0.1 + 1e-9),
      };
      return { ...checks, met: Object.values(checks).every(Boolean) };
    },
    /** A slider's range for a network: ±4, or wider to hold its largest weight. */
    range(net) {
      return Math.max(4, Math.ceil(Math.max(...net.p.map(Math.abs))));
    },
  };
  if (typeof module === "object" && module.exports) {
    module.exports = model;
    return;
  }

  const TEXT = {
    en: {
      intro:
        "The chapter's two exact networks and six trained ones, three solved and three " +
        "failed, with every weight on a slider. Pick the seed with a dead neuron and move " +
        "that neuron's fold line past one of the corners: the neuron is on again there. " +
        "Training did not make that move: once a neuron is off at all four corners, no " +
        "gradient reaches it.",
      note:
        "Left: where each hidden neuron is on, h₁ in blue, h₂ in orange, both in purple (a " +
        "sigmoid neuron: where it is above ½), with their fold lines, where a neuron's " +
        "input z is 0 (h₂'s dashed). A dead neuron is off at all four corners, though it may " +
        "be on elsewhere in the square. Right: the output, from dark blue (0 or less) to " +
        "yellow (1 or more) in the colours of the chapter's figures, its ½ level dashed in " +
        "white, the fold lines solid. Filled corners: a ⊕ b = 1; hollow: 0; ringed: the " +
        "output is on the wrong side of ½.",
      network: "Network",
      one_relu: "Exact: one ReLU with a skip connection",
      layered: "Exact: two ReLUs, strictly layered",
      relu_two_folding: "ReLU seed {seed}: solved, two folding neurons",
      relu_folding_affine: "ReLU seed {seed}: solved, one folding, one affine",
      sigmoid_solved: "Sigmoid seed {seed}: solved",
      relu_folding_dead: "ReLU seed {seed}: failed, one neuron dead",
      relu_affine_affine: "ReLU seed {seed}: failed, both affine",
      sigmoid_merged: "Sigmoid seed {seed}: failed, two inputs merged",
      regions: "Where each neuron is on",
      output: "Output",
      unit: "Neuron h{i}",
      readout: "Read-out",
      wa: "weight on a",
      wb: "weight on b",
      bias: "bias",
      wh: "weight on h{i}",
      corner: "output at ({a}, {b})",
      loss: "mean squared error",
      right: "right side of ½",
      dead: "dead neurons",
      na: "n/a",
      absent: "not in this network",
      of4: "{n} of 4",
      solved: "Solved: every output on the right side of ½",
      reset: "Back to this network's weights",
      onAt: "h{i} on at {corners}",
      offAll: "h{i} on at no corner",
      regionsLabel: "The square from −0.5 to 1.5 in a and b: {parts}.",
      outputLabel: "The output over the same square; at the corners: {values}.",
      zero: "Zero the hidden layer",
      challenge:
        "Challenge: pick the two-ReLU layered network and press “Zero the hidden layer” " +
        "(it also sets the read-out to h₁ + h₂); then, leaving the read-out as it is, set " +
        "the two neurons' weights and biases until every output is within 0.1 of a ⊕ b.",
      layeredOk: "the layered network",
      readoutOk: "read-out h₁ + h₂",
      start: "hidden layer started from 0",
      close: "every output within 0.1 of a ⊕ b",
      done:
        "Done! Your two neurons compute XOR to within 0.1 at every corner. The chapter's " +
        "layered network is one answer: h₁ = ReLU(a − b) and h₂ = ReLU(b − a), on only at " +
        "(1, 0) and at (0, 1), the two corners labelled 1.",
      yes: "(met)",
      no: "(not met)",
    },
    zh: {
      intro:
        "这里有本章的两个精确构造和六个训练得到的网络（三个成功、三个失败），每个权重都能用" +
        "滑块调节。选那个有死神经元的种子，把死神经元的折痕移过某个角，它就会在那个角上重新" +
        "激活。训练没能这样移动折痕：神经元一旦在四个角上都不激活，就再也得不到梯度。",
      note:
        "左图：各隐藏神经元激活的区域（sigmoid 神经元取大于 ½ 的区域），h₁ 为蓝色，h₂ 为" +
        "橙色，两者都激活处为紫色；图中还画出了各神经元的折痕，即其输入 z 为 0 的直线（h₂ " +
        "的折痕画成虚线）。死神经元在四个角上都不激活，但在正方形的其他地方仍可能激活。右图：" +
        "输出，沿用本章插图的配色，从深蓝色（0 及以下）渐变到黄色（1 及以上）；白色虚线是 ½ " +
        "等值线，实线是折痕。实心的角：a ⊕ b = 1；空心的角：a ⊕ b = 0；加了圆圈的角：输出在 " +
        "½ 的错误一侧。",
      network: "网络",
      one_relu: "精确构造：一个 ReLU，带跳跃连接",
      layered: "精确构造：两个 ReLU，严格分层",
      relu_two_folding: "ReLU 种子 {seed}：成功，两个弯折的神经元",
      relu_folding_affine: "ReLU 种子 {seed}：成功，一个弯折、一个仿射",
      sigmoid_solved: "sigmoid 种子 {seed}：成功",
      relu_folding_dead: "ReLU 种子 {seed}：失败，有一个死神经元",
      relu_affine_affine: "ReLU 种子 {seed}：失败，两个都是仿射",
      sigmoid_merged: "sigmoid 种子 {seed}：失败，两个输入合并",
      regions: "各神经元激活的区域",
      output: "输出",
      unit: "神经元 h{i}",
      readout: "读出层",
      wa: "a 的权重",
      wb: "b 的权重",
      bias: "偏置",
      wh: "h{i} 的权重",
      corner: "({a}, {b}) 处的输出",
      loss: "均方误差",
      right: "在 ½ 的正确一侧",
      dead: "死神经元",
      na: "不适用",
      absent: "这个网络没有这个权重",
      of4: "{n} / 4",
      solved: "成功：每个输出都在 ½ 的正确一侧",
      reset: "恢复原来的权重",
      onAt: "h{i} 在 {corners} 处激活",
      offAll: "h{i} 在任何角上都不激活",
      regionsLabel: "a 和 b 都从 −0.5 到 1.5 的正方形。{parts}。",
      outputLabel: "同一正方形上的输出。四个角上的输出：{values}。",
      zero: "隐藏层归零",
      challenge:
        "挑战：选两个 ReLU 的严格分层网络，先按“隐藏层归零”（这个按钮也会把读出层设为 " +
        "h₁ + h₂），然后保持读出层不动，只调两个神经元的权重和偏置，直到每个输出与 a ⊕ b " +
        "相差不超过 0.1。",
      layeredOk: "严格分层网络",
      readoutOk: "读出层为 h₁ + h₂",
      start: "隐藏层从 0 开始调",
      close: "每个输出与 a ⊕ b 相差不超过 0.1",
      done:
        "完成！你的两个神经元算出的异或，在每个角上误差都不超过 0.1。本章的严格分层网络" +
        "就是一个解：h₁ = ReLU(a − b)，h₂ = ReLU(b − a)，分别只在 (1, 0) 和 (0, 1) 这两个" +
        "标签为 1 的角上激活。",
      yes: "（已满足）",
      no: "（未满足）",
    },
  };
  const SIZE = 240; // the canvases' pixels: the square [−0.5, 1.5]², 120 pixels a unit
  const LO = -0.5;
  const HI = 1.5;
  const STEP = 0.1; // a slider's step
  // h₁ and h₂ as the chapter's figures draw them (Okabe and Ito's blue and orange), and
  // lighter for the dark scheme; the output in cividis, as the figures: stops at 0, ¼, …, 1
  const UNITS = { light: ["#0072b2", "#d55e00"], dark: ["#56b4e9", "#e69f00"] };
  const BOTH = { light: "#7e57c2", dark: "#b39ddb" }; // both on: purple, as the figures
  const CIVIDIS = ["#00224e", "#35456c", "#666970", "#a59c74", "#fee838"];
  const FOLD = "#444444"; // the fold lines on the output, over a white underlay
  const sub = (i) => "₀₁₂₃₄₅₆₇₈₉"[i]; // h₁, h₂
  /** A number as the readouts show it: 3 significant digits (or `digits`: more, for an
   * output close to ½ but not ½), a minus sign, never −0. */
  const signed = (ui, x, digits = 3) => ui.significant(x + 0, digits).replace("-", "−");
  const toPixel = (a, b) => [((a - LO) / (HI - LO)) * SIZE, ((HI - b) / (HI - LO)) * SIZE];
  const hex = (h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
  const mix = (from, to, t) => from.map((v, k) => v + (to[k] - v) * t);
  /** Cividis at t in [0, 1], as [r, g, b]. */
  function cividis(t) {
    const x = Math.min(1, Math.max(0, t)) * (CIVIDIS.length - 1);
    const k = Math.min(CIVIDIS.length - 2, Math.floor(x));
    return mix(hex(CIVIDIS[k]), hex(CIVIDIS[k + 1]), x - k);
  }
  const WHITE = [255, 255, 255];
  const CIVIDIS_TABLE = Array.from({ length: 256 }, (_, k) => cividis(k / 255)); // by 1/255

  TinyNets.widget("xor", (element, data, ui) => {
    const text = ui.strings(TEXT);
    const separator = ui.lang === "zh" ? "、" : ", ";
    const [colon, semicolon, stop] = ui.lang === "zh" ? ["：", "；", "。"] : [": ", "; ", ". "];
    const root = document.createElement("div");
    root.className = "tn-widget-ui";
    const pickId = ui.id("x");
    const cell = (key) => `<div><dt></dt><dd data-readout="${key}"></dd></div>`;
    const canvas = (key) =>
      `<figure style="margin:0;width:100%"><canvas width="${SIZE}" height="${SIZE}" ` +
      `role="img" style="display:block;width:100%;aspect-ratio:1;contain:strict"></canvas>` +
      `<figcaption class="tn-note">${text(key)}</figcaption></figure>`;
    root.innerHTML =
      `<p>${text("intro")}</p><p class="tn-note">${text("note")}</p><div class="tn-row">` +
      `<label for="${pickId}">${text("network")}</label><select id="${pickId}" ` +
      `style="max-width:100%">` +
      NETWORKS.map((name) => {
        const seed = name in data.trained ? data.trained[name].seed : "";
        return `<option value="${name}">${text(name, { seed })}</option>`;
      }).join("") +
      `</select></div><div style="display:grid;grid-template-columns:repeat(2,minmax(0,16em));` +
      `gap:.8em">${canvas("regions")}${canvas("output")}</div><dl class="tn-readouts">` +
      ["y0", "y1", "y2", "y3", "loss", "right", "dead"].map(cell).join("") +
      `</dl><p hidden><b class="tn-badge">${text("solved")}</b></p><div class="tn-sliders">` +
      `</div><div class="tn-row"><button type="button">${text("reset")}</button></div>` +
      `<div class="tn-challenge"><p>${text("challenge")}</p><div class="tn-row"><button ` +
      `type="button">${text("zero")}</button></div>` +
      ui.checklist(
        ["layeredOk", "start", "readoutOk", "close"].map((c) => text(c)),
        text("yes"),
        text("no"),
      ) +
      `<p class="tn-done" hidden>${text("done")}</p></div><span hidden></span>`;
    element.append(root);
    const $ = (s) => root.querySelector(s);
    const pick = $(`#${pickId}`);
    const [regions, output] = root.querySelectorAll("canvas");
    const dts = root.querySelectorAll("dt");
    const dds = root.querySelectorAll("dd");
    const badge = $(".tn-badge").parentNode;
    const sliderBox = $(".tn-sliders");
    const [resetButton, zeroButton] = root.querySelectorAll("button");
    const items = root.querySelectorAll(".tn-checks li");
    const done = $(".tn-done");
    const probe = root.lastChild;
    const say = ui.announcer(root);
    let net = null;
    let sliders = []; // the network's, in the order of its parameters
    let frame = 0;
    let telling = false;
    let [fromZero, saidMet] = [false, false];

    /** A colour of the theme as [r, g, b]: `value` is a CSS colour, a var(…) say. */
    function rgb(value) {
      probe.style.color = value;
      return getComputedStyle(probe).color.match(/[\d.]+/g).slice(0, 3).map(Number);
    }

    // Every row of sliders any network needs, built once: a group for each neuron and one
    // for the read-out; setup shows those of the network picked. ROWS: [group, key, i].
    const ROWS = [1, 2].flatMap((g) => [[g, "wa"], [g, "wb"], [g, "bias"]]);
    ROWS.push([0, "wh", 1], [0, "wh", 2], [0, "wa"], [0, "wb"], [0, "bias"]);
    sliderBox.innerHTML = [1, 2, 0]
      .map(
        (g) =>
          `<fieldset><legend>${g ? text("unit", { i: sub(g) }) : text("readout")}</legend>` +
          `<div class="tn-controls">${ROWS.filter((row) => row[0] === g)
            .map(([, key, i]) => {
              const id = ui.id("x");
              return (
                `<label for="${id}">${text(key, { i: i && sub(i) })}</label><div ` +
                `class="tn-slider"><input id="${id}" type="range" step="${STEP}"></div>` +
                `<div class="tn-value"><span></span></div>`
              );
            })
            .join("")}</div></fieldset>`,
      )
      .join("");
    const allSliders = [...sliderBox.querySelectorAll("input")]; // in the order of ROWS
    allSliders.forEach((slider) => {
      slider.addEventListener("input", () => {
        net.p[slider.dataset.at] = +slider.value;
        schedule();
      });
      slider.addEventListener("change", announce);
    });

    /** Where the slider of a row reads in p for `net`, or -1 if that network has no such
     * parameter: each unit's wₐ, w_b, b; the read-out's weight on each unit, on a and b
     * (with a skip connection), and its bias. */
    function place([g, key, i], net) {
      const k = { wa: 0, wb: 1, bias: 2 }[key];
      if (g) return g <= net.units ? 3 * (g - 1) + k : -1;
      if (key === "wh") return i <= net.units ? 3 * net.units + i - 1 : -1;
      if (key === "bias") return net.p.length - 1;
      return net.skip ? 4 * net.units + k : -1;
    }

    /** Set the sliders to the network picked: its weights, in its range. A weight it does
     * not have (a second neuron, a skip connection) keeps its row, disabled and shown as
     * "—": every network has the same rows, so the page does not move when it changes. */
    function setup() {
      fromZero = false;
      net = unpack(data, pick.value);
      const range = model.range(net);
      sliders = [];
      allSliders.forEach((slider, r) => {
        const at = place(ROWS[r], net);
        if (slider.disabled !== at < 0) slider.disabled = at < 0;
        if (at < 0) {
          delete slider.dataset.at;
          slider.value = 0;
          ui.text(slider.parentNode.nextSibling.firstChild, "—");
          ui.attribute(slider, "aria-valuetext", text("absent"));
          return;
        }
        slider.dataset.at = at;
        ui.attribute(slider, "min", -range);
        ui.attribute(slider, "max", range);
        slider.value = net.p[at];
        sliders.push(slider); // in the order of p
      });
      sliders.sort((x, y) => x.dataset.at - y.dataset.at);
    }

    /** Shade both canvases, pixel by pixel, from one pass of the network over the square:
     * the regions in the colours of the neurons that are on, the output in cividis from 0
     * to 1, and its ½ level, dashed in white (onLevel). */
    function shade(regionColours) {
      const [regionImage, outputImage] = [regions, output].map((canvas) =>
        canvas.getContext("2d").createImageData(SIZE, SIZE),
      );
      const above = new Uint8Array(SIZE * SIZE); // the output > ½ at each pixel
      const ys = new Float64Array(SIZE * SIZE);
      const z = new Array(net.units);
      const limits = Array.from(z, (_, u) => onAbove(net, u)); // isOn, for each unit
      const pixels = regionImage.data;
      for (let j = 0; j < SIZE; j++) {
        const b = HI - ((j + 0.5) / SIZE) * (HI - LO);
        for (let i = 0; i < SIZE; i++) {
          const y = evaluate(net, LO + ((i + 0.5) / SIZE) * (HI - LO), b, z);
          const at = j * SIZE + i;
          let code = 0;
          for (let u = 0; u < net.units; u++) if (z[u] > limits[u]) code += 1 << u;
          const colour = regionColours[code];
          for (let k = 0; k < 4; k++) pixels[4 * at + k] = colour[k];
          ys[at] = settled(y);
          above[at] = ys[at] > 0.5 ? 1 : 0;
        }
      }
      /** Whether pixel (i, j) is drawn as the ½ level: the output crosses ½ between it
       * and a neighbour (the pixels on both sides: a line 2 pixels wide), the output is not
       * flat there (as the figures, which leave out the level where the output is ½ to
       * within 10⁻³), and it is in an "on" stretch of the dashes: 5 pixels on, 4 off,
       * counted along the level (across the output's gradient). */
      function onLevel(i, j) {
        const at = j * SIZE + i;
        const near = (k, ok) => ok && above[at] !== above[k];
        const crosses =
          near(at + 1, i + 1 < SIZE) ||
          near(at - 1, i > 0) ||
          near(at + SIZE, j + 1 < SIZE) ||
          near(at - SIZE, j > 0);
        if (!crosses) return false;
        const y = (k, ok) => (ok ? ys[k] : ys[at]);
        const gx = y(at + 1, i + 1 < SIZE) - y(at - 1, i > 0);
        const gy = y(at + SIZE, j + 1 < SIZE) - y(at - SIZE, j > 0);
        const size = Math.hypot(gx, gy);
        if (size < (1e-3 * 2 * (HI - LO)) / SIZE) return false; // a slope below 10⁻³ a unit
        const along = (gx * j - gy * i) / size; // pixels along the level
        return ((Math.floor(along) % 9) + 9) % 9 < 5;
      }
      for (let j = 0; j < SIZE; j++) {
        for (let i = 0; i < SIZE; i++) {
          const at = j * SIZE + i;
          const t = Math.round(Math.min(1, Math.max(0, ys[at])) * 255);
          const colour = onLevel(i, j) ? WHITE : CIVIDIS_TABLE[t];
          for (let k = 0; k < 3; k++) outputImage.data[4 * at + k] = colour[k];
          outputImage.data[4 * at + 3] = 255;
        }
      }
      regions.getContext("2d").putImageData(regionImage, 0, 0);
      output.getContext("2d").putImageData(outputImage, 0, 0);
    }

    /** The fold lines of the network, each in its colour, h₂'s dashed (`dashed`), over a
     * wider `underlay` of another colour (or none). */
    function foldLines(context, colours, width, dashed, underlay) {
      for (let i = 0; i < net.units; i++) {
        const ends = model.foldLine(net, i, LO, HI);
        if (!ends) continue;
        const line = (colour, lineWidth) => {
          context.strokeStyle = colour;
          context.lineWidth = lineWidth;
          context.setLineDash(i && dashed ? [8, 5] : []);
          context.beginPath();
          context.moveTo(...toPixel(...ends[0]));
          context.lineTo(...toPixel(...ends[1]));
          context.stroke();
        };
        if (underlay) line(underlay, width + 2);
        line(colours[i], width);
      }
      context.setLineDash([]);
    }

    /** A circle at (x, y): filled with `fill` (or not), stroked in `stroke` over a wider
     * `halo` (or not), so that it reads on any colour under it. */
    function circle(context, x, y, radius, fill, stroke, halo) {
      context.beginPath();
      context.arc(x, y, radius, 0, 2 * Math.PI);
      if (fill) {
        context.fillStyle = fill;
        context.fill();
      }
      if (halo) {
        context.lineWidth = 6;
        context.strokeStyle = halo;
        context.stroke();
      }
      context.lineWidth = 2.5;
      context.strokeStyle = stroke;
      context.stroke();
    }

    function draw() {
      frame = 0;
      const now = model.state(net);
      const [fg, bg] = ["--md-default-fg-color", "--md-default-bg-color"].map((name) =>
        rgb(`var(${name})`),
      );
      const scheme = document.body.getAttribute("data-md-color-scheme") === "slate";
      const units = UNITS[scheme ? "dark" : "light"];
      const tints = units.map((c) => mix(bg, hex(c), 0.3));
      const both = mix(bg, hex(BOTH[scheme ? "dark" : "light"]), 0.3);
      shade([bg, tints[0], tints[1], both].map((c) => [...c, 255]));
      const css = (c) => `rgb(${c.map(Math.round)})`;
      const left = regions.getContext("2d");
      foldLines(left, units, 3, true, null);
      const right = output.getContext("2d");
      foldLines(right, [FOLD, FOLD], 1.5, false, "rgba(255, 255, 255, 0.6)");
      CORNERS.forEach(([a, b], c) => {
        const [x, y] = toPixel(a, b);
        circle(left, x, y, 7, css(LABELS[c] ? fg : bg), css(fg), null);
        circle(right, x, y, 7, LABELS[c] ? "#000" : "#fff", "#000", "#fff");
        const wrong = !(Math.abs(now.outputs[c] - LABELS[c]) < 0.5);
        if (wrong) circle(right, x, y, 15, null, "#000", "#fff");
      });
      // the readouts
      const values = [...now.outputs, now.loss, now.right, now.dead];
      const shown = [
        ...now.outputs.map((y) => signed(ui, y, y !== 0.5 && Math.abs(y - 0.5) < 5e-4 ? 6 : 3)),
        signed(ui, now.loss),
        text("of4", { n: now.right }),
        now.dead === null ? text("na") : ui.number(now.dead, 0),
      ];
      const names = [
        ...CORNERS.map(([a, b]) => text("corner", { a, b })),
        text("loss"),
        text("right"),
        text("dead"),
      ];
      dds.forEach((dd, i) => {
        ui.text(dts[i], names[i]);
        ui.text(dd, shown[i]);
        ui.attribute(dd, "data-value", values[i] === null ? "" : values[i]);
      });
      if (badge.hidden !== (now.right !== 4)) badge.hidden = now.right !== 4;
      sliders.forEach((slider) => {
        const v = signed(ui, net.p[slider.dataset.at]);
        ui.text(slider.parentNode.nextSibling.firstChild, v);
        ui.attribute(slider, "aria-valuetext", v);
      });
      const where = now.on.map((corners, i) => {
        const list = corners.map((c) => `(${CORNERS[c].join(", ")})`).join(separator);
        return text(list ? "onAt" : "offAll", { i: sub(i + 1), corners: list });
      });
      ui.attribute(regions, "aria-label", text("regionsLabel", { parts: where.join(semicolon) }));
      const atCorners = CORNERS.map(([a, b], c) => `(${a}, ${b}) ${shown[c]}`).join(separator);
      ui.attribute(output, "aria-label", text("outputLabel", { values: atCorners }));
      const verdict = model.challenge(pick.value, fromZero, net.p, now.outputs);
      ["network", "start", "readout", "close"].forEach((name, i) => {
        if (items[i].classList.contains("tn-met") !== verdict[name]) {
          items[i].classList.toggle("tn-met", verdict[name]);
        }
      });
      if (done.hidden === verdict.met) done.hidden = !verdict.met;
      if (telling) {
        const words = names.map((name, i) => `${name}${colon}${shown[i]}`).join(semicolon);
        say(verdict.met && !saidMet ? `${words}${stop}${done.textContent}` : words);
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

    pick.addEventListener("change", () => (setup(), announce()));
    resetButton.addEventListener("click", () => (setup(), announce()));
    // every hidden weight and bias to 0, the read-out to h₁ + h₂ (a weight of 1 on each
    // neuron, 0 on a and b, a bias of 0)
    zeroButton.addEventListener("click", () => {
      sliders.forEach((slider) => {
        const at = +slider.dataset.at;
        const onNeuron = at >= 3 * net.units && at < 4 * net.units;
        net.p[at] = onNeuron ? 1 : 0;
        slider.value = net.p[at];
      });
      fromZero = true;
      announce();
    });
    // the scheme toggle changes the theme's colours: draw again with the new ones
    new MutationObserver(schedule).observe(document.body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme"],
    });
    setup();
    draw();
  });
})();
