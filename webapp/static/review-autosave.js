// Review drafts save by themselves a few seconds after a change (the buttons work without
// JavaScript). A draft save never submits the review.
(function () {
  "use strict";
  var form = document.querySelector("form.review-form");
  if (!form) { return; }
  var version = form.querySelector('input[name="version"]');
  var status = form.querySelector(".save-status");
  var timer = null, inFlight = null, pendingSubmit = null, retry = 0;
  var say = window.coproduceSay;  // page-words.js: the page's words, in its language
  function send() {
    var data = new FormData(form);
    data.set("submit", "0");
    inFlight = fetch(window.location.pathname, {
      method: "POST", credentials: "same-origin", body: data,
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || (response.status >= 400 && response.status < 500) ||
          (response.ok && type.indexOf("application/json") !== 0)) {
        // Refused (signed out, the page's token expired, or the review changed elsewhere):
        // post the draft as a normal form so the server's pages take over — sign in, then
        // the draft comes back ready to send again, or the refusal is explained.
        postDraft();
        return null;
      }
      if (!response.ok) { throw new Error("server " + response.status); }
      return response.json().then(function (body) {
        retry = 0;
        version.value = body.version;
        status.textContent = say("draft_saved", "Draft saved {time}", { time: body.saved_at });
      });
    }).catch(function () {
      // A server error or no connection: try again, waiting longer each time.
      retry = Math.min(retry + 1, 6);
      status.textContent = say("draft_retry", "Not saved yet — trying again in {seconds} s", { seconds: 4 * retry });
      schedule(4000 * retry);
    }).then(function () {
      inFlight = null;
      if (pendingSubmit) { var button = pendingSubmit; pendingSubmit = null; button.click(); }
    });
  }
  function postDraft() {
    pendingSubmit = null;
    inFlight = null;  // this post is the answer; let it through the submit handler
    window.clearTimeout(timer);
    var draft = form.querySelector('button[name="submit"][value="0"]');
    if (draft) { form.requestSubmit ? form.requestSubmit(draft) : draft.click(); } else { form.submit(); }
  }
  function schedule(ms) { window.clearTimeout(timer); timer = window.setTimeout(send, ms || 4000); }
  form.addEventListener("input", function () { schedule(); });
  form.addEventListener("change", function () { schedule(); });
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (inFlight) {
      // A draft save is on its way: submit once it has answered (with the new version).
      event.preventDefault();
      pendingSubmit = event.submitter || form.querySelector('button[name="submit"][value="1"]');
    }
  });
})();
