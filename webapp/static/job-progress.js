// The whole-programme report's page: while the report is being made, ask every few seconds
// how far it got and move the progress bar; when it is ready or has failed, load the page
// again to show the download or the way to try again. Without JavaScript the page has a
// "Check again" link that does the same.
document.addEventListener("DOMContentLoaded", function () {
  var job = document.getElementById("job");
  if (!job || (job.dataset.state !== "queued" && job.dataset.state !== "running")) return;
  var bar = document.getElementById("job-progress");
  var status = document.getElementById("job-status");
  var said = status ? status.textContent : "";
  function check() {
    fetch(job.dataset.statusUrl, { headers: { "Accept": "application/json" },
                                   credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (now) {
        if (!now) { window.setTimeout(check, 10000); return; }
        if (now.state === "done" || now.state === "failed") { window.location.reload(); return; }
        if (bar && now.total) { bar.max = now.total; bar.value = now.done; }
        // the status line is a live region: change it only when the words change
        if (status && now.text !== said) { status.textContent = now.text; said = now.text; }
        window.setTimeout(check, 3000);
      })
      .catch(function () { window.setTimeout(check, 10000); });
  }
  window.setTimeout(check, 2000);
});
