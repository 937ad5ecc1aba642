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

  /** The network at (a, b): each unit's pre-activation z and value h, and the output y. */
  function forward(net, a, b) {
    const { p, units } = net;
    const squash = net.act === "sigmoid";
    const z = [];
    const h = [];
    for (let i = 0; i < units; i++) {
      z.push(p[3 * i] * a + p[3 * i + 1] * b + p[3 * i + 2]);
      h.push(squash ? sigmoid(z[i]) : relu(z[i]));
    }
    let at = 3 * units;
    let y = 0;
    for (let i = 0; i < units; i++) y += p[at++] * h[i];
    if (net.skip) y += p[at++] * a + p[at++] * b;
    y += p[at];
    return { z, h, y: squash ? sigmoid(y) : y };
  }

  const model = {
    NETWORKS,
    CORNERS,
    LABELS,
    unpack,
    forward,
    /** What the readouts show: the output at each corner, the mean squared error over the
     * four (the chapter's loss), how many outputs are on the right side of ½ (|y − label| <
     * ½, as the chapter's `outcome` tests), and the dead units: ReLUs that are 0 on all four
     * corners (never for sigmoid units). `on[i]` lists the corners where unit i is on. */
    state(net) {
      const runs = CORNERS.map(([a, b]) => forward(net, a, b));
      const outputs = runs.map((r) => r.y);
      const errors = outputs.map((y, c) => y - LABELS[c]);
      const on = Array.from({ length: net.units }, (_, i) =>
        runs.map((r, c) => (r.z[i] > 0 ? c : -1)).filter((c) => c >= 0),
      );
      return {
        outputs,
        loss: errors.reduce((s, e) => s + e * e, 0) / 4,
        right: errors.filter((e) => Math.abs(e) < 0.5).length,
        dead: net.act === "relu" ? on.filter((corners) => corners.length === 0).length : 0,
        on,
      };
    },
    /** The fold line of unit i, wₐa + w_b b + b = 0, as its two ends on the square
     * [lo, hi]² (null if the line misses it or the unit has no weight on a or b). */
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
    /** The challenge's conditions: the layered network, its hidden layer started from 0
     * ("Zero the hidden layer"), and every output within 0.1 of its label. */
    challenge(name, fromZero, outputs) {
      const checks = {
        network: name === "layered",
        start: fromZero,
        close: outputs.every((y, c) => Math.abs(y - LABELS[c]) <= 0.1),
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
      note:
        "Left: where each hidden neuron is on (shaded in its colour; a sigmoid neuron: " +
        "where it is above ½), and its fold line, where its input z is 0 (h₂'s is dashed). " +
        "Right: the output, the stronger the shade the larger, with its ½ level dotted. " +
        "Filled corners: a ⊕ b = 1; hollow: 0; ringed: on the wrong side of ½.",
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
      of4: "{n} of 4",
      solved: "Solved: every output on the right side of ½",
      reset: "Back to this network's weights",
      onAt: "h{i} on at {corners}",
      offAll: "h{i} on at no corner",
      regionsLabel: "The square from −0.5 to 1.5 in a and b: {parts}.",
      outputLabel: "The output over the same square; at the corners: {values}.",
      zero: "Zero the hidden layer",
      challenge:
        "Challenge: pick the two-ReLU layered network, press “Zero the hidden layer” (its " +
        "read-out stays h₁ + h₂), then set the two neurons' weights and biases until every " +
        "output is within 0.1 of a ⊕ b.",
      layeredOk: "the layered network",
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
      note:
        "左图：各隐藏神经元激活的区域，涂成该神经元的颜色（sigmoid 神经元取大于 ½ 的区域），" +
        "以及它的折痕，即输入 z 为 0 的直线（h₂ 的折痕画成虚线）。右图：输出，着色越浓，" +
        "数值越大；点线是 ½ 等值线。实心的角：a ⊕ b = 1；空心的角：a ⊕ b = 0；" +
        "加了圆圈的角：输出在 ½ 的错误一侧。",
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
      of4: "{n} / 4",
      solved: "成功：每个输出都在 ½ 的正确一侧",
      reset: "恢复原来的权重",
      onAt: "h{i} 在 {corners} 处激活",
      offAll: "h{i} 在任何角上都不激活",
      regionsLabel: "a 和 b 都从 −0.5 到 1.5 的正方形。{parts}。",
      outputLabel: "同一正方形上的输出。四个角上的输出：{values}。",
      zero: "隐藏层归零",
      challenge:
        "挑战：选两个 ReLU 的严格分层网络，先按“隐藏层归零”（读出层仍是 h₁ + h₂），" +
        "再调两个神经元的权重和偏置，直到每个输出与 a ⊕ b 相差不超过 0.1。",
      layeredOk: "严格分层网络",
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
  const SIZE = 200; // the canvases' pixels: the square [−0.5, 1.5]², 100 pixels a unit
  const LO = -0.5;
  const HI = 1.5;
  const STEP = 0.1; // a slider's step
  const sub = (i) => "₀₁₂₃₄₅₆₇₈₉"[i]; // h₁, h₂
  /** A number as the readouts show it: 3 significant digits, a minus sign, never −0. */
  const signed = (ui, x) => ui.significant(x + 0, 3).replace("-", "−");
  const toPixel = (a, b) => [((a - LO) / (HI - LO)) * SIZE, ((HI - b) / (HI - LO)) * SIZE];

  TinyNets.widget("xor", (element, data, ui) => {
    const text = ui.strings(TEXT);
    const separator = ui.lang === "zh" ? "、" : ", ";
    const [colon, semicolon, stop] = ui.lang === "zh" ? ["：", "；", "。"] : [": ", "; ", ". "];
    const root = document.createElement("div");
    root.className = "tn-widget-ui";
    const pickId = ui.id("x");
    const cell = (key) => `<div><dt></dt><dd data-readout="${key}"></dd></div>`;
    const space = ui.lang === "zh" ? "" : " "; // none before full-width brackets
    const yesNo =
      `<span class="tn-sr"><span class="tn-yes">${text("yes")}</span>` +
      `<span class="tn-no">${text("no")}</span></span>`;
    const canvas = (key) =>
      `<figure style="margin:0"><canvas width="${SIZE}" height="${SIZE}" role="img" ` +
      `style="display:block;width:100%;aspect-ratio:1;contain:strict"></canvas>` +
      `<figcaption class="tn-note">${text(key)}</figcaption></figure>`;
    root.innerHTML =
      `<p class="tn-note">${text("note")}</p><div class="tn-row"><label for="${pickId}">` +
      `${text("network")}</label><select id="${pickId}">` +
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
      `type="button">${text("zero")}</button></div><ul class="tn-checks">` +
      ["layeredOk", "start", "close"]
        .map((c) => `<li><span class="tn-mark"></span>${text(c)}${space}${yesNo}</li>`)
        .join("") +
      `</ul><p class="tn-done" hidden>${text("done")}</p></div><span hidden></span>`;
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
    let sliders = [];
    let frame = 0;
    let telling = false;
    let [fromZero, saidMet] = [false, false];

    /** A colour of the theme as [r, g, b]: `value` is a CSS colour, a var(…) say. */
    function rgb(value) {
      probe.style.color = value;
      return getComputedStyle(probe).color.match(/[\d.]+/g).slice(0, 3).map(Number);
    }

    /** The rows of sliders for the network picked: one group for each neuron, one for the
     * read-out; each slider's label names its weight, its value is shown beside it. */
    function setup() {
      fromZero = false;
      net = unpack(data, pick.value);
      const range = model.range(net);
      const names = [];
      for (let i = 1; i <= net.units; i++) names.push([i, "wa"], [i, "wb"], [i, "bias"]);
      for (let i = 1; i <= net.units; i++) names.push([0, "wh", i]);
      if (net.skip) names.push([0, "wa"], [0, "wb"]);
      names.push([0, "bias"]);
      const groups = [];
      names.forEach(([unit, key, i], at) => {
        const id = ui.id("x");
        const row =
          `<label for="${id}">${text(key, { i: sub(i) })}</label><div class="tn-slider"><input ` +
          `id="${id}" type="range" min="${-range}" max="${range}" step="${STEP}" ` +
          `data-at="${at}"></div><div class="tn-value"><span></span></div>`;
        if (!groups[unit]) groups[unit] = [];
        groups[unit].push(row);
      });
      const legend = (unit) => (unit ? text("unit", { i: sub(unit) }) : text("readout"));
      sliderBox.innerHTML = [...groups.keys()]
        .slice(1)
        .concat(0)
        .map(
          (unit) =>
            `<fieldset><legend>${legend(unit)}</legend><div class="tn-controls">` +
            `${groups[unit].join("")}</div></fieldset>`,
        )
        .join("");
      sliders = [...sliderBox.querySelectorAll("input")];
      sliders.forEach((slider) => {
        slider.value = net.p[slider.dataset.at];
        slider.addEventListener("input", () => {
          net.p[slider.dataset.at] = +slider.value;
          schedule();
        });
        slider.addEventListener("change", announce);
      });
    }

    /** Shade both canvases, pixel by pixel, from one pass of the network over the square:
     * the regions in the colour of the neurons that are on, the output from the background
     * (0 or less) to the text colour (1 or more). */
    function shade(regionColours, bg, fg) {
      const [regionImage, outputImage] = [regions, output].map((canvas) =>
        canvas.getContext("2d").createImageData(SIZE, SIZE),
      );
      for (let j = 0; j < SIZE; j++) {
        for (let i = 0; i < SIZE; i++) {
          const a = LO + ((i + 0.5) / SIZE) * (HI - LO);
          const { z, y } = forward(net, a, HI - ((j + 0.5) / SIZE) * (HI - LO));
          const at = 4 * (j * SIZE + i);
          regionImage.data.set(regionColours[(z[0] > 0 ? 1 : 0) + (z[1] > 0 ? 2 : 0)], at);
          const t = 0.75 * Math.min(1, Math.max(0, y));
          for (let k = 0; k < 3; k++) outputImage.data[at + k] = bg[k] + (fg[k] - bg[k]) * t;
          outputImage.data[at + 3] = 255;
        }
      }
      regions.getContext("2d").putImageData(regionImage, 0, 0);
      output.getContext("2d").putImageData(outputImage, 0, 0);
    }

    const mix = (from, to, t) => from.map((v, k) => v + (to[k] - v) * t);

    /** The fold lines and the corners, drawn over a shaded canvas. */
    function marks(context, colours, fg, bg, wrong, ringed) {
      context.lineWidth = 2.5;
      for (let i = 0; i < net.units; i++) {
        const ends = model.foldLine(net, i, LO, HI);
        if (!ends) continue;
        context.strokeStyle = `rgb(${colours[i]})`;
        context.setLineDash(i ? [7, 4] : []);
        context.beginPath();
        context.moveTo(...toPixel(...ends[0]));
        context.lineTo(...toPixel(...ends[1]));
        context.stroke();
      }
      context.setLineDash([]);
      CORNERS.forEach(([a, b], c) => {
        const [x, y] = toPixel(a, b);
        context.beginPath();
        context.arc(x, y, 7, 0, 2 * Math.PI);
        context.fillStyle = `rgb(${LABELS[c] ? fg : bg})`;
        context.fill();
        context.lineWidth = 2.5;
        context.strokeStyle = `rgb(${fg})`;
        context.stroke();
        if (ringed && ringed[c]) {
          context.beginPath();
          context.arc(x, y, 12, 0, 2 * Math.PI);
          context.lineWidth = 3;
          context.strokeStyle = `rgb(${wrong})`;
          context.stroke();
        }
      });
    }

    /** The ½ level of the output: where it crosses ½ between neighbouring grid points. */
    function halfLevel(context, fg) {
      const n = 100;
      const at = (k) => LO + (k / n) * (HI - LO);
      const ys = [];
      for (let j = 0; j <= n; j++) {
        ys.push([]);
        for (let i = 0; i <= n; i++) ys[j].push(forward(net, at(i), at(j)).y - 0.5);
      }
      context.strokeStyle = `rgb(${fg})`;
      context.lineWidth = 2;
      context.setLineDash([2, 3]);
      context.beginPath();
      const cross = (a0, b0, v0, a1, b1, v1) => {
        const t = v0 / (v0 - v1);
        return [a0 + (a1 - a0) * t, b0 + (b1 - b0) * t];
      };
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          const [v00, v10, v01, v11] = [ys[j][i], ys[j][i + 1], ys[j + 1][i], ys[j + 1][i + 1]];
          const [a0, a1, b0, b1] = [at(i), at(i + 1), at(j), at(j + 1)];
          const found = [];
          if (v00 * v10 < 0) found.push(cross(a0, b0, v00, a1, b0, v10));
          if (v10 * v11 < 0) found.push(cross(a1, b0, v10, a1, b1, v11));
          if (v01 * v11 < 0) found.push(cross(a0, b1, v01, a1, b1, v11));
          if (v00 * v01 < 0) found.push(cross(a0, b0, v00, a0, b1, v01));
          for (let k = 0; k + 1 < found.length; k += 2) {
            context.moveTo(...toPixel(...found[k]));
            context.lineTo(...toPixel(...found[k + 1]));
          }
        }
      }
      context.stroke();
      context.setLineDash([]);
    }

    function draw() {
      frame = 0;
      const now = model.state(net);
      const [fg, bg, wrong] = ["--md-default-fg-color", "--md-default-bg-color", "--tn-wrong"].map(
        (name) => rgb(`var(${name})`),
      );
      const colours = [rgb("var(--tn-curve)"), wrong];
      const light = colours.map((c) => mix(bg, c, 0.35));
      const both = mix(light[0], light[1], 0.5);
      shade([bg, light[0], light[1], both].map((c) => [...c, 255]), bg, fg);
      marks(regions.getContext("2d"), colours, fg, bg, wrong, null);
      const context = output.getContext("2d");
      halfLevel(context, fg);
      const ringed = now.outputs.map((y, c) => !(Math.abs(y - LABELS[c]) < 0.5));
      marks(context, colours, fg, bg, wrong, ringed);
      // the readouts
      const values = [...now.outputs, now.loss, now.right, now.dead];
      const shown = [
        ...now.outputs.map((y) => signed(ui, y)),
        signed(ui, now.loss),
        text("of4", { n: now.right }),
        ui.number(now.dead, 0),
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
        ui.attribute(dd, "data-value", values[i]);
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
      const verdict = model.challenge(pick.value, fromZero, now.outputs);
      ["network", "start", "close"].forEach((name, i) => {
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
    zeroButton.addEventListener("click", () => {
      sliders.slice(0, 3 * net.units).forEach((slider) => {
        slider.value = 0;
        net.p[slider.dataset.at] = 0;
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
