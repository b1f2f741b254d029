// Review drafts save by themselves a few seconds after a change (the buttons work without
// JavaScript). A draft save never submits the review.
(function () {
  "use strict";
  var form = document.querySelector("form.review-form");
  if (!form) { return; }
  var version = form.querySelector('input[name="version"]');
  var status = form.querySelector(".save-status");
  var timer = null;
  function send() {
    var data = new FormData(form);
    data.set("submit", "0");
    fetch(window.location.pathname, {
      method: "POST", credentials: "same-origin", body: data,
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) { status.textContent = "Not saved — use Save draft"; return null; }
      return response.json().then(function (body) {
        if (response.ok) { version.value = body.version; status.textContent = "Draft saved " + body.saved_at + " UTC"; }
        else { status.textContent = "Not saved — " + body.error; }
      });
    }).catch(function () { status.textContent = "Not saved — retrying"; schedule(); });
  }
  function schedule() { window.clearTimeout(timer); timer = window.setTimeout(send, 4000); }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () { window.clearTimeout(timer); });
})();
