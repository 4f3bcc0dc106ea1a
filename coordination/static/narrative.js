// The narrative sections of a country report: the "Find" of a section's action items answers
// in place, as the words are typed, instead of reloading the page. Without this script the
// Find button posts the form and the page comes back with the items found (nothing saved).
(function () {
  "use strict";

  function setUp(form) {
    var input = form.querySelector(".narrative-find");
    var button = form.querySelector(".narrative-find-button");
    var found = form.querySelector(".narrative-found");
    var chosen = form.querySelector(".narrative-chosen");
    if (!input || !button || !found || !chosen || !window.fetch) {
      return;
    }
    var timer = null;
    var pending = null;

    // Items ticked among those found join the linked ones, so that a new search keeps them.
    function keepTicked() {
      found.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
        chosen.appendChild(box.closest("li"));
      });
    }

    function search() {
      var words = input.value.trim();
      keepTicked();
      if (!words) {
        found.textContent = "";
        return;
      }
      var selected = [];
      chosen.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        selected.push(box.value);
      });
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var url = form.dataset.findUrl + "?q=" + encodeURIComponent(words) +
        "&selected=" + encodeURIComponent(selected.join(","));
      found.setAttribute("aria-busy", "true");
      fetch(url, {credentials: "same-origin", signal: pending.signal, headers: {"Accept": "text/html"}})
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          found.innerHTML = html;  // our own page part, escaped by the server's templates
          found.removeAttribute("aria-busy");
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            found.textContent = "The search did not answer: press Find to try again.";
            found.removeAttribute("aria-busy");
          }
        });
    }

    button.addEventListener("click", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      search();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        window.clearTimeout(timer);
        search();
      }
    });
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      if (input.value.trim().length >= 3 || input.value.trim() === "") {
        timer = window.setTimeout(search, 300);
      }
    });
  }

  document.querySelectorAll("form.narrative-form[data-find-url]").forEach(setUp);
}());
