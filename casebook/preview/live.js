// Added by `build.py serve` to the pages it serves (never to the files it builds): reloads the
// page when the site is rebuilt, and shows the problems of a failed rebuild over the page.
(function () {
  "use strict";
  var script = document.currentScript;
  var shownVersion = script.getAttribute("data-version");
  var overlay = null;

  function showProblems(problems) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "casebook-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = [
        "position:fixed", "inset:auto 0 0 0", "max-height:60vh", "overflow:auto",
        "z-index:2147483647", "margin:0", "padding:1em 1.5em", "background:#5c0a0a",
        "color:#fff", "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace",
        "box-shadow:0 -4px 16px rgba(0,0,0,.4)", "white-space:pre-wrap"
      ].join(";");
      document.body.appendChild(overlay);
    }
    // textContent, never HTML: the messages quote what authors wrote.
    var count = problems.length + " problem" + (problems.length === 1 ? "" : "s");
    overlay.textContent = "Casebook: " + count + "; this page shows the last good build.\n" +
      "Fix the file and save: this page reloads by itself.\n\n" + problems.join("\n");
  }

  function hideProblems() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function update(state) {
    if (state.problems.length) {
      showProblems(state.problems);
    } else if (state.version !== shownVersion) {
      location.reload();
    } else {
      hideProblems();
    }
  }

  // EventSource reconnects by itself when the server restarts; the new server's version
  // differs from the page's, so the page reloads then too.
  var events = new EventSource("/__casebook/events");
  events.onmessage = function (message) {
    update(JSON.parse(message.data));
  };
})();
