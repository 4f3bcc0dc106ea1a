// The comment box of an action item suggests colleagues to mention: typing @ and the start of
// a name or an e-mail address lists the people who may read the item (the server's JSON,
// data-people-url); up and down arrows choose, Enter or Tab writes "@address", Escape closes.
// Without this script the comment box is plain text, and a mention is typed in full.
(function () {
  "use strict";

  // What is typed right before the caret: "@" then the start of an address or a name.
  var TYPED = /(^|[^\w.+\-])@([^\s@]*(?:@[^\s@]*)?)$/;

  function setUp(form) {
    var box = form.querySelector("textarea");
    if (!box || !window.fetch || !form.dataset.peopleUrl) {
      return;
    }
    var list = document.createElement("ul");
    list.id = box.id + "-people";
    list.className = "list-group mention-list mt-1";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.dataset.peopleLabel || "");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", list.id);

    var people = [];
    var active = -1;
    var start = -1;
    var timer = null;
    var pending = null;

    function typed() {
      var before = box.value.slice(0, box.selectionStart);
      var match = TYPED.exec(before);
      if (!match) {
        return null;
      }
      start = before.length - match[2].length - 1;
      return match[2];
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      people = [];
      active = -1;
      box.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (option, n) {
        option.setAttribute("aria-selected", n === index ? "true" : "false");
        option.classList.toggle("active", n === index);
      });
      if (index >= 0) {
        box.setAttribute("aria-activedescendant", list.children[index].id);
      }
    }

    function choose(index) {
      var person = people[index];
      var before = box.value.slice(0, start);
      var after = box.value.slice(box.selectionStart);
      var written = "@" + person.email + " ";
      box.value = before + written + after;
      var caret = before.length + written.length;
      box.setSelectionRange(caret, caret);
      close();
      box.focus();
    }

    function show(found) {
      close();
      people = found;
      found.forEach(function (person, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.className = "list-group-item list-group-item-action";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = person.label + " ";
        var address = document.createElement("span");
        address.className = "small text-body-secondary";
        address.textContent = person.email;
        option.appendChild(address);
        // mousedown, not click: the box keeps its focus (and its caret) while one is picked.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        list.appendChild(option);
      });
      list.hidden = found.length === 0;
      status.textContent = (form.dataset.peopleFound || "").replace("{count}", String(found.length));
    }

    function look() {
      var words = typed();
      if (words === null) {
        close();
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      fetch(form.dataset.peopleUrl + "?q=" + encodeURIComponent(words),
            {credentials: "same-origin", signal: pending.signal, headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (body) {
          show(body.people || []);
        })
        .catch(function () {
          close();  // no suggestions: the mention is typed in full, as without this script
        });
    }

    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(look, 150);
    });
    box.addEventListener("keydown", function (event) {
      if (list.hidden || people.length === 0) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + people.length) % people.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    box.addEventListener("blur", function () {
      window.setTimeout(close, 200);
    });
  }

  document.querySelectorAll("form.mention-form").forEach(setUp);
})();
