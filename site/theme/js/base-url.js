// The search script expects a global `base_url`; it is passed as a data
// attribute so the site needs no inline script (CSP script-src 'self').
var base_url = document.currentScript.getAttribute("data-base-url") || ".";
