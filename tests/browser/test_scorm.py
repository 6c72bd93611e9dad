"""The SCORM package in Chromium: inside a pretend LMS (a page that offers the SCORM 1.2 API
and records every call), one session for the whole visit, completion at the last case, a
return visit resuming where the learner was; without an LMS, the pages work from disk."""
from __future__ import annotations

import functools
import http.server
import json
import threading
import zipfile
from contextlib import contextmanager

import pytest

from casebook.build.project import load_project
from casebook.exports.run import run_export
from sitecheck import ROOT

COURSE = "fast-is-not-enough"
LAST_CASE = "cases/cd-baby-upc-code-after-days-of-silence.html"

LMS_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LMS</title><link rel="icon" href="data:,">
<script>
var calls = [];
var store = %s;
window.API = {
  LMSInitialize: function () { calls.push(["LMSInitialize"]); return "true"; },
  LMSFinish: function () { calls.push(["LMSFinish"]); return "true"; },
  LMSGetValue: function (k) { calls.push(["LMSGetValue", k]); return store[k] || ""; },
  LMSSetValue: function (k, v) { calls.push(["LMSSetValue", k, v]); store[k] = v; return "true"; },
  LMSCommit: function () { calls.push(["LMSCommit"]); return "true"; },
  LMSGetLastError: function () { return "0"; },
  LMSGetErrorString: function () { return ""; },
  LMSGetDiagnostic: function () { return ""; }
};
</script></head><body>
<iframe id="sco" title="course" src="pkg/index.html" style="width:1200px;height:800px"></iframe>
</body></html>"""


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    out = tmp_path_factory.mktemp("scorm")
    run_export(load_project(ROOT), out, course=COURSE, formats=("scorm",))
    folder = out / "served"
    with zipfile.ZipFile(out / "exports" / f"{COURSE}-scorm.zip") as archive:
        archive.extractall(folder / "pkg")
    return folder


@contextmanager
def serving(folder):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def lms(package, store: dict) -> None:
    (package / "lms.html").write_text(LMS_PAGE % json.dumps(store), encoding="utf-8")


def content(page):
    return page.frame_locator("#sco").frame_locator("#content")


def calls(page) -> list[list[str]]:
    return page.evaluate("calls")


def test_one_session_completed_at_the_last_case(page, package):
    lms(package, {"cmi.core.lesson_status": "not attempted"})
    with serving(package) as base:
        page.goto(base + "lms.html")
        frame = content(page)
        frame.locator("h1").wait_for()
        assert frame.locator("h1").inner_text().startswith("Fast is not enough")
        page.wait_for_function("calls.some(c => c[1] === 'cmi.core.lesson_location')")
        frame.locator("a[href^='../cases/']").first.click()
        for _ in range(2):
            frame.locator("a[rel=next]").click()
        frame.locator("body[data-last-case]").wait_for(state="attached")
        page.wait_for_function("store['cmi.core.lesson_status'] === 'completed'")
        before_leaving = calls(page)
        assert [c for c in before_leaving if c[0] == "LMSFinish"] == []
        page.evaluate("document.getElementById('sco').src = 'about:blank'")
        page.wait_for_function("calls.some(c => c[0] === 'LMSFinish')")
        made = calls(page)
        names = [c[0] for c in made]
        assert names.count("LMSInitialize") == 1 and names[0] == "LMSInitialize"
        assert names.count("LMSFinish") == 1 and names[-1] == "LMSFinish"
        sets = {c[1]: c[2] for c in made if c[0] == "LMSSetValue"}
        assert sets["cmi.core.lesson_status"] == "completed"
        assert sets["cmi.core.lesson_location"] == LAST_CASE
        assert sets["cmi.core.exit"] == ""
        assert ["LMSSetValue", "cmi.core.lesson_status", "incomplete"] in made


def test_a_return_visit_resumes_and_leaving_early_suspends(page, package):
    resume = "cases/american-airlines-fast-but-empty-reply.html"
    lms(package, {"cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": resume})
    with serving(package) as base:
        page.goto(base + "lms.html")
        frame = content(page)
        frame.locator("h1").wait_for()
        page.wait_for_function(f"calls.some(c => c[2] === '{resume}')")
        assert "American Airlines" in frame.locator("h1").inner_text()
        page.evaluate("document.getElementById('sco').src = 'about:blank'")
        page.wait_for_function("calls.some(c => c[0] === 'LMSFinish')")
        sets = {c[1]: c[2] for c in calls(page) if c[0] == "LMSSetValue"}
        assert sets["cmi.core.exit"] == "suspend"
        assert "cmi.core.lesson_status" not in sets      # still incomplete, not completed


def test_without_an_lms_the_pages_work_from_disk(page, package):
    page.goto((package / "pkg" / "index.html").as_uri())
    frame = page.frame_locator("#content")
    frame.locator("h1").wait_for()
    frame.locator("a[href^='../cases/']").first.click()
    for _ in range(2):
        frame.locator("a[rel=next]").click()
    frame.locator("body[data-last-case]").wait_for(state="attached")
    assert "last case" in frame.locator(".course-complete").inner_text()
    # A page opened alone, outside the shell, works too (the page fixture fails on errors).
    page.goto((package / "pkg" / LAST_CASE).as_uri())
    assert page.locator("h1").inner_text()


def test_the_package_pages_pass_axe(page, package, axe_source):
    from tests.browser.test_pages import axe_violations
    found = {}
    for path in ("index.html", f"courses/{COURSE}.html", LAST_CASE):
        page.goto((package / "pkg" / path).as_uri())
        if violations := axe_violations(page, axe_source):
            found[path] = violations
    assert found == {}
