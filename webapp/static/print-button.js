// A "Print" button where a page is worth printing (case, feedback, report). It exists only
// with JavaScript; without it the browser's own Print command does the same.
document.addEventListener("DOMContentLoaded", function () {
  var buttons = document.querySelectorAll("button[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { window.print(); });
  }
});
