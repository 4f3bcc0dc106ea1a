// The page shell with JavaScript: the menu's <details> stays open for good and Bootstrap's
// collapse (the button beside the brand) folds and unfolds it below 1 200 px. Without
// JavaScript this file does not run, and the <details> element's own summary opens the menu.
(function () {
  "use strict";
  var menu = document.getElementById("main-nav");
  if (menu && menu.tagName === "DETAILS") {
    menu.open = true;
    menu.classList.add("nav-menu-enhanced");
  }
})();
