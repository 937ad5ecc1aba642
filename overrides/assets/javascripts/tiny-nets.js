/* Tiny Nets, on every page (no library, nothing from another host):
   - "Copy with the code it needs": a code block that continues earlier ones is copied
     together with them, in order (the build marks them: site_tools/continuation.py);
   - a region that scrolls sideways (a wide table, formula or code block) can take the
     keyboard's focus, so that it can be scrolled without a mouse;
   - a link to a heading lands on it, whatever the browser skipped laying out above it. */
(function () {
  "use strict";

  var JOIN = "\n\n\n"; /* two blank lines between blocks, as continuation.py says */

  function blockCode(index) {
    var code = document.querySelector('[data-tn-block="' + index + '"] pre > code');
    return code ? code.textContent.replace(/\n+$/, "") : "";
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var copied = document.execCommand("copy");
      document.body.removeChild(area);
      (copied ? resolve : reject)();
    });
  }

  document.querySelectorAll("button.tn-cont__copy").forEach(function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var parts = [];
      for (var i = +button.dataset.tnFrom; i <= +button.dataset.tnTo; i++) {
        parts.push(blockCode(i));
      }
      copyText(parts.join(JOIN) + "\n").then(function () {
        button.textContent = button.dataset.tnDone;
        setTimeout(function () { button.textContent = label; }, 2500);
      });
    });
  });

  var SCROLLERS = [
    ".md-typeset__scrollwrap",
    ".md-typeset__table",
    ".md-typeset div.arithmatex",
    ".md-typeset .katex-display",
    ".md-typeset pre > code",
    ".jp-OutputArea-output",
    ".jp-RenderedHTMLCommon table"
  ].join(",");

  /* A region is measured only once the browser lays it out: measuring one that
     content-visibility lets it skip would make it lay that out now, which is the work
     content-visibility saves a phone. */
  function laidOut(region) {
    return !region.checkVisibility || region.checkVisibility({ contentVisibilityAuto: true });
  }

  function focusable(root) {
    root = root || document;
    var regions = [].slice.call(root.querySelectorAll(SCROLLERS));
    if (root.matches && root.matches(SCROLLERS)) regions.push(root);
    regions.forEach(function (region) {
      if (!laidOut(region)) return;
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      if (scrolls && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("data-tn-scroll", "");
      } else if (!scrolls && region.hasAttribute("data-tn-scroll")) {
        region.removeAttribute("tabindex");
        region.removeAttribute("data-tn-scroll");
      }
    });
  }

  /* A link to a heading (an entry of the table of contents, an address with #id): the
     blocks above the heading that content-visibility lets the browser skip are laid out
     before the browser scrolls to it, so that it lands where the link puts it and stays
     there (a skipped block near the screen would otherwise swap its guessed height for its
     real one and push the heading down). The blocks below it stay skipped; going back and
     forward, and reloading, leave the browser's own scroll position alone. */
  var BLOCKS = ".md-typeset > *, .jp-Notebook > *, .jp-RenderedMarkdown > *";

  function layOutAbove(id) {
    var target = id && document.getElementById(id);
    if (!target) return;
    [].forEach.call(document.querySelectorAll(BLOCKS), function (block) {
      var above = block.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING;
      if (above && getComputedStyle(block).contentVisibility === "auto") {
        block.style.contentVisibility = "visible";
      }
    });
  }

  function idOf(hash) {
    try {
      return decodeURIComponent(hash.slice(1));
    } catch (error) {
      return hash.slice(1); /* not a valid escape: an id written as it is */
    }
  }

  /* before the browser follows a link into this page (capture: before anything else) */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href*='#']");
    if (link && link.href.split("#")[0] === location.href.split("#")[0]) {
      layOutAbove(idOf(link.hash));
    }
  }, true);
  /* a page opened at a heading: the browser scrolls to it once the page is loaded */
  var visit = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
  if (location.hash && !(visit && /reload|back_forward/.test(visit.type))) {
    layOutAbove(idOf(location.hash));
  }

  var pending = 0;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { focusable(); }, 150);
  });
  /* a block the browser skipped is measured when it comes to be laid out */
  document.addEventListener("contentvisibilityautostatechange", function (event) {
    if (!event.skipped && event.target.querySelectorAll) focusable(event.target);
  }, true);
  /* after the page has loaded, when the browser is idle: never in a reader's way */
  window.addEventListener("load", function () {
    (window.requestIdleCallback || setTimeout)(function () { focusable(); });
  });
})();
