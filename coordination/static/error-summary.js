// The error summary of a form shown again (templates/reporting/_macros.html): focused when the
// page loads, where the browser did not do it for `autofocus`; a link of it moves the focus to
// its field and brings the field's label into view, as people expect of "go to the problem".
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }
  if (document.activeElement !== summary && !window.location.hash) {
    summary.focus();
  }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    var details = target.closest("details");
    if (details) {
      details.open = true;
    }
    var label = target.id ? document.querySelector("label[for='" + CSS.escape(target.id) + "']") : null;
    (label || target).scrollIntoView({block: "center"});
    if (typeof target.focus === "function") {
      if (!target.matches("input, select, textarea, button, a[href], [tabindex]")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus({preventScroll: true});
    }
    history.replaceState(null, "", link.getAttribute("href"));
  });
})();
