// Autosave for case sections. Without JavaScript each part saves with its button.
// With it: a save goes a few seconds after typing stops, as JSON with the version it started
// from; the browser keeps an unsaved copy (localStorage) until the server confirms it.
// If someone else saved first (409), the form is posted normally and the server shows
// both texts side by side.
(function () {
  "use strict";
  var DELAY = 3000;
  var csrf = document.querySelector('input[name="csrf_token"]');
  function store(form) { return "coproduce:case:" + form.dataset.case + ":" + form.dataset.key; }
  document.querySelectorAll("form.section-form").forEach(function (form) {
    var area = form.querySelector("textarea");
    var version = form.querySelector('input[name="version"]');
    var status = form.querySelector(".save-status");
    var told = form.querySelector('select[name="told_by"]');
    var timer = null, retry = 0, sending = false, waiting = false;
    function release() {
      sending = false;
      if (waiting) { waiting = false; form.submit(); }
    }
    var kept = null;
    try { kept = JSON.parse(window.localStorage.getItem(store(form)) || "null"); } catch (e) { kept = null; }
    if (kept && kept.version === Number(version.value) && kept.text !== area.value) {
      area.value = kept.text;
      status.textContent = "Unsaved text from this browser was put back — saving…";
      schedule(500);
    }
    function remember() {
      try {
        window.localStorage.setItem(store(form), JSON.stringify({ text: area.value, version: Number(version.value) }));
      } catch (e) { /* private mode or full: the server save still runs */ }
    }
    function schedule(ms) { window.clearTimeout(timer); timer = window.setTimeout(send, ms); }
    function send() {
      if (sending) { schedule(DELAY); return; }
      sending = true;
      var body = { text: area.value, version: Number(version.value), told_by: told ? told.value : null };
      fetch(form.action, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
        body: JSON.stringify(body)
      }).then(function (response) {
        if (response.status === 409) { waiting = false; form.submit(); return null; }
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || type.indexOf("application/json") !== 0) {
          // Signed out or the page's token expired: post the form so the server shows the
          // text again with a fresh token (nothing typed is lost).
          waiting = false;
          form.submit();
          return null;
        }
        return response.json().then(function (data) {
          if (response.ok) {
            version.value = data.version;
            retry = 0;
            if (area.value === body.text) { window.localStorage.removeItem(store(form)); }
            status.textContent = "Saved " + data.saved_at + " UTC" + (data.warning ? " — " + data.warning : "");
          } else {
            status.textContent = "Not saved — " + (data.error || "please use the Save button");
          }
        });
      }).then(release, function () {
        sending = false;
        retry = Math.min(retry + 1, 6);
        status.textContent = "Not saved — retrying";
        if (waiting) { waiting = false; form.submit(); return; }
        schedule(DELAY * retry);
      });
    }
    area.addEventListener("input", function () {
      remember();
      status.textContent = "Editing…";
      schedule(DELAY);
    });
    form.addEventListener("submit", function (event) {
      window.clearTimeout(timer);
      if (sending) {
        // An autosave is on its way: post once it has answered, with the version it got.
        event.preventDefault();
        waiting = true;
      }
    });
  });
})();
