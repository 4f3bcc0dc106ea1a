// The item list's check boxes (templates/items/list.html): "Select all on this page" ticks every
// item's box, and unticking one item unticks it again. Without JavaScript the page works as well:
// the server then reads "all on this page" from the box itself. An item has a box in the table
// and one in the narrow screen's cards; both follow each other.
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) {
    return;
  }
  var all = document.getElementById("select-all");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[data-bulk-item]"));
  all.addEventListener("change", function () {
    boxes.forEach(function (box) {
      box.checked = all.checked;
    });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      boxes.forEach(function (other) {
        if (other !== box && other.value === box.value) {
          other.checked = box.checked;
        }
      });
      if (!box.checked) {
        all.checked = false;
      }
    });
  });
})();
