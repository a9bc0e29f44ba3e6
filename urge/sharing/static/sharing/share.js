// The share step works without this file; with it, a button copies the campaign's link, and
// the copy is counted as a share, by the same post a share button sends (no personal data).
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy-link]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyLink);
    button.closest("[data-js-only]").hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.done;
        var data = new URLSearchParams(new FormData(button.form));  // as the form posts
        data.set("channel", "share-copy");
        fetch(button.form.action, { method: "POST", body: data, headers: { Accept: "application/json" } });
      }, function () {
        field.select();
      });
    });
  });
})();
