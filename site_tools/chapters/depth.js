/* Chapter 6's widget: fold the line. The tent map h·t(x) = 2h·ReLU(x) − 4h·ReLU(x − ½)
 * applied k times to x in [0, 1], as the chapter's sawtooth(k, height=h) computes it: k
 * layers of two ReLUs, each reading the tent so far (y = x at first) with biases 0 and −½.
 * The reader sets the folds k and the height h and sees the function, exact: its kinks are
 * found fold by fold, as the experiment's exact_slopes finds them (each pre-activation is
 * linear between the points found so far, so where it changes sign is a kink), and its
 * pieces counted as exact_pieces counts them (neighbours of equal slope are one piece). At
 * height 1 every fold doubles the pieces; below it a piece splits only where its values
 * cross ½. Nothing is trained: the experiment's data gives only the ranges. */
(function () {
  "use strict";
  const relu = (z) => (z > 0 ? z : 0);
  const GOAL = { folds: 8, pieces: 100 }; // the challenge: the lowest height for 100 at k = 8
  const DOTS = 32; // kinks marked with dots up to this many pieces (ticks on the axis always)

  /** The tent so far after each fold at x: ys[0] = x, ys[i] after i folds (ys[k] is the
   * output); fold i + 1 reads ys[i] in two neurons, ys[i] and ys[i] − ½ before their ReLUs. */
  function trace(k, h, x) {
    const [up, down] = [2 * h, -4 * h];
    const ys = [x];
    let [a, b] = [x, x - 0.5];
    for (let i = 0; i < k; i++) {
      const y = up * relu(a) + down * relu(b);
      ys.push(y);
      [a, b] = [y, y - 0.5];
    }
    return ys;
  }

  /** The points of [0, 1] where the function bends, with 0 and 1: fold by fold, where the
   * neurons' inputs (y and y − ½) change sign between two points found so far; points
   * closer than 10⁻⁹ kept as one (as exact_slopes). */
  function points(k, h) {
    let xs = [0, 1];
    for (let i = 0; i < k; i++) {
      const ys = xs.map((x) => trace(i, h, x)[i]);
      const found = [];
      for (let j = 0; j + 1 < xs.length; j++) {
        for (const shift of [0, 0.5]) {
          const [a, b] = [ys[j] - shift, ys[j + 1] - shift];
          if (a * b < 0) found.push(xs[j] + (a / (a - b)) * (xs[j + 1] - xs[j]));
        }
      }
      const all = [...new Set(xs.concat(found))].sort((p, q) => p - q);
      xs = all.filter((x, j) => j === 0 || x - all[j - 1] > 1e-9);
    }
    return xs;
  }

  /** The function: its points (xs, ys: 0, the kinks, 1), its slopes between them, its kinks
   * (the points where the slope changes: neighbours of equal slope are one piece), and its
   * number of linear pieces. */
  function curve(k, h) {
    const xs = points(k, h);
    const ys = xs.map((x) => trace(k, h, x)[k]);
    const slopes = [];
    for (let j = 0; j + 1 < xs.length; j++) slopes.push((ys[j + 1] - ys[j]) / (xs[j + 1] - xs[j]));
    const kinks = [];
    for (let j = 1; j < slopes.length; j++) {
      const [a, b] = [slopes[j - 1], slopes[j]];
      if (Math.abs(a - b) > 1e-6 * Math.max(1, Math.abs(a))) kinks.push(j);
    }
    return { xs, ys, slopes, kinks, pieces: kinks.length + 1 };
  }

  const counted = {}; // pieces by "k h"
  function pieces(k, h) {
    const key = `${k} ${h}`;
    return counted[key] || (counted[key] = curve(k, h).pieces);
  }

  /** The heights a slider gives: from lo to hi in steps of `step`, as hundredths say (per
   * steps to 1): height i is i / per, the double nearest it, as Python writes 0.76. */
  function heights(data) {
    const per = Math.round(1 / data.step);
    const [lo, hi] = data.heights.map((v) => Math.round(v * per));
    return Array.from({ length: hi - lo + 1 }, (_, i) => (lo + i) / per);
  }

  /** The lowest of `grid` (heights, ascending) at which k folds give at least `least`
   * pieces (null if none does). */
  function lowest(grid, k, least) {
    const found = grid.find((h) => pieces(k, h) >= least);
    return found === undefined ? null : found;
  }

  const model = {
    GOAL,
    trace,
    points,
    curve,
    pieces,
    heights,
    lowest,
    /** The neurons of each network that computes the function exactly: the chapter's deep
     * ones, 2 ReLUs a fold strictly layered and 1 with skip connections, at any height (a
     * lower tent only scales their weights); one hidden layer, a ReLU for each linear piece
     * (each ReLU bends the line once, and the first piece's slope takes one more, or none
     * if the read-out also reads x): 2ᵏ and 2ᵏ − 1 at height 1. */
    neurons(k, n) {
      return { layered: 2 * k, skip: k, wide: n, wideSkip: n - 1 };
    },
    /** The challenge's conditions: GOAL.folds folds, at least GOAL.pieces pieces, and no
     * lower height of the grid giving as many with that many folds. */
    challenge(grid, k, h) {
      const folds = k === GOAL.folds;
      const enough = pieces(k, h) >= GOAL.pieces;
      const low = folds && enough && lowest(grid, k, GOAL.pieces) === h;
      const checks = { folds, enough, lowest: low };
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
        "Fold the line: on [0, 1] the tent map h·t rises from 0 to h and falls back to 0, " +
        "and each fold applies it once more. At height 1 every fold doubles the linear " +
        "pieces. Add folds and watch them double; then lower the tent and watch fewer " +
        "pieces split at each fold.",
      note:
        "The line: h·t applied k times, over x from 0 to 1. Orange: its kinks, as ticks under " +
        "the axis, and as dots on the line while there are at most 32 pieces. Dashed: the " +
        "level ½, the value at which the next fold turns. A piece splits in two at the next " +
        "fold only if its values cross ½: at height 1 every piece's values run from 0 to 1; " +
        "below a height of 1 some pieces lie wholly on one side of ½ and do not split at " +
        "the next fold.",
      folds: "Folds k",
      height: "Height h",
      plot:
        "The line after {folds} at height {h}, over x from 0 to 1: {pieces}, {kinks}; " +
        "values from 0 to {top}, {ends}.",
      foldsN: "{n} folds",
      fold: "1 fold",
      piecesN: "{n} linear pieces",
      piece: "1 linear piece",
      kinks: "{n} kinks",
      kink: "1 kink",
      none: "no kink",
      ends: "{y0} at x = 0 and {y1} at x = 1",
      history: "Pieces after each fold, from 0 folds: {list}",
      pieces: "Linear pieces",
      full: "At height 1 (2ᵏ)",
      layered: "Deep, strict layers",
      skip: "Deep, with skip connections",
      wide: "One hidden layer",
      wideSkip: "One layer, with a skip",
      relus: "{n} ReLUs",
      relu: "1 ReLU",
      depth:
        "How many neurons each network uses to compute this function exactly. The deep " +
        "ones are the chapter's: two ReLUs a fold, or one with skip connections. Below " +
        "height 1 they keep the same neurons; only their weights shrink, from 2 and −4 to 2h " +
        "and −4h. One hidden layer uses a ReLU for each piece, or one fewer with a skip (its " +
        "read-out also reads x): at height 1 that is 2ᵏ or 2ᵏ − 1, the fewest possible (the " +
        "chapter proves it); below it, fewer, as the pieces are fewer.",
      challenge:
        "Challenge: with 8 folds, find the lowest height that still gives at least 100 " +
        "pieces.",
      foldsOk: "8 folds",
      enough: "at least 100 pieces",
      lowestOk: "no lower height gives 100",
      done:
        "Done! At height {h}, 8 folds give {n} pieces; at {below}, only {m}: a piece " +
        "splits only where its values cross ½, and the lower the tent, the fewer pieces " +
        "cross ½, fold after fold.",
      yes: "(met)",
      no: "(not met)",
    },
    zh: {
      intro:
        "把数轴对折：帐篷映射 h·t 在 [0, 1] 上从 0 升到 h，再降回 0；每对折一次，就把它再作用" +
        "一次。高度为 1 时，每次对折都让线性段翻倍。增加对折次数，看线性段翻倍；再把帐篷调低，" +
        "看每次能分裂的线性段变少。",
      note:
        "曲线：h·t 作用 k 次后的函数，x 从 0 到 1。橙色：它的折点，在横轴下方标成刻度；线性段" +
        "不超过 32 个时，还在曲线上画成圆点。虚线：高度 ½，下一次对折就在这个值处转向。一个线性" +
        "段只有取值跨过 ½，下一次对折时才会一分为二：高度为 1 时，每个线性段的取值都从 0 到 1；" +
        "高度低于 1 时，有些线性段的取值整段落在 ½ 的一侧，下一次对折时不会分裂。",
      folds: "对折次数 k",
      height: "高度 h",
      plot:
        "对折 {folds}、高度为 {h} 时的曲线，x 从 0 到 1：{pieces}，{kinks}；取值从 0 到 " +
        "{top}，{ends}。",
      foldsN: "{n} 次",
      fold: "1 次",
      piecesN: "{n} 个线性段",
      piece: "1 个线性段",
      kinks: "{n} 个折点",
      kink: "1 个折点",
      none: "没有折点",
      ends: "x = 0 处为 {y0}，x = 1 处为 {y1}",
      history: "从 0 次起，每次对折后的线性段数：{list}",
      pieces: "线性段",
      full: "高度为 1 时（2ᵏ）",
      layered: "深层网络，严格分层",
      skip: "深层网络，带跳跃连接",
      wide: "单隐藏层",
      wideSkip: "单隐藏层，带跳跃连接",
      relus: "{n} 个 ReLU",
      relu: "1 个 ReLU",
      depth:
        "各网络精确算出这个函数用到的神经元个数。深层网络是本章的构造：每次对折用两个 ReLU，" +
        "带跳跃连接时用一个。高度低于 1 时，它们的神经元不变，只是权重从 2 和 −4 缩小为 2h 和 " +
        "−4h。单隐藏层网络每个线性段用一个 ReLU；带跳跃连接（读出层也直接读 x）时少用一个：" +
        "高度为 1 时分别是 2ᵏ 和 2ᵏ − 1 个，这已是最少（本章给出了证明）；高度低于 1 时线性段变少，" +
        "用到的 ReLU 也随之变少。",
      challenge: "挑战：对折 8 次，找出仍能得到至少 100 个线性段的最低高度。",
      foldsOk: "对折 8 次",
      enough: "至少 100 个线性段",
      lowestOk: "更低的高度都达不到 100 个",
      done:
        "完成！高度为 {h} 时，对折 8 次得到 {n} 个线性段；高度为 {below} 时只有 {m} 个：线性段" +
        "只在取值跨过 ½ 的地方分裂，帐篷越低，一次次对折下来，能跨过 ½ 的线性段就越少。",
      yes: "（已满足）",
      no: "（未满足）",
    },
  };
  // the line and the kinks as the chapter's figures draw them (Okabe and Ito's blue and
  // orange), lighter in the dark scheme: each 3:1 or more on the page's background
  const COLOURS = {
    light: { line: "#0072b2", kink: "#d55e00" },
    dark: { line: "#56b4e9", kink: "#e69f00" },
  };
  const MARGIN = { left: 26, right: 10, top: 10, bottom: 26 }; // CSS pixels around [0, 1]²
  const TICK = 6; // a kink's tick under the axis, CSS pixels

  TinyNets.widget("depth", (element, data, ui) => {
    const text = ui.strings(TEXT);
    const zh = ui.lang === "zh";
    const [colon, semicolon, stop, comma] = zh ? ["：", "；", "。", "、"] : [": ", "; ", ". ", ", "];
    const grid = heights(data);
    const step = data.step;
    const digits = Math.max(0, Math.round(-Math.log10(step))); // 0.01: 2 decimals
    const KEYS = ["pieces", "full", "layered", "skip", "wide", "wideSkip"];
    const [foldsId, heightId] = [ui.id("d"), ui.id("d")];
    const root = document.createElement("div");
    root.className = "tn-widget-ui";
    const slider = (id, key, attributes) =>
      `<label for="${id}">${text(key)}</label><div class="tn-slider"><input id="${id}" ` +
      `type="range" ${attributes}></div><div class="tn-value"><span></span></div>`;
    root.innerHTML =
      `<p>${text("intro")}</p><p class="tn-note">${text("note")}</p><div class="tn-controls">` +
      slider(foldsId, "folds", `min="0" max="${data.max_folds}" step="1" value="1"`) +
      slider(
        heightId,
        "height",
        `min="${data.heights[0]}" max="${data.heights[1]}" step="${step}" ` +
          `value="${data.heights[1]}"`,
      ) +
      `</div><canvas role="img" style="display:block;width:100%;aspect-ratio:1.8;` +
      `contain:strict"></canvas><p class="tn-note"><span style="display:block;contain:strict">` +
      `</span></p>` +
      `<dl class="tn-readouts">` +
      KEYS.map((key) => `<div><dt>${text(key)}</dt><dd data-readout="${key}"></dd></div>`).join(
        "",
      ) +
      `</dl><p class="tn-note">${text("depth")}</p><div class="tn-challenge">` +
      `<p>${text("challenge")}</p>` +
      ui.checklist(
        ["foldsOk", "enough", "lowestOk"].map((c) => text(c)),
        text("yes"),
        text("no"),
      ) +
      `<p class="tn-done" hidden></p></div><span hidden></span>`;
    element.append(root);
    const $ = (s) => root.querySelector(s);
    const [foldsInput, heightInput] = [foldsId, heightId].map((id) => $(`#${id}`));
    const [foldsShown, heightShown] = [...root.querySelectorAll(".tn-value > span")];
    const canvas = $("canvas");
    const context = canvas.getContext("2d");
    const history = $("canvas + p > span");
    const dds = root.querySelectorAll("dd");
    const items = root.querySelectorAll(".tn-checks li");
    const done = $(".tn-done");
    const probe = root.lastChild;
    const say = ui.announcer(root);
    const font = `12px ${getComputedStyle(root).fontFamily}`;
    const per = Math.round(1 / step);
    let frame = 0;
    let telling = false;
    let saidMet = false;
    let fitted = -1; // the width at which the counts' box was last fitted

    /** The counts fold by fold sit in a box as tall as the longest list (10 folds at height
     * 1) needs at this width: nothing below it moves as they change. Measured again when
     * the width changes. */
    function fitHistory() {
      if (history.clientWidth === fitted) return;
      fitted = history.clientWidth;
      const longest = Array.from({ length: data.max_folds + 1 }, (_, j) => ui.number(2 ** j, 0));
      history.textContent = text("history", { list: longest.join(comma) });
      history.style.height = "0";
      history.style.height = `${history.scrollHeight}px`;
    }

    /** A colour of the theme, as the canvas takes it: `value` is a CSS colour. */
    function colour(value) {
      probe.style.color = value;
      return getComputedStyle(probe).color;
    }
    /** The height the slider shows, as the grid holds it (0.76, not 0.7600000000000001). */
    const height = () => Math.round(+heightInput.value * per) / per;
    const count = (n, one, many) => (n === 1 ? text(one) : text(many, { n: ui.number(n, 0) }));

    /** The function drawn over [0, 1]², in CSS pixels (the canvas holds the screen's). */
    function plot(shape, scheme) {
      const ratio = window.devicePixelRatio || 1;
      const [width, tall] = [canvas.clientWidth, canvas.clientHeight];
      const [w, hgt] = [Math.round(width * ratio), Math.round(tall * ratio)];
      if (canvas.width !== w) canvas.width = w;
      if (canvas.height !== hgt) canvas.height = hgt;
      context.setTransform(w / width || 1, 0, 0, hgt / tall || 1, 0, 0);
      const [x0, x1] = [MARGIN.left, width - MARGIN.right];
      const [y0, y1] = [tall - MARGIN.bottom, MARGIN.top];
      const px = (x) => x0 + x * (x1 - x0);
      const py = (y) => y0 + y * (y1 - y0);
      const colours = COLOURS[scheme];
      const [fg, faint] = ["var(--md-default-fg-color)", "var(--md-default-fg-color--lighter)"];
      context.fillStyle = colour("var(--md-default-bg-color)");
      context.fillRect(0, 0, width, tall);
      // the frame of [0, 1]², the level ½ dashed, and the axes' numbers
      context.lineWidth = 1;
      context.strokeStyle = colour(faint);
      context.strokeRect(px(0), py(1), px(1) - px(0), py(0) - py(1));
      context.beginPath();
      context.moveTo(px(0.5), py(0));
      context.lineTo(px(0.5), py(1));
      context.stroke();
      context.strokeStyle = colour(fg);
      context.setLineDash([4, 3]);
      context.beginPath();
      context.moveTo(px(0), py(0.5));
      context.lineTo(px(1), py(0.5));
      context.stroke();
      context.setLineDash([]);
      context.fillStyle = colour(fg);
      context.font = font;
      context.textAlign = "center";
      context.textBaseline = "top";
      [0, 0.5, 1].forEach((v, i) => context.fillText(["0", "½", "1"][i], px(v), py(0) + TICK + 3));
      context.textAlign = "right";
      context.textBaseline = "middle";
      [0, 0.5, 1].forEach((v, i) => context.fillText(["0", "½", "1"][i], px(0) - 5, py(v)));
      // the line, through its kinks
      const { xs, ys, kinks } = shape;
      context.strokeStyle = colours.line;
      context.lineWidth = kinks.length < 64 ? 2 : 1; // finer when the teeth are narrow
      context.lineJoin = "round";
      context.beginPath();
      xs.forEach((x, j) => context[j ? "lineTo" : "moveTo"](px(x), py(ys[j])));
      context.stroke();
      // its kinks: a tick under the axis for each, and dots while they are few enough
      context.strokeStyle = context.fillStyle = colours.kink;
      context.lineWidth = 1.5;
      context.beginPath();
      kinks.forEach((j) => {
        context.moveTo(px(xs[j]), py(0) + 1);
        context.lineTo(px(xs[j]), py(0) + TICK);
      });
      context.stroke();
      if (kinks.length < DOTS) {
        kinks.forEach((j) => {
          context.beginPath();
          context.arc(px(xs[j]), py(ys[j]), 3.5, 0, 2 * Math.PI);
          context.fill();
        });
      }
    }

    function draw() {
      frame = 0;
      const k = +foldsInput.value;
      const h = height();
      const shape = curve(k, h);
      const n = shape.pieces;
      const scheme = document.body.getAttribute("data-md-color-scheme") === "slate";
      plot(shape, scheme ? "dark" : "light");
      const hShown = ui.number(h, digits);
      ui.text(foldsShown, String(k));
      ui.attribute(foldsInput, "aria-valuetext", String(k));
      ui.text(heightShown, hShown);
      ui.attribute(heightInput, "aria-valuetext", hShown);
      const end = (y) => ui.significant(y + 0, 3); // 0 at both ends, but x itself at 1
      const kinks = shape.kinks.length;
      const words = {
        folds: count(k, "fold", "foldsN"),
        h: hShown,
        pieces: count(n, "piece", "piecesN"),
        kinks: kinks ? count(kinks, "kink", "kinks") : text("none"),
        top: ui.significant(Math.max(...shape.ys), 3),
        ends: text("ends", { y0: end(shape.ys[0]), y1: end(shape.ys[shape.ys.length - 1]) }),
      };
      ui.attribute(canvas, "aria-label", text("plot", words));
      fitHistory();
      const list = Array.from({ length: k + 1 }, (_, j) => ui.number(pieces(j, h), 0));
      ui.text(history, text("history", { list: list.join(comma) }));
      ui.attribute(history, "data-value", JSON.stringify(list.map((_, j) => pieces(j, h))));
      const need = model.neurons(k, n);
      const values = [n, 2 ** k, need.layered, need.skip, need.wide, need.wideSkip];
      const shown = values.map((v, i) => (i < 2 ? ui.number(v, 0) : count(v, "relu", "relus")));
      dds.forEach((dd, i) => {
        ui.text(dd, shown[i]);
        ui.attribute(dd, "data-value", values[i]);
      });
      const verdict = model.challenge(grid, k, h);
      ["folds", "enough", "lowest"].forEach((name, i) => {
        if (items[i].classList.contains("tn-met") !== verdict[name]) {
          items[i].classList.toggle("tn-met", verdict[name]);
        }
      });
      if (verdict.met) {
        const below = grid[grid.indexOf(h) - 1];
        const fill = { h: hShown, n: ui.number(n, 0), below: ui.number(below, digits) };
        fill.m = ui.number(pieces(k, below), 0);
        ui.text(done, text("done", fill));
      }
      if (done.hidden === verdict.met) done.hidden = !verdict.met;
      if (telling) {
        const names = [...root.querySelectorAll("dt")].map((dt) => dt.textContent);
        const said = [`${text("folds")} = ${k}`, `${text("height")} = ${hShown}`];
        said.push(...names.map((name, i) => `${name}${colon}${shown[i]}`));
        const all = said.join(semicolon);
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

    [foldsInput, heightInput].forEach((input) => {
      input.addEventListener("input", schedule);
      input.addEventListener("change", announce);
    });
    // the scheme toggle changes the theme's colours: draw again with the new ones
    new MutationObserver(schedule).observe(document.body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme"],
    });
    // a new width changes the canvas's pixels and the lines the counts take: drawn again in
    // the frame that lays it out, before it is painted
    if ("ResizeObserver" in window) new ResizeObserver(() => draw()).observe(canvas);
    draw();
  });
})();
