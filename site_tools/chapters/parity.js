/* Chapter 3's widget: the two hand-wired parity networks of the chapter, for 2 to 6 bits:
 * hardwired(n) (layered, a pair of ReLUs a fold, n + 1 folds) and minimal(n) (a chain of n
 * ReLUs with skip connections, one a fold). The reader moves each fold's point k, adds
 * noise to every weight, and reads what each network does: its exact count of linear
 * pieces against the bounds, whether it computes x mod 2 on 0 .. 2ⁿ − 1, its largest error
 * there, and the function after each fold. Parameters come as the experiment exports them:
 * in state_dict order, flattened. */
(function () {
  "use strict";
  const f = Math.fround;
  const same = (v) => v;
  const relu = (z) => (z > 0 ? z : 0);

  /** The hand-wired fold points: 2ⁿ⁻¹, …, 4, 2, 1, 1 (the layered network's n + 1 folds;
   * the chain's n are the first n). */
  const points = (n) => Array.from({ length: n + 1 }, (_, i) => (i < n ? 2 ** (n - 1 - i) : 1));

  /** W·s + b for a Linear layer of `rows` outputs whose weights start at p[at], its biases
   * after them; r rounds each operation (Math.fround: float32) or not (float64). */
  function linear(p, at, s, rows, r) {
    const m = s.length;
    const out = [];
    for (let j = 0; j < rows; j++) {
      let z = 0;
      for (let k = 0; k < m; k++) z = r(z + r(p[at + j * m + k] * s[k]));
      out.push(r(z + p[at + rows * m + j]));
    }
    return out;
  }

  /** The network at x: its output y, the pre-activations of each bending group (a layer, or
   * a neuron of the chain) and the value after each fold: the sum of the fold's pair in the
   * layered network (|y − k| when hand-wired); in the chain, what the next neuron reads
   * plus its fold point (again |y − k|), and after the last fold the output. */
  function trace(net, x, r = same) {
    const { kind, n, p, k } = net;
    const pre = [];
    const folds = [];
    let at = 0;
    let s = [x];
    for (let g = 0; g < (kind === "layered" ? n + 1 : n); g++) {
      const z = linear(p, at, s, kind === "layered" ? 2 : 1, r);
      at += (s.length + 1) * z.length;
      pre.push(z);
      s = kind === "layered" ? z.map(relu) : s.concat(relu(z[0]));
      if (kind === "layered") folds.push(r(s[0] + s[1]));
    }
    const y = linear(p, at, s, 1, r)[0];
    if (kind !== "layered") {
      pre.forEach((_, i) => folds.push(i + 1 < n ? pre[i + 1][0] + k[i + 1] : y));
    }
    return { y, pre, folds };
  }

  /** Where the function bends on [lo, hi], and lo and hi: group after group, every
   * pre-activation is linear between the points found so far, so where it changes sign
   * is a kink, found exactly (as exact_slopes in the chapter's experiment finds them). */
  function kinks(net, lo, hi) {
    let xs = [lo, hi];
    const groups = net.kind === "layered" ? net.n + 1 : net.n;
    for (let g = 0; g < groups; g++) {
      const zs = xs.map((x) => trace(net, x).pre[g]);
      const found = [];
      for (let j = 0; j + 1 < xs.length; j++) {
        zs[j].forEach((a, u) => {
          const b = zs[j + 1][u];
          if (a * b < 0) found.push(xs[j] + (a / (a - b)) * (xs[j + 1] - xs[j]));
        });
      }
      const all = [...new Set(xs.concat(found))].sort((a, b) => a - b);
      xs = all.filter((x, j) => j === 0 || x - all[j - 1] > 1e-9); // close points: one
    }
    return xs;
  }

  const model = {
    points,
    sigmas: [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1], // the noise slider's
    linear,
    trace,
    kinks,
    /** The function's linear pieces on [lo, hi]: 1 + the slope changes between its kinks. */
    pieces(net, lo, hi) {
      const xs = kinks(net, lo, hi);
      return model.count(xs, xs.map((x) => trace(net, x).y));
    },
    /** The pieces of the line through the points (xs, ys), xs the kinks and the ends. */
    count(xs, ys) {
      let count = 1;
      let last = 0;
      for (let j = 0; j + 1 < xs.length; j++) {
        const slope = (ys[j + 1] - ys[j]) / (xs[j + 1] - xs[j]);
        if (j && Math.abs(slope - last) > 1e-6 * Math.max(1, Math.abs(last))) count++;
        last = slope;
      }
      return count;
    },
    /** The largest |f(x) − x mod 2| on x = 0 .. 2ⁿ − 1, in float64. */
    error(net) {
      let max = 0;
      for (let x = 0; x < 2 ** net.n; x++) max = Math.max(max, Math.abs(trace(net, x).y - (x % 2)));
      return max;
    },
    /** The challenge's conditions: n ≥ 4 bits, every fold placed from 0, no noise, and the
     * chain (one ReLU a fold) exact on 0 .. 2ⁿ − 1; `error` is its largest error there. */
    challenge(n, fromZero, sigma, error) {
      const checks = { bits: n >= 4, start: fromZero, noise: sigma === 0, exact: error === 0 };
      return { ...checks, met: Object.values(checks).every(Boolean) };
    },
    /** A construction from the exported weights with its folds at k (k[i] instead of
     * points(n)[i]: the biases the chapter's recipe gives those points) and Gaussian noise
     * of size sigma on every parameter (from `seed`), rounded to float32 as PyTorch keeps
     * them. In the chain, fold i's point is in neuron i's bias and, through the constant
     * each later fold carries, in every later bias with alternating signs. */
    build(weights, kind, n, k, sigma, seed) {
      const p = weights[kind][n].slice();
      const d = k.map((v, i) => v - points(n)[i]);
      let at = 0;
      if (kind === "layered") {
        d.forEach((shift, l) => {
          at += 2 * (l ? 2 : 1); // the fold's pair: ReLU(y − k), ReLU(k − y)
          p[at++] -= shift;
          p[at++] += shift;
        });
      } else {
        const bias = [];
        for (let j = 0; j < n; j++) {
          at += j + 1;
          bias.push(at++);
        }
        bias.push(p.length - 1); // the read-out's
        for (let i = 0; i < n; i++) {
          p[bias[i]] -= d[i];
          for (let j = i + 1; i < n - 1 && j <= n; j++) {
            p[bias[j]] += (j - i) % 2 === (j < n ? 1 : 0) ? d[i] : -d[i];
          }
        }
      }
      let state = (seed * 2654435761 + (kind === "layered" ? 1 : 2)) | 0 || 1;
      const uniform = () => {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return ((state >>> 0) + 0.5) / 4294967296;
      };
      const noise = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
      return { kind, n, k, p: p.map((v) => (sigma ? f(v + sigma * noise()) : v)) };
    },
  };
  if (typeof module === "object" && module.exports) {
    module.exports = model;
    return;
  }

  const TEXT = {
    en: {
      note:
        "Dots: x mod 2. Solid line: the layered network (two ReLUs a fold); dashed line: " +
        "the chain with skip connections (one ReLU a fold). Small plots: the function after " +
        "each fold, with its smallest and largest value.",
      bits: "Bits",
      fold: "Fold {i}: k",
      only: "Fold {i} (layered only): k",
      sigma: "Noise σ",
      seed: "New noise",
      show: "Folds of",
      layered: "Layered",
      minimal: "One ReLU a fold",
      need: "Pieces needed",
      pieces: "{c}: pieces / at most",
      error: "{c}: largest error",
      exact: "{c}: exact",
      after: "after fold {i}: {lo} to {hi}",
      plot: "Both networks over x from 0 to {hi}, and x mod 2.",
      zero: "Every fold at 0",
      challenge:
        "Challenge: with 4 bits or more, press “Every fold at 0”, then move the folds until " +
        "the one-ReLU-a-fold network computes x mod 2 exactly, without noise.",
      bitsOk: "n ≥ 4 bits",
      start: "folds placed from 0",
      quiet: "σ = 0",
      chain: "one ReLU a fold: exact",
      done:
        "Done! The folds halve: 2ⁿ⁻¹, …, 4, 2, 1. Each fold lays the range [0, 2k] onto " +
        "[0, k], so n folds of one ReLU each give the 2ⁿ − 1 pieces parity needs: the fewest.",
      yes: "(met)",
      no: "(not met)",
    },
    zh: {
      note:
        "圆点：x mod 2。实线：严格分层网络（每次对折用两个 ReLU）；虚线：跳跃连接网络" +
        "（每次对折用一个 ReLU）。小图：每次对折之后的函数，并注明它的最小值和最大值。",
      bits: "位数",
      fold: "第 {i} 次对折：k",
      only: "第 {i} 次对折（仅严格分层网络）：k",
      sigma: "噪声 σ",
      seed: "换一组噪声",
      show: "小图显示",
      layered: "严格分层网络",
      minimal: "跳跃连接网络",
      need: "至少需要的线性段",
      pieces: "{c}：线性段 / 上界",
      error: "{c}：最大误差",
      exact: "{c}：精确",
      after: "第 {i} 次对折之后：{lo} 到 {hi}",
      plot: "两个网络在 x 从 0 到 {hi} 上的图像，以及 x mod 2。",
      zero: "所有对折位置归零",
      challenge:
        "挑战：取 4 位或更多位，先按“所有对折位置归零”，再逐个移动对折位置，" +
        "直到跳跃连接网络在没有噪声时精确算出 x mod 2。",
      bitsOk: "n ≥ 4 位",
      start: "对折位置从 0 开始摆放",
      quiet: "σ = 0",
      chain: "跳跃连接网络：精确",
      done:
        "完成！对折位置依次减半：2ⁿ⁻¹、…、4、2、1。每次对折把区间 [0, 2k] 叠到 [0, k] 上，" +
        "所以 n 次对折、每次只用一个 ReLU，就得到奇偶性所需的 2ⁿ − 1 条线性段，这已是最少。",
      yes: "（已满足）",
      no: "（未满足）",
    },
  };
  const SIGMAS = model.sigmas;
  const KINDS = ["layered", "minimal"];
  const LINE = 'fill="none" vector-effect="non-scaling-stroke" stroke-width="2"';
  const DASH = ' style="stroke:var(--tn-wrong)" stroke-dasharray="5 3"';
  const minus = (t) => t.replace("-", "−");

  TinyNets.widget("parity", (element, data, ui) => {
    const text = ui.strings(TEXT);
    const id = () => ui.id("p");
    const root = document.createElement("div");
    root.className = "tn-widget-ui";
    const [bitsId, sigmaId, showId] = [id(), id(), id()];
    const cell = (key) => `<div><dt></dt><dd data-readout="${key}"></dd></div>`;
    root.innerHTML =
      `<p class="tn-note">${text("note")}</p><svg role="img" preserveAspectRatio="none" ` +
      `style="height:9em"></svg><dl class="tn-readouts">` +
      ["need", "lp", "le", "mp", "me"].map(cell).join("") +
      `</dl>${KINDS.map((c) => `<p hidden><b class="tn-badge">${text("exact", { c: text(c) })}</b></p>`)
        .join("")}` +
      `<div class="tn-row"><label for="${bitsId}">${text("bits")}</label><select ` +
      `id="${bitsId}">${[2, 3, 4, 5, 6].map((n) => `<option>${n}</option>`).join("")}` +
      `</select><label ` +
      `for="${showId}">${text("show")}</label><select id="${showId}">` +
      KINDS.map((c) => `<option value="${c}">${text(c)}</option>`).join("") +
      `</select></div><div class="tn-controls"></div><div class="tn-controls"><label ` +
      `for="${sigmaId}">${text("sigma")}</label><div class="tn-slider"><input id="${sigmaId}" ` +
      `type="range" min="0" max="${SIGMAS.length - 1}" value="0"></div><div class="tn-value">` +
      `<span></span></div></div><div class="tn-row"><button type="button">${text("seed")}` +
      `</button><span></span></div><div class="tn-folds" style="display:grid;` +
      `grid-template-columns:repeat(auto-fill,minmax(7em,1fr));gap:.5em"></div>` +
      `<div class="tn-challenge"><p>${text("challenge")}</p><div class="tn-row"><button ` +
      `type="button">${text("zero")}</button></div>` +
      ui.checklist(
        ["bitsOk", "start", "quiet", "chain"].map((c) => text(c)),
        text("yes"),
        text("no"),
      ) +
      `<p class="tn-done" hidden>${text("done")}</p></div>`;
    element.append(root);
    const $ = (s) => root.querySelector(s);
    const [bits, show, sigma] = [bitsId, showId, sigmaId].map((at) => $(`#${at}`));
    const [plot] = root.querySelectorAll("svg");
    const [folds, noise] = root.querySelectorAll(".tn-controls");
    const [seedButton, seedShown] = [$("button"), $("button + span")];
    const sigmaShown = noise.querySelector(".tn-value > span");
    const panels = $(".tn-folds");
    const dts = root.querySelectorAll("dt");
    const dds = root.querySelectorAll("dd");
    const badges = [...root.querySelectorAll(".tn-badge")].map((b) => b.parentNode);
    const zeroButton = root.querySelector(".tn-challenge button");
    const items = root.querySelectorAll(".tn-checks li");
    const done = root.querySelector(".tn-done");
    const say = ui.announcer(root);
    bits.value = "4";
    let seed = 1;
    let frame = 0;
    let telling = false;
    let [fromZero, met, saidMet] = [false, false, false];

    // a row and a small plot for each fold of the most bits (7 folds); setup shows n + 1
    const MOST = 7;
    folds.innerHTML = Array.from({ length: MOST }, () => {
      const at = id();
      return (
        `<label for="${at}"></label><div class="tn-slider"><input id="${at}" type="range" ` +
        `min="0" max="32" value="16"></div><div class="tn-value"><span></span></div>`
      );
    }).join("");
    const sliders = [...folds.querySelectorAll("input")];
    sliders.forEach((s) => {
      s.addEventListener("input", schedule);
      s.addEventListener("change", announce);
    });
    const panel =
      '<div class="tn-note"><svg aria-hidden="true" preserveAspectRatio="none" style="height:3.5em">';
    panels.innerHTML = `${panel}</svg><span></span></div>`.repeat(MOST);

    function setup() {
      fromZero = false; // the hand-wired folds again
      const n = +bits.value;
      const k = points(n);
      sliders.forEach((s, i) => {
        const row = [s.parentNode.previousSibling, s.parentNode, s.parentNode.nextSibling];
        row.forEach((node) => (node.hidden = i > n));
        s.dataset.k = k[i] || 1;
        s.value = 16;
        ui.text(row[0], text(i < n ? "fold" : "only", { i: i + 1 }));
      });
    }

    function path(xs, ys) {
      return xs.map((x, j) => `${j ? "L" : "M"}${x},${-ys[j]}`).join("");
    }

    function draw() {
      frame = 0;
      const n = +bits.value;
      const hi = 2 ** n - 1;
      const active = sliders.slice(0, n + 1);
      const k = active.map((s) => (s.dataset.k * s.value) / 16);
      const s = SIGMAS[sigma.value];
      const nets = KINDS.map((c) => model.build(data, c, n, k, s, seed));
      active.forEach((slider, i) => {
        const v = ui.significant(k[i], 4);
        ui.text(slider.parentNode.nextSibling.firstChild, v);
        ui.attribute(slider, "aria-valuetext", `k = ${v}`);
      });
      ui.text(sigmaShown, ui.number(s, s && s < 0.01 ? 3 : s ? 2 : 0));
      ui.text(seedShown, s ? `#${seed}` : "");
      if (seedButton.disabled !== !s) seedButton.disabled = !s;
      // what each network computes, from its kinks on [0, 2ⁿ − 1]: exact to the last piece
      const xs = nets.map((net) => model.kinks(net, 0, hi));
      const traces = nets.map((net, c) => xs[c].map((x) => model.trace(net, x)));
      const values = [hi];
      nets.forEach((net, c) => {
        values.push(model.count(xs[c], traces[c].map((t) => t.y)), model.error(net));
      });
      const bounds = [3 ** (n + 1), 2 ** n]; // ∏(mᵢ + 1) for n + 1 pairs; 2ᴺ for N = n
      const shown = [
        ui.number(hi, 0),
        ...KINDS.flatMap((c, i) => [
          `${ui.number(values[1 + 2 * i], 0)} / ${ui.number(bounds[i], 0)}`,
          ui.significant(values[2 + 2 * i], 3),
        ]),
      ];
      const names = [text("need")];
      KINDS.forEach((c) => names.push(text("pieces", { c: text(c) }), text("error", { c: text(c) })));
      dds.forEach((dd, i) => {
        ui.text(dts[i], names[i]);
        ui.text(dd, shown[i]);
        ui.attribute(dd, "data-value", values[i]);
      });
      badges.forEach((b, i) => b.hidden !== (values[2 + 2 * i] !== 0) && (b.hidden = !b.hidden));
      // the outputs, and x mod 2 as dots (zero-length lines with round ends)
      plot.setAttribute("viewBox", `-0.5 -1.6 ${hi + 1} 2.2`);
      let dots = "";
      for (let x = 0; x <= hi; x++) dots += `M${x},${-(x % 2)}h0`;
      plot.innerHTML =
        `<path d="${dots}" stroke="currentColor" stroke-width="7" stroke-linecap="round" ` +
        `vector-effect="non-scaling-stroke"/>` +
        traces
          .map((t, c) => {
            const d = path(xs[c], t.map((p) => p.y));
            return `<path class="tn-curve" d="${d}" ${LINE}${c ? DASH : ""}/>`;
          })
          .join("");
      plot.setAttribute("aria-label", text("plot", { hi }));
      // the function after each fold of the construction shown, each in its own range
      const c = KINDS.indexOf(show.value);
      [...panels.children].forEach((panel, i) => {
        const ys = traces[c].map((t) => t.folds[i]);
        if (panel.hidden !== (ys[0] === undefined)) panel.hidden = !panel.hidden;
        if (panel.hidden) return;
        const [least, most] = [Math.min(...ys), Math.max(...ys)];
        const lo = Math.min(0, least); // the plot's range: from 0 or below, at least 1 high
        const top = Math.max(lo + 1, most);
        const svg = panel.firstChild;
        svg.setAttribute("viewBox", `0 ${-top} ${hi} ${top - lo}`);
        svg.innerHTML = `<path class="tn-curve" d="${path(xs[c], ys)}" ${LINE}${c ? DASH : ""}/>`;
        const range = {
          i: i + 1,
          lo: minus(ui.significant(least, 3)),
          hi: minus(ui.significant(most, 3)),
        };
        ui.text(panel.lastChild, text("after", range));
      });
      const verdict = model.challenge(n, fromZero, s, values[4]);
      ["bits", "start", "noise", "exact"].forEach((name, i) => {
        if (items[i].classList.contains("tn-met") !== verdict[name]) {
          items[i].classList.toggle("tn-met", verdict[name]);
        }
      });
      met = verdict.met;
      if (done.hidden === met) done.hidden = !met;
      if (telling) {
        const words = names.map((name, i) => `${name}: ${shown[i]}`).join("; ");
        say(met && !saidMet ? `${words}. ${done.textContent}` : words);
        saidMet = met;
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

    bits.addEventListener("change", () => (setup(), announce()));
    show.addEventListener("change", schedule);
    sigma.addEventListener("input", schedule);
    sigma.addEventListener("change", announce);
    seedButton.addEventListener("click", () => ((seed += 1), announce()));
    zeroButton.addEventListener("click", () => {
      sliders.forEach((slider) => (slider.value = 0));
      fromZero = true;
      announce();
    });
    setup();
    draw();
  });
})();
