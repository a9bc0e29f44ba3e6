// The action page works without this file; with it: live character counts, a copy
// button for letters, the supporter's Mastodon server remembered in this browser only, and
// their name and town filled into letters and call scripts on the page (never sent, never
// kept: the fields have no name, so no form posts them, and nothing stores them).
(function () {
  "use strict";

  var URL_PATTERN = /https?:\/\/\S+/g;

  // X weighs most scripts outside Latin as two; URLs count as 23. The server's count,
  // shown when the page loads, is the authority; this one only follows the typing.
  function xLength(text) {
    var urls = text.match(URL_PATTERN) || [];
    var rest = text.replace(URL_PATTERN, "");
    var length = urls.length * 23;
    for (var ch of rest.normalize("NFC")) {
      var code = ch.codePointAt(0);
      var light = code <= 0x10ff || (code >= 0x2000 && code <= 0x200d) ||
        (code >= 0x2010 && code <= 0x201f) || (code >= 0x2032 && code <= 0x2037);
      length += light ? 1 : 2;
    }
    return length;
  }

  function graphemes(text) {
    if (window.Intl && Intl.Segmenter) {
      return Array.from(new Intl.Segmenter().segment(text)).length;
    }
    return Array.from(text).length;
  }

  function lengthFor(platform, text) {
    if (platform === "x") return xLength(text);
    if (platform === "bluesky") return graphemes(text);
    return Array.from(text).length;
  }

  document.querySelectorAll("textarea[data-platform]").forEach(function (area) {
    var counter = document.getElementById(area.getAttribute("aria-describedby"));
    var limit = parseInt(area.dataset.limit, 10);
    var template = counter.dataset.template || counter.textContent;
    area.addEventListener("input", function () {
      var length = lengthFor(area.dataset.platform, area.value);
      counter.textContent = template.replace(/^\d+/, String(length));
      counter.classList.toggle("count--over", length > limit);
    });
  });

  // One letter to one office is one email (urge/actions/views.py, only_a_step): the copy is
  // told to the site once per visit of the page (where the office has a form, the site counts
  // the form's opening instead), and a second opening of the same form says it is one.
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.hidden = false;
    var told = false;
    button.addEventListener("click", function () {
      var letter = document.getElementById(button.dataset.copy);
      var form = button.closest("form");
      // URL-encoded, as the form itself posts: cheaper for the server to read than FormData's
      // multipart body.
      var data = new URLSearchParams(new FormData(form));
      data.set("channel", "email-copy");
      navigator.clipboard.writeText(letter.value).then(function () {
        button.textContent = button.dataset.done || "\u2713";
        if (told) return;
        told = true;
        fetch(form.action, { method: "POST", body: data, headers: { Accept: "application/json" } });
      }, function () {
        letter.select();
      });
    });
  });

  document.querySelectorAll("form[data-once]").forEach(function (form) {
    var opened = false;
    form.addEventListener("submit", function () {
      if (opened && !form.querySelector('input[name="again"]')) {
        var again = document.createElement("input");
        again.type = "hidden";
        again.name = "again";
        again.value = "1";
        form.appendChild(again);
      }
      opened = true;
    });
  });

  document.querySelectorAll("[data-js][hidden]").forEach(function (element) {
    element.hidden = false;
  });

  // Each letter remembers what it shows in place of each blank, so that typing replaces
  // that (the last one: the signature is at the end), and clearing the field brings the
  // blank back. A letter the supporter has rewritten there is left alone.
  var letters = Array.from(document.querySelectorAll("textarea[data-blanks]")).map(function (area) {
    return { area: area, shown: {} };
  });

  function replaceLast(text, old, now) {
    var at = text.lastIndexOf(old);
    return at < 0 ? text : text.slice(0, at) + now + text.slice(at + old.length);
  }

  document.querySelectorAll("input[data-blank]").forEach(function (input) {
    var kind = input.dataset.blank;
    var token = input.dataset.token;
    input.addEventListener("input", function () {
      var value = input.value.replace(/\s+/g, " ").trim();
      document.querySelectorAll('span[data-blank="' + kind + '"]').forEach(function (span) {
        span.textContent = value || span.dataset.empty;
      });
      letters.forEach(function (letter) {
        var shown = letter.shown[kind] || token;
        var now = value || token;
        if (letter.area.value.lastIndexOf(shown) >= 0) {
          letter.area.value = replaceLast(letter.area.value, shown, now);
          letter.shown[kind] = now;
        }
      });
    });
  });

  document.querySelectorAll("input[data-remember]").forEach(function (input) {
    var key = "urge:" + input.dataset.remember;
    try {
      input.value = window.localStorage.getItem(key) || "";
    } catch (error) { /* storage refused: nothing remembered */ }
    input.form.addEventListener("submit", function () {
      try {
        window.localStorage.setItem(key, input.value.trim());
      } catch (error) { /* as above */ }
    });
  });
})();
