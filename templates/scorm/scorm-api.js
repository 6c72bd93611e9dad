/* The SCORM 1.2 session of a Casebook package: one for the whole visit.
   The shell (index.html) finds the LMS's API object (in a parent frame or the window that opened
   this one), calls LMSInitialize once when it loads and LMSFinish once when it goes away. The
   pages inside its frame tell it which page is showing (assets/scorm.js); it keeps that as the
   lesson location (so a return visit resumes there) and reports the course completed when the
   last case is reached. Without an LMS nothing is called and the pages work as they are. */
(function () {
  "use strict";
  var frame = document.getElementById("content");
  var pages = (frame.getAttribute("data-pages") || "").split(" ");
  var api = null, finished = false, completed = false, started = new Date().getTime();

  function apiIn(win) {
    for (var hops = 0; win && hops < 12; hops++) {
      try {
        if (win.API) { return win.API; }
      } catch (denied) { return null; }   // a frame of another origin: no API there
      if (!win.parent || win.parent === win) { return null; }
      win = win.parent;
    }
    return null;
  }

  function findAPI() {
    var found = apiIn(window.parent !== window ? window.parent : null);
    if (!found && window.opener) {
      try { found = apiIn(window.opener); } catch (denied) { found = null; }
    }
    return found;
  }

  function call(name, a, b) {
    try { return String(b === undefined ? api[name](a) : api[name](a, b)); } catch (e) { return "false"; }
  }

  function timespan(ms) {   /* CMITimespan: HHHH:MM:SS */
    var seconds = Math.floor(ms / 1000), hours = Math.floor(seconds / 3600);
    var minutes = Math.floor(seconds / 60) % 60;
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return (hours < 1000 ? ("000" + hours).slice(-4) : "9999") + ":" + two(minutes) + ":" + two(seconds % 60);
  }

  function known(page) { return pages.indexOf(page) >= 0; }

  api = findAPI();
  if (api && call("LMSInitialize", "") !== "true") { api = null; }
  if (api) {
    var status = call("LMSGetValue", "cmi.core.lesson_status");
    completed = status === "completed" || status === "passed";
    if (!completed && status !== "incomplete") { call("LMSSetValue", "cmi.core.lesson_status", "incomplete"); }
    var location = call("LMSGetValue", "cmi.core.lesson_location");
    if (known(location) && frame.getAttribute("src") !== location) { frame.setAttribute("src", location); }
    call("LMSCommit", "");
  }

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || !event.data || event.data.casebook !== 1) { return; }
    var page = String(event.data.page || "");
    if (!api || finished || !known(page)) { return; }
    call("LMSSetValue", "cmi.core.lesson_location", page);
    if (event.data.last && !completed) {
      completed = true;
      call("LMSSetValue", "cmi.core.lesson_status", "completed");
    }
    call("LMSCommit", "");
  });

  function finish() {
    if (!api || finished) { return; }
    finished = true;
    call("LMSSetValue", "cmi.core.session_time", timespan(new Date().getTime() - started));
    call("LMSSetValue", "cmi.core.exit", completed ? "" : "suspend");
    call("LMSCommit", "");
    call("LMSFinish", "");
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  window.addEventListener("unload", finish);
}());
