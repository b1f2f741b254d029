// The deep-linking answer goes back to the learning platform as soon as the page loads
// (a file, not an inline script, so the page keeps its content security policy).
(function () {
  var form = document.getElementById("lti-return");
  if (form) { form.submit(); }
})();
