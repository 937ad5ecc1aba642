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
  const fma = (x, y, z) => f(x * y + z); // x·y of two floats is exact in float64
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
    /** The network in float32, with fused multiply-adds as PyTorch's CPU kernels have them
     * (the page computes in float64: scan). */
    forward32(w, a, b) {
      const r1 = relu(f(fma(b, w[1], f(a * w[0])) + w[2]));
      const r2 = relu(f(fma(b, w[4], f(a * w[3])) + w[5]));
      return f(f(fma(b, w[7], f(a * w[6])) + fma(r2, w[9], f(r1 * w[8]))) + w[10]);
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
        "Colour: the error at each pair, orange above min(a, b), blue below, 10⁻⁶ faint to 10 " +
        "full. Lines: the folds, the diagonal. Ring: the largest error. Squares: the sweep's " +
        "seeds by largest error (filled: a fold on the diagonal); click to load one.",
      map: "The error over a, b from −50 to 50.",
      hist: "The seeds by largest error.",
      seed: "Seed",
      out: "Read-out",
      bias: "bias",
      error: "Largest error",
      tier: "Error table row",
      dead: "dead",
      straight: "straight",
      diagonal: "on the diagonal",
      off: "off the diagonal",
      exact: "exact",
      gap: "{s} ({g})",
    },
    zh: {
      note:
        "颜色：各数对上的误差，橙色偏大，蓝色偏小，10⁻⁶ 最浅，10 最深。线：折痕和对角线。" +
        "圆圈：最大误差。方块：各随机种子的最大误差（实心：有折痕在对角线上），点击即可载入。",
      map: "a、b 从 −50 到 50 的误差。",
      hist: "各随机种子的最大误差。",
      seed: "随机种子",
      out: "读出层",
      bias: "偏置",
      error: "最大误差",
      tier: "误差表中的行",
      dead: "死亡",
      straight: "直通",
      diagonal: "对角",
      off: "偏离对角线",
      exact: "精确",
      gap: "{s}（{g}）",
    },
  };
  const LOW = -6; // colours and histogram: 10⁻⁶ to 10
  const SPAN = 7;
  const TALL = ' style="height:2.8em;white-space:normal"'; // a shape and its distance: 2 lines
  const minus = (x) => String(x).replace("-", "−");

  TinyNets.widget("minimum", (element, data, ui) => {
    const text = ui.strings(TEXT);
    const seeds = model.seeds(data);
    const err = new Float64Array(N * N);
    const shapes = (gaps) => gaps.map((g) => model.shape(g, data.tol));
    const scans = seeds.map((w) => model.scan(w, err));
    const ids = Array.from({ length: 13 }, () => ui.id("w"));
    const fields = (legend, names, from) =>
      `<fieldset><legend>${legend}</legend><div class="tn-row">${names
        .map(
          (n, k) =>
            `<label for="${ids[from + k]}">${n ? `${n[0]}<sub>${n[1]}</sub>` : text("bias")}` +
            `</label><input id="${ids[from + k]}" type="number" step="0.01">`,
        )
        .join("")}</div></fieldset>`;
    const titles = [text("error"), text("tier"), "ReLU 1", "ReLU 2"];
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
      `</option>${seeds.map((_, k) => `<option>${k}</option>`).join("")}</select><b ` +
      `class="tn-badge" hidden>${text("exact")}</b></div>` +
      fields("ReLU 1", ["wa", "wb", ""], 0) +
      fields("ReLU 2", ["wa", "wb", ""], 3) +
      fields(text("out"), ["va", "vb", "v1", "v2", ""], 6) +
      `<dl class="tn-readouts">${["error", "tier", "b1", "b2"]
        .map((key, i) => `<div><dt>${titles[i]}</dt><dd data-readout="${key}"${i > 1 ? TALL : ""}></dd></div>`)
        .join("")}</dl>`;
    element.append(root);
    const [lamInput, select] = [11, 12].map((k) => root.querySelector(`#${ids[k]}`));
    const inputs = ids.slice(0, 11).map((at) => root.querySelector(`#${at}`));
    const [map, hist] = root.querySelectorAll("svg");
    const dds = root.querySelectorAll("dd");
    const value = root.querySelector(".tn-value > span");
    const badge = root.querySelector(".tn-badge");
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

    // The histogram: a square per seed in its quarter decade; the table's rows as lines.
    let [squares, width, shown] = [[], 0, null];
    function layout() {
      const box = hist.getBoundingClientRect();
      [width, shown] = [Math.round(box.width) || 300, null];
      const height = Math.round(box.height) || 140;
      const X = (p) => 16 + ((p - LOW) / SPAN) * (width - 32);
      const side = (width - 32) / (4 * SPAN);
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
          .map(({ max, gaps }, k) => {
            const bin = Math.floor(4 * (Math.log10(Math.max(max, 10 ** LOW)) - LOW));
            const y = height - 16 - (count[bin] = (count[bin] || 0) + 1) * side;
            const on = shapes(gaps).some(([s]) => s === "diagonal");
            return (
              `<rect data-seed="${k}" x="${X(LOW) + bin * side + 0.5}" y="${y + 0.5}" width=` +
              `"${side - 1}" height="${side - 1}" fill="${on ? "currentColor" : "none"}" ` +
              `stroke="currentColor" pointer-events="all"/>`
            );
          })
          .join("");
      squares = hist.querySelectorAll("rect");
    }

    // The network shown: float32 weights from λ, a seed, or the reader's edits.
    let w = model.family(0.5);
    let seed = -1;
    let frame = 0;
    let telling = false;
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
      const texts = [
        ui.significant(max, 3),
        ["≤ ", "≤ ", "≤ ", "< ", "≥ "][tier] + data.tiers[Math.min(tier, 3)],
        ...found.map(([s, g]) => text("gap", { s: text(s), g: ui.significant(g, 2) })),
      ];
      [max, tier, found[0][1], found[1][1]].forEach((v, i) => {
        put(dds[i], texts[i]);
        dds[i].dataset.value = v;
        if (i > 1) dds[i].dataset.shape = found[i - 2][0];
      });
      badge.hidden = max !== 0;
      inputs.forEach((input, j) => {
        const v = String(+w[j].toPrecision(6));
        if (input !== document.activeElement && input.value !== v) input.value = v;
      });
      if (seed !== shown) {
        squares.forEach((square, k) => (square.style.opacity = seed < 0 || k === seed ? 1 : 0.4));
        shown = seed;
      }
      if (telling) say(titles.map((t, i) => `${t}: ${texts[i]}`).join("; "));
      telling = false;
    }
    const announce = () => ((telling = true), schedule()); // once drawn, when it rests

    function load(k) {
      seed = k;
      select.value = k < 0 ? "" : k;
      const l = lamInput.value / 16;
      put(value, minus(l));
      lamInput.setAttribute("aria-valuetext", `λ = ${value.textContent}`);
      w = k < 0 ? model.family(l) : seeds[k].slice();
    }
    lamInput.addEventListener("input", () => (load(-1), schedule()));
    lamInput.addEventListener("change", announce);
    select.addEventListener("change", () => (load(select.value ? +select.value : -1), announce()));
    hist.addEventListener("click", (event) => {
      const k = event.target.dataset.seed;
      if (k) load(+k), announce();
    });
    inputs.forEach((input, j) => {
      input.addEventListener("input", () => {
        const v = f(input.valueAsNumber);
        const ok = Math.abs(v) <= 1000; // (not for NaN)
        input.setAttribute("aria-invalid", !ok);
        if (ok) (w[j] = v), schedule();
      });
      input.addEventListener("change", announce);
    });

    load(-1);
    layout();
    draw();
    new ResizeObserver(() => {
      if (Math.round(hist.getBoundingClientRect().width) !== width) layout(), draw();
    }).observe(hist);
  });
})();
