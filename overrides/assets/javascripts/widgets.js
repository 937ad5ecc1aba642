/* Tiny Nets widgets: the part every chapter's widget shares.
 *
 * A chapter's own script is fetched only when its block, <div class="tn-widget"
 * data-widget="page" data-script="its address">, first comes near the screen: a reader who
 * never scrolls there never loads it, and nothing of it runs while the page first draws.
 * The script registers itself with TinyNets.widget(page, start), and the block starts
 * when it comes nearer still: start(element, data, ui) gets the block, the experiment's
 * data embedded in it, and `ui`, below: the page's language, its strings, numbers written
 * the way that language writes them, a polite announcer for screen readers, the reader's
 * motion setting.
 * Until then (and without JavaScript, and in print) the block shows its static figure.
 * Plain JavaScript, no library, nothing fetched. */
(function () {
  "use strict";
  const lang = document.documentElement.lang || "en";
  const formats = {};
  function format(options) {
    const key = JSON.stringify(options);
    return formats[key] || (formats[key] = new Intl.NumberFormat(lang, options));
  }
  const SUPERSCRIPT = { "-": "\u207b", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3" };
  "456789".split("").forEach((d) => (SUPERSCRIPT[d] = String.fromCharCode(0x2070 + +d)));
  let ids = 0;

  const ui = {
    lang,
    reducedMotion: window.matchMedia("(prefers-reduced-motion: reduce)").matches,
    /** x with `digits` decimals. */
    number(x, digits) {
      if (!Number.isFinite(x)) return String(x);
      return format({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
    },
    /** x with `digits` significant digits; as m × 10ⁿ when |x| < 0.001 or |x| ≥ 10⁶. */
    significant(x, digits) {
      if (!Number.isFinite(x)) return String(x);
      const size = Math.abs(x);
      if (size === 0 || (size >= 1e-3 && size < 1e6)) {
        return format({ maximumSignificantDigits: digits }).format(x);
      }
      const [mantissa, exponent] = x.toExponential(digits - 1).split("e");
      const power = String(+exponent).replace(/./g, (c) => SUPERSCRIPT[c]);
      return `${format({ maximumSignificantDigits: digits }).format(+mantissa)} × 10${power}`;
    },
    percent(x, digits) {
      return format({ style: "percent", maximumFractionDigits: digits || 0 }).format(x);
    },
    /** The strings of the page's language from { en: {...}, zh: {...} } (English if the
     * table lacks the language); text(key, values) fills in "{name}" from values. */
    strings(table) {
      const chosen = table[lang] || table.en;
      return (key, values) =>
        chosen[key].replace(/\{(\w+)\}/g, (_, name) => (values || {})[name]);
    },
    /** Writes `value` as the text of `node` only if it differs from what it shows, into the
     * text node it already has: a write costs a new layout of the node's box (of the whole
     * page, unless the box is contained), and replacing a text node costs more than
     * changing it. Returns whether it wrote. */
    text(node, value) {
      const first = node.firstChild;
      if (first && first === node.lastChild && first.nodeType === Node.TEXT_NODE) {
        return first.data !== value && ((first.data = value), true);
      }
      return node.textContent !== value && ((node.textContent = value), true);
    },
    /** Sets an attribute only if its value changes (a write invalidates even an equal value). */
    attribute(node, name, value) {
      const text = String(value);
      return node.getAttribute(name) !== text && (node.setAttribute(name, text), true);
    },
    /** A challenge's checklist, as HTML: an item for each condition, with its mark and, for
     * screen readers, both `yes` and `no` (widgets.css shows the one that holds). No space
     * before them in Chinese, whose brackets are full-width. */
    checklist(conditions, yes, no) {
      const words =
        `<span class="tn-sr"><span class="tn-yes">${yes}</span>` +
        `<span class="tn-no">${no}</span></span>`;
      const gap = lang === "zh" ? "" : " ";
      const item = (condition) =>
        `<li><span class="tn-mark"></span>${condition}${gap}${words}</li>`;
      return `<ul class="tn-checks">${conditions.map(item).join("")}</ul>`;
    },
    /** An id no other element of the page has. */
    id(name) {
      ids += 1;
      return `tn-${name}-${ids}`;
    },
    /** A function that says a text to screen readers, politely, once the calls stop for
     * `pause` ms: a drag is announced where it rests, not at every pixel. */
    announcer(parent, pause) {
      const region = document.createElement("p");
      region.className = "tn-sr";
      region.setAttribute("aria-live", "polite");
      parent.append(region);
      let timer = 0;
      return (text) => {
        clearTimeout(timer);
        timer = setTimeout(() => (region.textContent = text), pause === undefined ? 400 : pause);
      };
    },
  };

  function begin(element, start) {
    const data = JSON.parse(element.querySelector("script.tn-widget-data").textContent);
    // A block that ends above what the reader sees (under the header: a link brought the
    // heading after it to the top, or the reader scrolls up towards it) keeps what follows
    // it in place as it grows: the browser would anchor on its static figure, which goes.
    const header = document.querySelector("header");
    const seen = header ? header.getBoundingClientRect().bottom : 0;
    const end = element.getBoundingClientRect().bottom;
    element.classList.add("tn-widget--live");
    start(element, data, ui);
    if (end <= seen) scrollBy({ top: element.getBoundingClientRect().bottom - end, behavior: "instant" });
  }

  window.TinyNets = window.TinyNets || {};
  window.TinyNets.widget = function (page, start) {
    document.querySelectorAll('.tn-widget[data-widget="' + page + '"]').forEach((element) => {
      whenNear(element, "300px", () => begin(element, start));
    });
  };

  /** Calls `act` once, when `element` first comes within `margin` of the screen. */
  function whenNear(element, margin, act) {
    if (!("IntersectionObserver" in window)) return act();
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        act();
      }
    }, { rootMargin: `${margin} 0px` });
    observer.observe(element);
  }

  // This file is deferred: the page is parsed, its widget blocks are there.
  document.querySelectorAll(".tn-widget[data-script]").forEach((element) => {
    whenNear(element, "1000px", () => {
      const script = document.createElement("script");
      script.src = element.dataset.script;
      document.body.append(script);
    });
  });
})();
