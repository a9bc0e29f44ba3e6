// For a website that shows Urge's action in a frame: fits each such frame to the height of
// the page inside it. It hears only Urge's own pages (the origin this file is served from),
// takes a number from them and nothing else, and sends nothing anywhere.
//
//   <script src="https://<Urge's address>/static/embed/urge-embed.js" async></script>
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var urge = new URL(script.src).origin;
  var MAX_HEIGHT = 20000;

  window.addEventListener("message", function (event) {
    if (event.origin !== urge || !event.data || typeof event.data !== "object") {
      return;
    }
    var height = event.data.urgeEmbedHeight;
    if (typeof height !== "number" || !(height > 0 && height <= MAX_HEIGHT)) {
      return;
    }
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.ceil(height) + "px";
      }
    }
  });
})();
