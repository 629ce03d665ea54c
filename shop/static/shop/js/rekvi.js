/* Rekvi: start the design system's components (menus, accordions, ...). No inline scripts. */
(function () {
  "use strict";
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
})();
