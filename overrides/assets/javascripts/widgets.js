/* Tiny Nets widgets: the part every chapter's widget shares.
 *
 * A chapter's script registers itself with TinyNets.widget(page, start). Each block
 * <div class="tn-widget" data-widget="page"> of the page then starts when it first comes
 * near the screen: start(element, data, ui) gets the block, the experiment's data embedded
 * in it, and ui = { lang, reducedMotion, number(x, digits), percent(x, digits) } so that
 * numbers are written the way the page's language writes them. Until then (and without
 * JavaScript, and in print) the block shows its static figure. Plain JavaScript, no library,
 * nothing fetched. */
(function () {
  "use strict";
  const lang = document.documentElement.lang || "en";
  const ui = {
    lang,
    reducedMotion: window.matchMedia("(prefers-reduced-motion: reduce)").matches,
    number(x, digits) {
      if (!Number.isFinite(x)) return String(x);
      return new Intl.NumberFormat(lang, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(x);
    },
    percent(x, digits) {
      return new Intl.NumberFormat(lang, {
        style: "percent",
        minimumFractionDigits: digits || 0,
        maximumFractionDigits: digits || 0,
      }).format(x);
    },
  };

  function begin(element, start) {
    const data = JSON.parse(element.querySelector("script.tn-widget-data").textContent);
    element.classList.add("tn-widget--live");
    start(element, data, ui);
  }

  window.TinyNets = window.TinyNets || {};
  window.TinyNets.widget = function (page, start) {
    document.querySelectorAll('.tn-widget[data-widget="' + page + '"]').forEach((element) => {
      if (!("IntersectionObserver" in window)) return begin(element, start);
      const observer = new IntersectionObserver(
        (entries) => {
          if (entries.some((entry) => entry.isIntersecting)) {
            observer.disconnect();
            begin(element, start);
          }
        },
        { rootMargin: "300px 0px" },
      );
      observer.observe(element);
    });
  };
})();
