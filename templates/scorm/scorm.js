/* A page of a Casebook SCORM package: tells the package's shell (its parent frame) which page
   is showing and whether it is the course's last case; links to the web open in a new tab, so
   a site that refuses to be framed still opens. Alone (no parent frame) it only does the links. */
(function () {
  "use strict";
  var links = document.querySelectorAll("a[href^='http:'], a[href^='https:']");
  for (var i = 0; i < links.length; i++) {
    links[i].setAttribute("target", "_blank");
    links[i].setAttribute("rel", "noopener noreferrer");
  }
  if (window.parent === window) { return; }
  var body = document.body;
  window.parent.postMessage({casebook: 1, page: body.getAttribute("data-page"),
                             last: body.hasAttribute("data-last-case")}, "*");
}());
