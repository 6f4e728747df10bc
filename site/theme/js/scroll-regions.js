// A table or code block wider than a phone scrolls inside its own box (site.css). A box that
// scrolls must be reachable from the keyboard (WCAG 2.1.1), so each one that overflows joins the
// tab order (keeping its own role: a table stays a table); one that fits stays out of it. Runs
// again when the width changes.
(function () {
  function mark() {
    document.querySelectorAll("main table, main pre").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
