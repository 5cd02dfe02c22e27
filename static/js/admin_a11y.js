// Django's filter_horizontal widget (SelectFilter2.js) draws its search icon as a <span aria-label>, which
// ARIA forbids on an element without a role (axe-core aria-prohibited-attr). Give such icons role="img",
// also when the widget draws them after this script has run.
(function () {
  "use strict";
  function fix() {
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    fix();
    new MutationObserver(fix).observe(document.body, { childList: true, subtree: true });
  });
})();
