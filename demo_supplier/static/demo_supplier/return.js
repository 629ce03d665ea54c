/* The demo supplier's return page posts the cart back to the buyer's system at once; its
   button stays for a browser without scripts. The form's own submit(), even where a field is
   named "submit". */
(function () {
  "use strict";
  var form = document.getElementById("return-form");
  if (form) {
    HTMLFormElement.prototype.submit.call(form);
  }
})();
