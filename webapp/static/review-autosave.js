// Review drafts save by themselves a few seconds after a change (the buttons work without
// JavaScript). A draft save never submits the review.
(function () {
  "use strict";
  var form = document.querySelector("form.review-form");
  if (!form) { return; }
  var version = form.querySelector('input[name="version"]');
  var status = form.querySelector(".save-status");
  var timer = null, inFlight = null, pendingSubmit = null;
  function send() {
    var data = new FormData(form);
    data.set("submit", "0");
    inFlight = fetch(window.location.pathname, {
      method: "POST", credentials: "same-origin", body: data,
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) { status.textContent = "Not saved — use Save draft"; return null; }
      return response.json().then(function (body) {
        if (response.ok) { version.value = body.version; status.textContent = "Draft saved " + body.saved_at + " UTC"; }
        else { status.textContent = "Not saved — " + body.error; }
      });
    }).catch(function () { status.textContent = "Not saved — retrying"; schedule(); })
      .then(function () {
        inFlight = null;
        if (pendingSubmit) { var button = pendingSubmit; pendingSubmit = null; button.click(); }
      });
  }
  function schedule() { window.clearTimeout(timer); timer = window.setTimeout(send, 4000); }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (inFlight) {
      // A draft save is on its way: submit once it has answered (with the new version).
      event.preventDefault();
      pendingSubmit = event.submitter || form.querySelector('button[name="submit"][value="1"]');
    }
  });
})();
