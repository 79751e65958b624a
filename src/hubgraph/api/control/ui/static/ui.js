// hubgraph's web UI: keyboard shortcuts and the snapshot restore upload. No dependencies.
(function () {
  "use strict";

  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
      target.tagName === "SELECT" || target.isContentEditable);
  }

  // "/" focuses the page's search box, as in most developer tools.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    var search = document.querySelector("input[type=search]");
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });

  // A snapshot is a JSON document: the browser sends the chosen file as the request body,
  // with the CSRF token and the typed confirmation in headers.
  var restore = document.getElementById("restore-form");
  if (restore) {
    restore.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = document.getElementById("restore-status");
      var file = restore.elements.snapshot.files[0];
      if (!file) {
        status.textContent = "Choose a snapshot file first.";
        return;
      }
      status.textContent = "Restoring " + file.name + "…";
      fetch(restore.action, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "X-Hubgraph-CSRF": restore.elements.csrf.value,
          "X-Hubgraph-Confirm": restore.elements.confirm.value
        },
        body: file
      }).then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) {
            window.location.assign(body.redirect);
          } else {
            status.textContent = body.message || ("Restore failed: HTTP " + response.status);
          }
        });
      }).catch(function (error) {
        status.textContent = "Restore failed: " + error;
      });
    });
  }
})();
