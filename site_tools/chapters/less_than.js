/* Chapter 1's widget: one sigmoid neuron σ(a(x − c) + b) on the chapter's sixty points.
 *
 * The reader sets the threshold −b/a and the scale M = |a| (a = −M, b = M · threshold), or
 * replays a training run the build recorded (c is 9.5 for the run on centred input, else 0).
 * Readouts: a, b, the threshold, the accuracy, the loss computed without rounding error
 * worth the name, and the loss as PyTorch computes it in float32, operation by operation:
 * each term is (1 − y)·z − logsigmoid(z) with logsigmoid(z) = min(z, 0) − log1p(exp(−|z|)),
 * exp and log1p as Sleef computes them in PyTorch's vectorised CPU kernels, and the mean
 * sums the terms in the order of PyTorch's 8-lane reduction, then divides. The tests check
 * it bit for bit against the PyTorch they run with (torch 2.13 on an x86 CPU whose kernels
 * use AVX-512); PyTorch on another CPU, or another version, may round its own float32
 * loss differently, and the readout then matches the build's PyTorch, not that one.
 * In Node (for the tests) the file exports the model and nothing else. */
(function () {
  "use strict";
  const f = Math.fround;

  // --- The neuron in float32, as PyTorch computes it --------------------------------------
  // A fused multiply-add rounds a*b + c once (a*b of two floats is exact in float64).
  const fma = (a, b, c) => f(a * b + c);
  const LOG2E = f(1.4426950408889634);
  const LN2_HI = f(0.693145751953125);
  const LN2_LO = f(1.428606765330187e-6);
  const EXP = [
    0.000198527617612853646, 0.00139304355252534151, 0.00833336077630519867,
    0.0416664853692054749, 0.166666671633720398, 0.5,
  ].map(f);
  const LOG1P = [0.3027294874, 0.3996108174, 0.666669488].map(f);
  const LN2_PAIR = [f(0.6931471824645996), f(-1.904654323148236e-9)];

  function roundEven(v) {
    const r = Math.round(v); // halves go up: send odd results of a tie down
    return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  /** Sleef's expf (1.0 ulp): e^d = 2^q · e^s, s = d − q ln 2 in two parts, a polynomial. */
  function expf(d) {
    if (d < -104) return 0;
    if (d > 100) return Infinity;
    const q = roundEven(f(d * LOG2E));
    const s = fma(q, -LN2_LO, fma(q, -LN2_HI, d));
    let u = EXP[0];
    for (let i = 1; i < EXP.length; i++) u = fma(u, s, EXP[i]);
    u = f(1 + fma(f(s * s), u, s));
    const half = q >> 1; // two steps, as Sleef scales: each product rounds (subnormals)
    return f(f(u * 2 ** half) * 2 ** (q - half));
  }

  /** Sleef's log1pf (1.0 ulp) for 0 ≤ d ≤ 1, the values exp(−|z|) takes: in pairs of
   * floats (hi, lo), log1p(d) = e ln 2 + 2 atanh(m / (2 + m)), with 1 + d = 2^e (1 + m). */
  function log1pf(d) {
    const e = f(f(d + 1) * f(1 / 0.75)) >= 2 ? 1 : 0; // the exponent of (1 + d) / 0.75
    const t = 2 ** -e;
    const m = fma(d, t, f(t - 1));
    const sHi = f(LN2_PAIR[0] * e);
    const sLo = fma(LN2_PAIR[1], e, f(LN2_PAIR[0] * e - sHi));
    const dHi = f(2 + m); // x = m / (2 + m)
    const dLo = f(f(2 - dHi) + m);
    const r = f(1 / dHi);
    const xHi = f(m * r);
    const v = f(-dLo * r + f(-dHi * r + 1));
    const xLo = fma(xHi, v, f(r * m - xHi));
    const x2 = f(xHi * xHi);
    const p = fma(fma(LOG1P[0], x2, LOG1P[1]), x2, LOG1P[2]);
    const tHi = f(sHi + 2 * xHi); // s + 2x
    const tLo = f(f(f(f(sHi - tHi) + 2 * xHi) + sLo) + 2 * xLo);
    const w = f(f(x2 * xHi) * p); // + x³ p
    const rHi = f(tHi + w);
    return f(rHi + f(f(f(tHi - rHi) + w) + tLo));
  }

  const logsigmoid32 = (z) => f(Math.min(z, 0) - log1pf(expf(-Math.abs(z))));

  /** PyTorch's float32 sum of a short row (under 512 terms): 8 lanes, the first four
   * vectors in four accumulators, the other whole vectors into the first, the accumulators
   * added up; then the leftover terms one by one, then the 8 lanes. */
  function sum32(v) {
    const vectors = Math.floor(v.length / 8);
    const acc = [0, 1, 2, 3].map(() => new Array(8).fill(0));
    for (let i = 0; i < vectors; i++) {
      const into = i < 4 * Math.floor(vectors / 4) ? acc[i % 4] : acc[0];
      for (let l = 0; l < 8; l++) into[l] = f(into[l] + v[8 * i + l]);
    }
    for (let k = 1; k < 4; k++) for (let l = 0; l < 8; l++) acc[0][l] = f(acc[0][l] + acc[k][l]);
    let total = 0;
    for (let i = 8 * vectors; i < v.length; i++) total = f(total + v[i]);
    for (let l = 0; l < 8; l++) total = f(total + acc[0][l]);
    return total;
  }

  /** The logits in float32: nn.Linear rounds the product, then the sum. */
  const logits32 = (net, xs) => xs.map((x) => f(f(f(x - net.c) * f(net.a)) + f(net.b)));

  const model = {
    expf,
    log1pf,
    logsigmoid32,
    sum32,
    /** The hand-wired neuron: a = −scale, b = scale · threshold. */
    neuron: (threshold, scale) => ({ a: -scale, b: scale * threshold, c: 0 }),
    /** Step i of a recorded run: its float32 weights, exactly. */
    step: (run, i) => ({ a: f(run.a[i]), b: f(run.b[i]), c: run.centre }),
    threshold: (net) => net.c - net.b / net.a,
    /** The scale slider is logarithmic: position p gives 10^(p/100), to 3 digits. */
    scaleAt: (position) => Number((10 ** (position / 100)).toPrecision(3)),
    positionOf: (scale) => Math.round(100 * Math.log10(scale)),
    forward: (net, xs) => xs.map((x) => 1 / (1 + Math.exp(-(net.a * (x - net.c) + net.b)))),
    forward32: (net, xs) => logits32(net, xs).map((z) => f(1 / f(1 + expf(-z)))),
    terms32: (net, xs, ys) =>
      logits32(net, xs).map((z, i) => f(f(f(1 - ys[i]) * z) - logsigmoid32(z))),
    loss32: (net, xs, ys) => f(sum32(model.terms32(net, xs, ys)) / xs.length),
    /** The loss in float64, each term log(1 + e^v) of the signed logit v, which loses
     * nothing to cancellation. */
    loss(net, xs, ys) {
      let total = 0;
      xs.forEach((x, i) => {
        const z = net.a * (x - net.c) + net.b;
        const v = ys[i] === 1 ? -z : z;
        total += Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
      });
      return total / xs.length;
    },
    /** How many points are on their side: output above ½ exactly for label 1. */
    right: (net, xs, ys) =>
      xs.filter((x, i) => net.a * (x - net.c) + net.b > 0 === (ys[i] === 1)).length,
    /** The challenge's three conditions, and whether all hold, for a neuron that puts
     * `right` points on their side, with scale |a| and loss L. */
    verdict(right, scale, loss, data) {
      const checks = {
        right: right === data.points.x.length,
        scale: scale <= data.challenge.max_scale,
        loss: loss < data.challenge.loss_below,
      };
      return { ...checks, met: checks.right && checks.scale && checks.loss };
    },
    challenge(net, data) {
      const { x, y } = data.points;
      return model.verdict(model.right(net, x, y), Math.abs(net.a), model.loss(net, x, y), data);
    },
    /** Where to draw the curve on [from, to]: evenly, and densely where it turns. */
    samples(net, from, to) {
      const xs = [];
      for (let i = 0; i <= 160; i++) xs.push(from + ((to - from) * i) / 160);
      const middle = model.threshold(net);
      const width = 8 / Math.abs(net.a); // |z| < 8 there
      for (let i = -24; i <= 24; i++) {
        const x = middle + (width * i) / 24;
        if (x > from && x < to) xs.push(x);
      }
      return xs.sort((p, q) => p - q);
    },
  };

  if (typeof module === "object" && module.exports) {
    module.exports = model; // Node, for the tests
    return;
  }

  // --- The page ----------------------------------------------------------------------------
  const TEXT = {
    en: {
      title: "Wire it yourself",
      intro:
        "Set the threshold and the scale M (a = −M, b = M × threshold), or replay a training " +
        "run of this page. Grey band: thresholds that put every point on its side; red: " +
        "points on the wrong side.",
      plot: "The neuron's output against x, and the sixty data points.",
      threshold: "Threshold −b/a",
      scale: "Scale M = |a|",
      accuracy: "Accuracy",
      right: "{pct} ({right}/{n})",
      loss: "Loss L",
      loss32: "L in float32 (PyTorch)",
      replay: "Replay a training run",
      run: "Run",
      adam: "Adam, learning rate {lr}",
      sgd: "SGD, learning rate {lr}",
      centred: "SGD on x − {c}, learning rate {lr}",
      step: "Step",
      play: "Play",
      pause: "Pause",
      last: "Show the last step",
      challenge: "Challenge: keep |a| ≤ {m}, put every point on its side, bring L below {l}.",
      everyRight: "every point on its side",
      done:
        "Done! With |a| ≤ {m}, L is lowest at the threshold {t}, halfway between {low} and " +
        "{high}: the loss rewards a wide margin. Only a larger M lowers it further, which is " +
        "why training keeps growing the weights.",
      said: "{at}Threshold {t}, M {m}: accuracy {acc}, L {l}, in float32 {l32}.",
      at: "Step {s}. ",
      yes: "(met)",
      no: "(not met)",
    },
    zh: {
      title: "亲手设定权重",
      intro:
        "拖动滑块设定阈值和放大倍数 M（a = −M，b = M × 阈值），也可以回放本页的一次训练。" +
        "灰色带：能把所有点分对的阈值；红色：分错的点。",
      plot: "神经元的输出随 x 变化的曲线，以及六十个数据点。",
      threshold: "阈值 −b/a",
      scale: "放大倍数 M = |a|",
      accuracy: "准确率",
      right: "{pct}（{right}/{n}）",
      loss: "损失 L",
      loss32: "float32 下的 L（PyTorch）",
      replay: "回放一次训练",
      run: "训练",
      adam: "Adam，学习率 {lr}",
      sgd: "SGD，学习率 {lr}",
      centred: "SGD，输入 x − {c}，学习率 {lr}",
      step: "步数",
      play: "播放",
      pause: "暂停",
      last: "显示最后一步",
      challenge: "挑战：保持 |a| ≤ {m}，把所有点分对，并让 L 低于 {l}。",
      everyRight: "所有点都分对",
      done:
        "完成！在 |a| ≤ {m} 的范围内，阈值取 {t} 时 L 最低，正好在 {low} 和 {high} 的正中间：" +
        "对数损失偏爱宽的间隔。要让 L 再降，只能增大 M，所以训练会让权重一直增长。",
      said: "{at}阈值 {t}，M {m}：准确率 {acc}，L {l}，float32 下为 {l32}。",
      at: "第 {s} 步。",
      yes: "（已满足）",
      no: "（未满足）",
    },
  };
  const STEP_MS = 90; // replay: one recorded step every 90 ms
  const READOUTS = ["a", "b", "threshold", "accuracy", "loss", "loss32"];

  TinyNets.widget("less-than", (element, data, ui) => {
    const text = ui.strings(TEXT);
    const { x: xs, y: ys, band } = data.points;
    const [low, high] = [Math.min(...xs), Math.max(...xs)];
    const [from, to] = [low - 1, high + 1]; // the plot's x range
    const cap = ui.significant(data.challenge.max_scale, 3);
    const bound = ui.significant(data.challenge.loss_below, 3);
    const id = { t: ui.id("t"), m: ui.id("m"), r: ui.id("r"), s: ui.id("s") };
    const slider = (key, label, min, max, step, value) =>
      `<label for="${id[key]}">${label}</label><div class="tn-slider"><input id="${id[key]}" ` +
      `type="range" min="${min}" max="${max}" step="${step}" value="${value}"></div>` +
      `<div class="tn-value"><span></span></div>`;
    const runName = (run) =>
      text(run.centre ? "centred" : run.optimizer, { lr: run.lr, c: ui.number(run.centre, 1) });
    const names = ["a", "b", "−b/a", text("accuracy"), text("loss"), text("loss32")];
    const checks = [text("everyRight"), `|a| ≤ ${cap}`, `L < ${bound}`];
    // for screen readers, both words, of which the item's state shows one (widgets.css)

    const root = document.createElement("div");
    root.className = "tn-widget-ui";
    root.innerHTML =
      `<p class="tn-title">${text("title")}</p><p class="tn-note">${text("intro")}</p>` +
      `<svg role="img" aria-label="${text("plot")}"></svg><div class="tn-controls">` +
      slider("t", text("threshold"), low, high, 0.1, 10) +
      slider("m", text("scale"), -100, 300, 1, 0) + // M from 0.1 to 1000
      `</div><dl class="tn-readouts">${READOUTS.map(
        (key, i) => `<div><dt>${names[i]}</dt><dd data-readout="${key}"></dd></div>`,
      ).join("")}</dl><fieldset><legend>${text("replay")}</legend><div class="tn-row">` +
      `<label for="${id.r}">${text("run")}</label><select id="${id.r}">${data.runs
        .map((run, i) => `<option value="${i}">${runName(run)}</option>`)
        .join("")}</select><button type="button"></button></div><div class="tn-controls">` +
      slider("s", text("step"), 0, data.runs[0].step.length - 1, 1, 0) +
      `</div></fieldset><div class="tn-challenge"><p>${text("challenge", { m: cap, l: bound })}` +
      `</p>${ui.checklist(checks, text("yes"), text("no"))}` +
      `<p class="tn-done" hidden>${text("done", {
        m: cap,
        t: ui.number(data.challenge.threshold, 1),
        low: band[0],
        high: band[1],
      })}</p></div>`;
    element.append(root);
    const [thresholdInput, scaleInput, stepInput] = root.querySelectorAll("input");
    const [runSelect, playButton, svg] = ["select", "button", "svg"].map((s) =>
      root.querySelector(s),
    );
    const values = root.querySelectorAll(".tn-value > span");
    const cells = root.querySelectorAll("dd");
    const items = root.querySelectorAll(".tn-challenge li");
    const done = root.querySelector(".tn-done");
    const say = ui.announcer(root);

    // The plot is drawn in CSS pixels at its width, so that its text keeps its size.
    let plot = null;
    function layout() {
      const width = Math.round(svg.getBoundingClientRect().width) || 600;
      const height = Math.round(Math.min(260, Math.max(190, 0.42 * width)));
      const X = (v) => 34 + ((v - from) / (to - from)) * (width - 42);
      const Y = (p) => 8 + ((1.04 - p) / 1.08) * (height - 34);
      const [bottom, top] = [Y(-0.04), Y(1.04)];
      const r = Math.min(3, 0.35 * (X(1) - X(0))); // the points' radius: apart on a phone
      let marks = "";
      for (let v = Math.ceil(from / 10) * 10; v <= to; v += 10) {
        const label = ui.number(v, 0).replace("-", "−");
        marks += `<line class="tn-grid" x1="${X(v)}" x2="${X(v)}" y1="${bottom}" y2="${top}"/>`;
        marks += `<text x="${X(v)}" y="${height - 8}" text-anchor="middle">${label}</text>`;
      }
      for (const p of [0, 0.5, 1]) {
        marks += `<text x="28" y="${Y(p) + 4}" text-anchor="end">${ui.number(p, p % 1 && 1)}</text>`;
      }
      svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
      svg.style.height = `${height}px`;
      svg.innerHTML =
        `<rect class="tn-band" x="${X(band[0])}" width="${X(band[1]) - X(band[0])}" y="${top}" ` +
        `height="${bottom - top}"/>${marks}<line class="tn-guide" x1="${X(from)}" ` +
        `x2="${X(to)}" y1="${Y(0.5)}" y2="${Y(0.5)}"/><line class="tn-guide" y1="${bottom}" ` +
        `y2="${top}"/><path class="tn-curve"/>` +
        xs.map((x, i) => `<circle class="tn-point" cx="${X(x)}" cy="${Y(ys[i])}" r="${r}"/>`).join("");
      plot = { X, Y, width, line: svg.querySelectorAll("line.tn-guide")[1] };
      plot.curve = svg.querySelector("path");
      plot.points = svg.querySelectorAll("circle");
    }

    // What is shown: the hand-wired neuron of the sliders, or a step of a recorded run.
    const state = { hand: true, run: 0, index: 0, playing: false, met: false, saidMet: false };
    let words = ""; // what the last render shows, in words
    const run = () => data.runs[state.run];
    const current = () =>
      state.hand
        ? model.neuron(+thresholdInput.value, model.scaleAt(+scaleInput.value))
        : model.step(run(), state.index);

    // Only what changed is written (ui.text, ui.attribute): each write costs a new layout
    // of its box, and a write outside a contained box, a new layout of the whole page.
    const put = ui.text;
    const attribute = ui.attribute;

    function render() {
      const net = current();
      const threshold = model.threshold(net);
      const scale = Math.abs(net.a);
      const { X, Y } = plot;
      const ps = model.samples(net, from, to);
      const outputs = model.forward(net, ps);
      const tenth = (v) => Math.round(10 * v) / 10;
      let d = "M";
      ps.forEach((x, i) => (d += (i ? "L" : "") + tenth(X(x)) + "," + tenth(Y(outputs[i]))));
      attribute(plot.curve, "d", d);
      const inside = threshold >= from && threshold <= to;
      attribute(plot.line, "visibility", inside ? "visible" : "hidden");
      if (inside) ["x1", "x2"].forEach((end) => attribute(plot.line, end, tenth(X(threshold))));
      xs.forEach((x, i) => {
        const wrong = net.a * (x - net.c) + net.b > 0 !== (ys[i] === 1);
        if (wrong !== plot.points[i].wrong) plot.points[i].classList.toggle("tn-wrong", wrong);
        plot.points[i].wrong = wrong;
      });
      const right = model.right(net, xs, ys);
      const loss = model.loss(net, xs, ys);
      const numbers = [net.a, net.b, threshold, right, loss, model.loss32(net, xs, ys)];
      const shown = {
        at: state.hand ? "" : text("at", { s: ui.number(run().step[state.index], 0) }),
        t: ui.number(threshold, 2),
        m: ui.significant(scale, 3),
        acc: text("right", { pct: ui.percent(right / xs.length), right, n: xs.length }),
        l: ui.significant(loss, 3),
        l32: ui.significant(numbers[5], 3),
      };
      const texts = [ui.significant(net.a, 4), ui.significant(net.b, 4), shown.t, shown.acc];
      texts.push(shown.l, shown.l32);
      cells.forEach((cell, i) => {
        put(cell, texts[i]);
        attribute(cell, "data-value", numbers[i]);
      });
      if (!state.hand) {
        // the sliders follow the run, as near as their steps allow
        thresholdInput.value = Math.round(10 * threshold) / 10;
        scaleInput.value = model.positionOf(scale);
        stepInput.value = state.index;
      }
      const step = ui.number(run().step[+stepInput.value], 0);
      [shown.t, shown.m, step].forEach((value, i) => {
        put(values[i], value);
        attribute([thresholdInput, scaleInput, stepInput][i], "aria-valuetext", value);
      });
      const checked = model.verdict(right, scale, loss, data);
      ["right", "scale", "loss"].forEach((name, i) => {
        items[i].classList.toggle("tn-met", checked[name]);
      });
      state.met = checked.met;
      if (done.hidden === state.met) done.hidden = !state.met;
      return (words = text("said", shown));
    }
    /** Say what the widget shows, and that the challenge is met the first time it is. */
    function announce(words) {
      say(state.met && !state.saidMet ? `${words} ${done.textContent}` : words);
      state.saidMet = state.met;
    }

    // Replay: one recorded step every STEP_MS; with reduced motion, straight to the end.
    let frame = 0;
    function setPlaying(playing) {
      state.playing = playing;
      put(playButton, text(ui.reducedMotion ? "last" : playing ? "pause" : "play"));
      if (!playing) cancelAnimationFrame(frame);
    }
    function play() {
      const last = run().step.length - 1;
      state.hand = false;
      if (ui.reducedMotion || state.index >= last) state.index = ui.reducedMotion ? last : 0;
      if (ui.reducedMotion) return announce(render());
      setPlaying(true);
      const [first, start] = [state.index, performance.now()];
      const tick = (now) => {
        // (a frame's time can be a little before `start`)
        state.index = Math.min(last, first + Math.max(0, Math.floor((now - start) / STEP_MS)));
        const words = render();
        if (state.index < last) frame = requestAnimationFrame(tick);
        else setPlaying(false), announce(words);
      };
      frame = requestAnimationFrame(tick);
    }

    for (const input of [thresholdInput, scaleInput, stepInput]) {
      input.addEventListener("input", () => {
        setPlaying(false);
        state.hand = input !== stepInput;
        if (!state.hand) state.index = +stepInput.value;
        render();
      });
      // a change follows the input it ends, which drew what it shows: only say it
      input.addEventListener("change", () => announce(words));
    }
    runSelect.addEventListener("change", () => {
      setPlaying(false);
      Object.assign(state, { hand: false, run: +runSelect.value, index: 0 });
      stepInput.max = run().step.length - 1;
      announce(render());
    });
    playButton.addEventListener("click", () =>
      state.playing ? (setPlaying(false), announce(render())) : play(),
    );

    setPlaying(false);
    layout();
    render();
    new ResizeObserver(() => {
      const width = Math.round(svg.getBoundingClientRect().width);
      if (width && width !== plot.width) layout(), render();
    }).observe(svg);
  });
})();
