// Inside the frame another site shows (urge/pages/embed.py): tells the page around it how
// tall this page is, so that its snippet (urge-embed.js) can fit the frame to it. The height
// is all it ever says, and it says nothing at all when the page is not in a frame. The pages
// work without this file: the frame then keeps the height the snippet gave it, and scrolls.
(function () {
  "use strict";

  if (window.parent === window) {
    return;
  }
  var told = 0;
  // Heights go in steps: an exact height could tell the site around the frame how many
  // legislators a lookup found, and so roughly where the visitor lives.
  var STEP = 400;

  function tell() {
    var exact = document.documentElement.getBoundingClientRect().height;
    var height = Math.ceil(exact / STEP) * STEP;
    if (height > 0 && height !== told) {
      told = height;
      // Any origin may hear it: a height is no secret, and this page cannot know which site
      // framed it without asking the browser for more than it needs.
      window.parent.postMessage({ urgeEmbedHeight: height }, "*");
    }
  }

  if (window.ResizeObserver) {
    new ResizeObserver(tell).observe(document.documentElement);
  }
  window.addEventListener("load", tell);
  tell();
})();
