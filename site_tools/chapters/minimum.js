/* Chapter 2's widget: MinModel on the integer pairs of [−50, 50]², in float64 on float32
 * weights w = [w_a, w_b, bias] of each branch, [v_a, v_b, v_1, v_2, bias] of the read-out.
 * The map shows its error against min(a, b), the folds and the diagonal; λ moves along the
 * exact family, every weight is editable, and any seed of the build's sweep loads. */
(function () {
  "use strict";
  const f = Math.fround;
  const N = 101; // pair i is (a, b) = (⌊i / N⌋ − 50, i mod N − 50), as integer_grid()
  const A = new Float64Array(N * N);
  const B = new Float64Array(N * N);
  for (let i = 0; i < N * N; i++) (A[i] = Math.floor(i / N) - 50), (B[i] = (i % N) - 50);
  const relu = (z) => (z > 0 ? z : 0);
  const clamp = (x) => Math.max(-50, Math.min(50, x));
  const model = {
    A,
    B,
    family: (l) => [1, -1, 0, -1, 1, 0, l, 1 - l, -l, l - 1, 0].map(f),
    /** The seeds' weights: 11 float32 each, little-endian, in base64. */
    seeds(data) {
      const view = new DataView(Uint8Array.from(atob(data.weights), (c) => c.charCodeAt(0)).buffer);
      return Array.from({ length: data.seeds }, (_, k) =>
        Array.from({ length: 11 }, (_, j) => view.getFloat32(44 * k + 4 * j, true)),
      );
    },
    /** The forward pass on every pair: its error against min(a, b) into err; the largest,
     * where; each branch's largest distance to dead, straight, diagonal (branch_shapes). */
    scan(w, err) {
      let max = 0;
      let at = 0;
      const g = [0, 0, 0, 0, 0, 0];
      for (let i = 0; i < A.length; i++) {
        const a = A[i];
        const b = B[i];
        let y = w[6] * a + w[7] * b + w[10];
        for (let k = 0; k < 6; k += 3) {
          const v = w[8 + k / 3];
          const z = w[k] * a + w[k + 1] * b + w[k + 2];
          const term = v * relu(z);
          y += term;
          g[k] = Math.max(g[k], Math.abs(term));
          g[k + 1] = Math.max(g[k + 1], Math.abs(term - v * z));
          const d = term - v * relu(((w[k] - w[k + 1]) / 2) * (a - b));
          g[k + 2] = Math.max(g[k + 2], Math.abs(d));
        }
        const e = (err[i] = y - (a < b ? a : b));
        if (!(Math.abs(e) <= max)) (max = Math.abs(e)), (at = i);
      }
      return { max, at, gaps: [g.slice(0, 3), g.slice(3)] };
    },
    /** branch_shapes: the first shape within tol, else "off" and the nearest's distance. */
    shape(gaps, tol) {
      const k = gaps.findIndex((g) => g <= tol);
      return k < 0 ? ["off", Math.min(...gaps)] : [["dead", "straight", "diagonal"][k], gaps[k]];
    },
    /** The vertices of the arrangement that the fold lines, the diagonal and the square's
     * edges make inside [−50, 50]² (the corners among them): the error is affine on each of
     * its cells, so it is 0 on the whole square if and only if it is 0 at all of them. */
    vertices(w) {
      const lines = [[1, 0, -50], [1, 0, 50], [0, 1, -50], [0, 1, 50], [1, -1, 0]];
      for (let k = 0; k < 6; k += 3) if (w[k] || w[k + 1]) lines.push(w.slice(k, k + 3));
      const found = [];
      const L = 50 * (1 + 1e-12); // a vertex on an edge, up to rounding
      lines.forEach(([p, q, r], i) =>
        lines.slice(i + 1).forEach(([s, t, u]) => {
          const det = p * t - q * s; // p a + q b + r = 0 and s a + t b + u = 0
          if (!det) return; // parallel (or the same line): they meet at no one point
          const a = (q * u - r * t) / det;
          const b = (r * s - p * u) / det;
          if (Math.abs(a) <= L && Math.abs(b) <= L) found.push([a, b].map(clamp));
        }),
      );
      return found;
    },
    /** Exact on the whole square: the error is 0 at every vertex, up to float64 rounding
     * (1e-10 of the largest term the pass adds there). Returns the largest error there too. */
    exact(w) {
      let worst = 0;
      let ok = true;
      for (const [a, b] of model.vertices(w)) {
        const terms = [w[6] * a, w[7] * b, w[10], -(a < b ? a : b)];
        let scale = 1;
        for (let k = 0; k < 6; k += 3) {
          const v = w[8 + k / 3];
          terms.push(v * relu(w[k] * a + w[k + 1] * b + w[k + 2]));
          scale = Math.max(scale, Math.abs(v) * (Math.abs(w[k] * a) + Math.abs(w[k + 1] * b)));
          scale = Math.max(scale, Math.abs(v * w[k + 2]));
        }
        const e = Math.abs(terms.reduce((x, y) => x + y));
        if (e > 1e-10 * Math.max(scale, ...terms.map(Math.abs))) ok = false;
        worst = Math.max(worst, e);
      }
      return { exact: ok, worst };
    },
    /** The challenge: ReLU 1 reads s(b − a) with s > 0, the skip connection is unused
     * (v<sub>a</sub> = v<sub>b</sub> = 0), and the network is exact on the square; by the theorem, only with a
     * straight ReLU 2 that brings in b. */
    challenge(w) {
      const checks = {
        bend: w[0] < 0 && w[1] === -w[0] && w[2] === 0,
        va: w[6] === 0,
        vb: w[7] === 0,
        exact: model.exact(w).exact,
      };
      return { ...checks, met: Object.values(checks).every(Boolean) };
    },
    /** The finest row of the chapter's error table: ≤ 0.001, ≤ 0.01, ≤ 0.05, < 0.5; else 4. */
    tier: (e, tiers) => [0, 1, 2, 3].find((k) => (k < 3 ? e <= tiers[k] : e < tiers[k])) ?? 4,
  };
  if (typeof module === "object" && module.exports) {
    module.exports = model;
    return;
  }

  const TEXT = {
    en: {
      note:
        "Colour: the error at each pair, orange where the output is above min(a, b), blue " +
        "where it is below, faint at 10⁻⁶ and full at 10. Solid lines: the two folds; dashed: " +
        "the diagonal. Ring: the largest error on the grid. Squares: the sweep's seeds by " +
        "largest error (filled: a fold on the diagonal); click one to load it. In brackets " +
        "after a branch's shape: its largest distance on the grid to that shape, or to the " +
        "nearest shape if none is within 0.01.",
      map: "The error for a and b each from −50 to 50.",
      hist: "The seeds by largest error.",
      seed: "Seed",
      out: "Read-out",
      bias: "bias",
      error: "Largest error on the grid (float64)",
      tier: "Error table row",
      dead: "dead",
      straight: "straight",
      diagonal: "on the diagonal",
      off: "off the diagonal",
      exact: "exact",
      inexact: "not exact",
      square: "On the whole square",
      gap: "{s} ({g})",
      invalid: "{f}: out of range (−1,000 to 1,000); the network keeps {v}.",
      challenge:
        "Challenge: with ReLU 1 reading s(b − a) for some s > 0 and no skip connection " +
        "(v<sub>a</sub> = v<sub>b</sub> = 0), type the other weights so that the network is exact on the whole " +
        "square.",
      bend: "ReLU 1 reads s(b − a), s > 0",
      sq: "exact on the whole square",
      done:
        "Done! As ReLU(b − a) = ReLU(a − b) − (a − b), this bend brings −(a − b) with it, so " +
        "the affine part left to the other branch is b: it must be straight, its fold " +
        "outside the square.",
      yes: "(met)",
      no: "(not met)",
    },
    zh: {
      note:
        "颜色：各数对上的误差，输出大于 min(a, b) 为橙色，小于为蓝色；10⁻⁶ 最浅，10 最深。" +
        "实线：两条折痕；虚线：对角线。圆圈：网格上的最大误差。方块：各随机种子的最大误差" +
        "（实心：有一条折痕落在对角线上），点击即可载入。分支形状后括号里的数：网格上该分支" +
        "与这一形状的最大距离；若与哪种形状都相差超过 0.01，则是与最近形状的距离。",
      map: "a、b 各取 −50 到 50 时的误差。",
      hist: "各随机种子的最大误差。",
      seed: "随机种子",
      out: "读出层",
      bias: "偏置",
      error: "网格上的最大误差（float64）",
      tier: "误差表中的行",
      dead: "死亡",
      straight: "直通",
      diagonal: "对角",
      off: "偏离对角线",
      exact: "精确",
      inexact: "不精确",
      square: "在整个正方形上",
      gap: "{s}（{g}）",
      invalid: "{f}：超出范围（−1,000 到 1,000），网络仍用 {v}。",
      challenge:
        "挑战：让 ReLU 1 读取 s(b − a)（s > 0），不用跳跃连接（v<sub>a</sub> = v<sub>b</sub> = 0），" +
        "再手动输入其余权重，使网络在整个正方形上精确。",
      bend: "ReLU 1 读取 s(b − a)，s > 0",
      sq: "在整个正方形上精确",
      done:
        "完成！因为 ReLU(b − a) = ReLU(a − b) − (a − b)，沿 b − a 的弯折自带 −(a − b)，" +
        "留给另一个分支的仿射部分就是 b：它必须是直通分支，折痕落在正方形之外。",
      yes: "（已满足）",
      no: "（未满足）",
    },
  };
  const LOW = -6; // colours and histogram: 10⁻⁶ to 10
  const SPAN = 7;
  const SIDE = 10; // the histogram's squares: at most 10 px
  const TALL = ' style="height:2.8em;white-space:normal"'; // a shape and its distance: 2 lines
  const minus = (x) => String(x).replace("-", "−");
  const NAMES = ["wa", "wb", "", "wa", "wb", "", "va", "vb", "v1", "v2", ""];

  TinyNets.widget("minimum", (element, data, ui) => {
    const text = ui.strings(TEXT);
    const seeds = model.seeds(data);
    const err = new Float64Array(N * N);
    const shapes = (gaps) => gaps.map((g) => model.shape(g, data.tol));
    const scans = seeds.map((w) => model.scan(w, err));
    const ids = Array.from({ length: 13 }, () => ui.id("w"));
    const label = (j) => (NAMES[j] ? `${NAMES[j][0]}<sub>${NAMES[j][1]}</sub>` : text("bias"));
    const fields = (legend, from, to) =>
      `<fieldset><legend>${legend}</legend><div class="tn-row">${ids
        .slice(from, to)
        .map(
          (at, k) =>
            `<span style="display:inline-flex;gap:.4em;align-items:center;white-space:nowrap">` +
            `<label for="${at}">${label(from + k)}</label><input id="${at}" type="number" ` +
            `step="0.01" min="-1000" max="1000"></span>`,
        )
        .join("")}</div></fieldset>`;
    const titles = [text("error"), text("tier"), "ReLU 1", "ReLU 2", text("square")];
    const checks = [text("bend"), "v<sub>a</sub> = 0", "v<sub>b</sub> = 0", text("sq")];
    const root = document.createElement("div");
    root.className = "tn-widget-ui";
    root.innerHTML =
      `<p class="tn-note">${text("note")}</p><div class="tn-row"><div style="position:relative;` +
      `flex:1 1 15em;max-width:22em;aspect-ratio:122/120"><canvas width="${N}" height="${N}" ` +
      `style="position:absolute;left:12.7%;top:4.58%;width:82.79%;height:84.17%;` +
      `image-rendering:pixelated"></canvas><svg role="img" aria-label="${text("map")}" ` +
      `viewBox="-66 -56 122 120" style="position:absolute;height:100%;font-size:6px"></svg>` +
      `</div><svg role="img" aria-label="${text("hist")}" style="flex:1 1 15em;height:9em;` +
      `color:var(--tn-curve);cursor:pointer">` +
      `</svg></div><div class="tn-controls"><label for="${ids[11]}">λ</label><div ` +
      `class="tn-slider"><input id="${ids[11]}" type="range" min="-16" max="32" value="8">` +
      `</div><div class="tn-value"><span></span></div></div><div class="tn-row"><label ` +
      `for="${ids[12]}">${text("seed")}</label><select id="${ids[12]}"><option value="">–` +
      `</option>${seeds.map((_, k) => `<option>${k}</option>`).join("")}</select></div>` +
      fields("ReLU 1", 0, 3) +
      fields("ReLU 2", 3, 6) +
      fields(text("out"), 6, 11) +
      `<dl class="tn-readouts">${["error", "tier", "b1", "b2", "exact"]
        .map(
          (key, i) =>
            `<div><dt>${titles[i]}</dt><dd data-readout="${key}"` +
            `${i > 1 ? TALL : ""}></dd></div>`,
        )
        .join("")}</dl><div class="tn-challenge"><p>${text("challenge")}</p>` +
      `${ui.checklist(checks, text("yes"), text("no"))}` +
      `<p class="tn-done" hidden>${text("done")}</p></div>`;
    element.append(root);
    const [lamInput, select] = [11, 12].map((k) => root.querySelector(`#${ids[k]}`));
    const inputs = ids.slice(0, 11).map((at) => root.querySelector(`#${at}`));
    const [map, hist] = root.querySelectorAll("svg");
    const dds = root.querySelectorAll("dd");
    const value = root.querySelector(".tn-value > span");
    const items = root.querySelectorAll(".tn-checks li");
    const done = root.querySelector(".tn-done");
    const say = ui.announcer(root);
    const put = (node, t) => node.textContent !== t && (node.textContent = t);

    // The map: a pixel per pair, the folds, the diagonal, a ring on the largest error.
    const context = root.querySelector("canvas").getContext("2d");
    const image = context.createImageData(N, N);
    const pixel = Int32Array.from(A, (a, i) => 4 * ((50 - B[i]) * N + a + 50));
    map.innerHTML =
      [-50, 0, 50]
        .map(
          (v) =>
            `<text x="${v}" y="58" text-anchor="middle">${minus(v)}</text>` +
            `<text x="-53" y="${2 - v}" text-anchor="end">${minus(v)}</text>`,
        )
        .join("") +
      `<text y="64">a</text><text x="-64" y="2">b</text><rect x="-50.5" y="-50.5" ` +
      `width="101" height="101" fill="none" class="tn-grid"/><path class="tn-guide" ` +
      `d="M-50.5,50.5L50.5,-50.5"/><path class="tn-curve" style="stroke-width:1"/>` +
      `<path class="tn-curve" style="stroke-width:1;stroke:var(--tn-wrong)"/>` +
      `<circle r="3" fill="none" stroke="currentColor"/>`;
    const folds = map.querySelectorAll("path.tn-curve");
    const ring = map.querySelector("circle");

    /** Where w_a a + w_b b + bias = 0 crosses the square, as a path ("" if it misses). */
    function foldPath(wa, wb, c) {
      const L = 50.5;
      const ends = [-L, L].flatMap((t) => [[t, -(wa * t + c) / wb], [-(wb * t + c) / wa, t]]);
      const p = ends.filter(([a, b]) => Math.abs(a) <= L && Math.abs(b) <= L);
      if (p.length < 2) return "";
      const d = (q) => Math.hypot(q[0] - p[0][0], q[1] - p[0][1]);
      const q = p.reduce((r, s) => (d(s) > d(r) ? s : r));
      return `M${p[0][0]},${-p[0][1]}L${q[0]},${-q[1]}`.replace(/(\.\d)\d+/g, "$1");
    }

    // The histogram's columns: about a quarter decade each, with an edge at every decade up
    // to 10⁻³ and at every row of the error table, so that no column straddles a row's line.
    const rows = data.tiers.map(Math.log10);
    const anchors = [...Array(Math.ceil(rows[0] - LOW)).keys()].map((d) => LOW + d);
    anchors.push(...rows, LOW + SPAN);
    const edges = anchors.flatMap((p, i) => {
      if (i + 1 === anchors.length) return [p];
      const parts = Math.max(1, Math.round((anchors[i + 1] - p) * 4));
      return Array.from({ length: parts }, (_, j) => p + ((anchors[i + 1] - p) * j) / parts);
    });
    const narrowest = Math.min(...edges.slice(1).map((e, i) => e - edges[i]));
    const column = scans.map(({ max }) => {
      const p = Math.log10(Math.max(max, 10 ** LOW));
      return Math.max(0, edges.findLastIndex((e) => e <= p));
    });
    const tallest = Math.max(...column.map((c) => column.filter((d) => d === c).length));

    // A square per seed in its column, every one inside the drawing at every width: the
    // side follows the width (at most SIDE px), the height follows the tallest column.
    let [squares, width, shown] = [[], 0, null];
    function layout() {
      const box = hist.getBoundingClientRect();
      [width, shown] = [Math.round(box.width) || 300, null];
      const X = (p) => 16 + ((p - LOW) / SPAN) * (width - 32);
      const side = Math.min(SIDE, (narrowest / SPAN) * (width - 32));
      const height = Math.ceil(20 + tallest * side);
      hist.style.height = `${height}px`;
      const count = [];
      let marks = "";
      for (let p = LOW; p <= LOW + SPAN; p++) {
        const sup = minus(p).replace(/\d/g, (d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[d]).replace("−", "⁻");
        marks += `<text x="${X(p)}" y="${height - 2}" text-anchor="middle">10${sup}</text>`;
      }
      for (const t of data.tiers) {
        const x = X(Math.log10(t));
        marks += `<line class="tn-guide" x1="${x}" x2="${x}" y2="${height - 16}"/>`;
      }
      hist.setAttribute("viewBox", `0 0 ${width} ${height}`);
      hist.innerHTML =
        marks +
        scans
          .map(({ gaps }, k) => {
            const c = column[k];
            const y = height - 16 - (count[c] = (count[c] || 0) + 1) * side;
            const on = shapes(gaps).some(([s]) => s === "diagonal");
            return (
              `<rect data-seed="${k}" x="${X(edges[c]) + 0.5}" y="${y + 0.5}" width=` +
              `"${side - 1}" height="${side - 1}" fill="${on ? "currentColor" : "none"}" ` +
              `stroke="currentColor" pointer-events="all"/>`
            );
          })
          .join("");
      squares = hist.querySelectorAll("rect");
    }

    // The network shown: float32 weights from λ, a seed, or the reader's edits (seed −2).
    let w = model.family(0.5);
    let seed = -1;
    let frame = 0;
    let telling = false;
    let [met, saidMet] = [false, false];
    const schedule = () => frame || (frame = requestAnimationFrame(draw));

    function draw() {
      frame = 0;
      const { max, at, gaps } = model.scan(w, err);
      const px = image.data;
      for (let i = 0; i < err.length; i++) {
        const e = err[i];
        const o = pixel[i];
        const up = e > 0;
        px[o] = up ? 230 : 40;
        px[o + 1] = up ? 120 : 110;
        px[o + 2] = up ? 20 : 220;
        px[o + 3] = e && 255 * Math.min(1, Math.max(0, (Math.log10(Math.abs(e)) - LOW) / SPAN));
      }
      context.putImageData(image, 0, 0);
      folds.forEach((fold, k) => fold.setAttribute("d", foldPath(...w.slice(3 * k, 3 * k + 3))));
      ring.setAttribute("cx", A[at]);
      ring.setAttribute("cy", -B[at]);
      ring.style.visibility = max ? "" : "hidden";
      const tier = model.tier(max, data.tiers);
      const found = shapes(gaps);
      const verdict = model.challenge(w);
      const texts = [
        ui.significant(max, 3),
        ["≤ ", "≤ ", "≤ ", "< ", "≥ "][tier] + data.tiers[Math.min(tier, 3)],
        ...found.map(([s, g]) => text("gap", { s: text(s), g: ui.significant(g, 2) })),
        text(verdict.exact ? "exact" : "inexact"),
      ];
      [max, tier, found[0][1], found[1][1], +verdict.exact].forEach((v, i) => {
        put(dds[i], texts[i]);
        dds[i].dataset.value = v;
        if (i === 2 || i === 3) dds[i].dataset.shape = found[i - 2][0];
      });
      ["bend", "va", "vb", "exact"].forEach((name, i) => {
        if (items[i].classList.contains("tn-met") !== verdict[name]) {
          items[i].classList.toggle("tn-met", verdict[name]);
        }
      });
      met = verdict.met;
      if (done.hidden === met) done.hidden = !met;
      inputs.forEach((input, j) => {
        const v = String(+w[j].toPrecision(6));
        if (input === document.activeElement) return;
        if (input.value !== v) input.value = v;
        if (input.hasAttribute("aria-invalid")) input.removeAttribute("aria-invalid");
      });
      if (seed !== shown) {
        squares.forEach((square, k) => (square.style.opacity = seed < 0 || k === seed ? 1 : 0.4));
        shown = seed;
      }
      if (telling) {
        const words = titles.map((t, i) => `${t}: ${texts[i]}`).join("; ");
        say(met && !saidMet ? `${words}. ${done.textContent}` : words);
        saidMet = met;
      }
      telling = false;
    }
    const announce = () => ((telling = true), schedule()); // once drawn, when it rests

    /** Show a seed (k ≥ 0), the family at the slider's λ (−1) or the reader's edit (−2):
     * λ and the picker show a value only for what is shown. */
    function load(k) {
      seed = k;
      select.value = k < 0 ? "" : k;
      const l = lamInput.value / 16;
      put(value, k === -1 ? minus(l) : "–");
      lamInput.setAttribute("aria-valuetext", k === -1 ? `λ = ${value.textContent}` : "λ: –");
      if (k === -1) w = model.family(l);
      else if (k >= 0) w = seeds[k].slice();
    }
    lamInput.addEventListener("input", () => (load(-1), schedule()));
    lamInput.addEventListener("change", announce);
    select.addEventListener("change", () => (load(select.value ? +select.value : -1), announce()));
    hist.addEventListener("click", (event) => {
      const k = event.target.dataset.seed;
      if (k) load(+k), announce();
    });
    inputs.forEach((input, j) => {
      const ok = () => Math.abs(f(input.valueAsNumber)) <= 1000; // (not for NaN)
      input.addEventListener("input", () => {
        input.setAttribute("aria-invalid", !ok());
        if (!ok()) return;
        w[j] = f(input.valueAsNumber);
        if (seed !== -2) load(-2);
        schedule();
      });
      input.addEventListener("change", () => {
        if (ok()) return announce();
        const field = `${input.closest("fieldset").firstChild.textContent} ${
          input.previousSibling.textContent}`;
        say(text("invalid", { f: field, v: String(+w[j].toPrecision(6)).replace("-", "−") }));
        schedule(); // once the field is left, it shows the value kept again
      });
    });

    load(-1);
    layout();
    draw();
    new ResizeObserver(() => {
      if (Math.round(hist.getBoundingClientRect().width) !== width) layout(), draw();
    }).observe(hist);
  });
})();
