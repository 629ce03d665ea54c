/* Rekvi: start the design system's components (menus, accordions, ...). No inline scripts. */
(function () {
  "use strict";
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
  /* A form marked data-autosubmit posts itself (the OCI punch-out start); its button stays
     for a browser without scripts. */
  var auto = document.querySelector("form[data-autosubmit]");
  if (auto) {
    auto.submit();
  }
  /* A link marked data-autofollow is opened at once (the cXML punch-out start: a page, not a
     redirect, so that no form-action rule stands between a form and a supplier's shop). */
  var follow = document.querySelector("a[data-autofollow]");
  if (follow) {
    window.location.replace(follow.href);
  }
})();
