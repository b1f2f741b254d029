// Forms marked data-confirm ask before they post (removing someone, archiving, deleting).
// Without JavaScript the form still works; the page after it says what changed.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
