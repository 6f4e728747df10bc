"""axe-core (the real one, from axe-playwright-python) on a page in Chromium, with its
`color-contrast` rule run on one element of each text style rather than on every element.

`color-contrast` costs a background computation per element with text: on the rules page
(2,792 elements) it took 10-13 s of the page's 14-17 s at load 8. The contrast axe finds for an
element follows from its text's computed style (colour, size, weight, shadow, fill) and from the
backgrounds, opacities, filters and blend modes of it and its ancestors. STYLE_SAMPLE marks the
first element of each such style on the page, recomputed for every page and width, so a style
that appears only in row 900 of a long table is checked as surely as one in row 1. Form controls
are always checked. Not covered by the sample: text overlapped by a positioned element that is
not its ancestor; the site positions only the skip link (off-screen until focused), visually
hidden labels and its closed navigation menus, and the style key holds each ancestor's
`position` and `z-index`, so text inside a positioned box is its own style.
"""

from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT

SAMPLE_ATTRIBUTE = "data-axe-contrast-sample"

# Marks one element per text style with SAMPLE_ATTRIBUTE; returns how many elements have text.
STYLE_SAMPLE = """(attribute) => {
  const behind = new Map();
  const backdrop = (element) => {
    if (!element) return "";
    if (!behind.has(element)) {
      const s = getComputedStyle(element);
      const own = [s.backgroundColor, s.backgroundImage, s.opacity, s.filter, s.mixBlendMode,
        s.backdropFilter, s.position, s.zIndex, s.overflow, s.clipPath, s.visibility];
      behind.set(element, own.join(" ") + " > " + backdrop(element.parentElement));
    }
    return behind.get(element);
  };
  const seen = new Set();
  let withText = 0;
  for (const element of document.querySelectorAll("body *")) {
    const control = element.matches("input, select, textarea, button");
    const text = [...element.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
    if (!control && !text) continue;
    withText += 1;
    const s = getComputedStyle(element);
    const key = [element.tagName, s.color, s.fontSize, s.fontWeight, s.textShadow,
      s.webkitTextFillColor, s.webkitTextStrokeWidth, s.webkitTextStrokeColor, s.textIndent,
      backdrop(element)].join(" | ");
    if (control || !seen.has(key)) {
      seen.add(key);
      element.setAttribute(attribute, "");
    }
  }
  return withText;
}"""

RUN = """async (attribute) => {
  const sample = STYLE_SAMPLE;
  const options = {resultTypes: ["violations"]};
  const rest = await axe.run(document, {...options, rules: {"color-contrast": {enabled: false}}});
  const withText = sample(attribute);
  const marked = `[${attribute}]`;
  const contrast = document.querySelector(marked)
    ? await axe.run({include: [marked]}, {...options, runOnly: ["color-contrast"]})
    : {violations: []};
  const sampled = document.querySelectorAll(marked).length;
  document.querySelectorAll(marked).forEach((element) => element.removeAttribute(attribute));
  return {violations: [...rest.violations, ...contrast.violations], withText, sampled};
}""".replace("STYLE_SAMPLE", STYLE_SAMPLE)


def axe_results(page) -> dict:
    """{"violations": axe's violations, "withText": elements with text, "sampled": of them, the
    ones color-contrast checked} for the page as it is now."""
    page.evaluate(AXE_SCRIPT)
    return page.evaluate(RUN, SAMPLE_ATTRIBUTE)


def serious_violations(page) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line each."""
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"{[node['target'] for node in violation['nodes'][:3]]}"
        for violation in axe_results(page)["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
