// Autosave for case sections. Without JavaScript each part saves with its button.
// With it: a save goes a few seconds after typing stops, as JSON with the version it started
// from; the browser keeps an unsaved copy (localStorage) until the server confirms it.
// If someone else saved first (409), or the save is refused for any other reason (4xx: the
// sign-in ended, the page's token expired), the form is posted normally and the server's
// pages take over: both texts side by side, or sign in and send the text again. A server
// error (5xx) or a lost connection is retried with growing pauses; the browser's copy stays.
(function () {
  "use strict";
  var DELAY = 3000;
  var csrf = document.querySelector('input[name="csrf_token"]');
  var say = window.coproduceSay;  // page-words.js: the page's words, in its language
  function store(form) { return "coproduce:case:" + form.dataset.case + ":" + form.dataset.key; }
  document.querySelectorAll("form.section-form").forEach(function (form) {
    var area = form.querySelector("textarea");
    var version = form.querySelector('input[name="version"]');
    var status = form.querySelector(".save-status");
    var told = form.querySelector('select[name="told_by"]');
    var rewritten = form.querySelector('input[name="rewritten"]');
    var timer = null, retry = 0, sending = false, waiting = false;
    function release() {
      sending = false;
      if (waiting) { waiting = false; form.submit(); }
    }
    var kept = null;
    try { kept = JSON.parse(window.localStorage.getItem(store(form)) || "null"); } catch (e) { kept = null; }
    if (kept && kept.version === Number(version.value) && kept.text !== area.value) {
      area.value = kept.text;
      status.textContent = say("restored", "Unsaved text from this browser was put back — saving…");
      schedule(500);
    }
    function remember() {
      try {
        window.localStorage.setItem(store(form), JSON.stringify({ text: area.value, version: Number(version.value) }));
      } catch (e) { /* private mode or full: the server save still runs */ }
    }
    function fallBackToForm(response, type) {
      if (response.redirected || (response.ok && type.indexOf("application/json") !== 0)) { return true; }
      return response.status >= 400 && response.status < 500;
    }
    function schedule(ms) { window.clearTimeout(timer); timer = window.setTimeout(send, ms); }
    function send() {
      if (sending) { schedule(DELAY); return; }
      sending = true;
      var body = { text: area.value, version: Number(version.value), told_by: told ? told.value : null,
                   rewritten: rewritten ? rewritten.checked : false };
      fetch(form.action, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
        body: JSON.stringify(body)
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.status === 409 || fallBackToForm(response, type)) {
          // 409: someone else saved first; the server shows both texts side by side.
          // Any other refusal (signed out, the page's token expired, a problem with the
          // text): post the form so the server's pages take over — sign in, then the text
          // comes back ready to send again. Nothing typed is lost on the way.
          waiting = false;
          form.submit();
          return null;
        }
        if (!response.ok) { throw new Error("server " + response.status); }
        return response.json().then(function (data) {
          version.value = data.version;
          retry = 0;
          if (area.value === body.text) { window.localStorage.removeItem(store(form)); }
          status.textContent = say("saved", "Saved {time}", { time: data.saved_at }) + (data.warning ? " — " + data.warning : "");
        });
      }).then(release, function () {
        // The server had a problem or the network is down: keep the browser's copy and try
        // again, waiting longer each time.
        sending = false;
        retry = Math.min(retry + 1, 6);
        status.textContent = say("retry", "Not saved yet — trying again in {seconds} s (your text is kept in this browser)", { seconds: DELAY * retry / 1000 });
        if (waiting) { waiting = false; form.submit(); return; }
        schedule(DELAY * retry);
      });
    }
    if (rewritten) { rewritten.addEventListener("change", function () { schedule(500); }); }
    area.addEventListener("input", function () {
      remember();
      status.textContent = say("editing", "Editing…");
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
