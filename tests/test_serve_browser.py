"""`build.py serve` in a real browser: the open page reloads by itself after a save, and shows
the problems of a broken case over the last good page until the case is fixed.

Headless Chromium is driven through the DevTools protocol over a pipe (no extra packages)."""
import fcntl
import json
import os
import shutil
import subprocess

import pytest

from test_serve import PHONE, TWC, Server, case_file, book, replace_in, wait_until  # noqa: F401

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed "
                                "(scripts/system-deps.sh --browser installs it)")


class Browser:
    """One headless Chromium tab, driven with DevTools protocol messages on fds 3 and 4."""

    def __init__(self, profile):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def give_pipes_to_chromium():  # Chromium reads commands on fd 3, answers on fd 4
            # Copied above 4 first, so that placing one cannot overwrite the other.
            commands = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            answers = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(commands, 3)
            os.dup2(answers, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=give_pipes_to_chromium, pass_fds=(3, 4),  # kept open after preexec_fn
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.last_id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        attached = self.call("Target.attachToTarget", targetId=target, flatten=True)
        self.session = attached["sessionId"]

    def call(self, method, session=None, **params):
        self.last_id += 1
        message = {"id": self.last_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:  # events arrive between the answers; only the answer matters here
            reply = self._next_message()
            if reply.get("id") == self.last_id:
                assert "error" not in reply, reply["error"]
                return reply["result"]

    def _next_message(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 65536)
            assert chunk, "Chromium closed the DevTools pipe"
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url):
        self.call("Page.navigate", self.session, url=url)

    def js(self, expression):
        """The value of a JavaScript expression in the tab (None while the page is loading)."""
        result = self.call("Runtime.evaluate", self.session, expression=expression,
                           returnByValue=True)["result"]
        return result.get("value")

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        os.close(self.to_browser)
        os.close(self.from_browser)


@pytest.fixture
def browser(tmp_path):
    opened = Browser(tmp_path / "chromium-profile")
    yield opened
    opened.close()


PROBLEMS = "(document.getElementById('casebook-problems') || {}).textContent || ''"
HEADING = "(document.querySelector('h1') || {}).textContent || ''"


def test_the_open_page_reloads_and_shows_problems(book, browser):
    server = Server(book)
    try:
        browser.open(server.url(f"cases/{TWC}.html"))
        wait_until(lambda: browser.js(HEADING).startswith("Patrick Stewart waits for his cable"),
                   timeout=10, what="the page to load")
        # No need to wait for the page's event stream: whenever it connects, a site version
        # newer than the page's own makes it reload.

        # A save: the page reloads by itself and shows the change.
        replace_in(case_file(book, TWC), "title: Patrick Stewart waits", "title: Sir Patrick waits")
        wait_until(lambda: browser.js(HEADING) == "Sir Patrick waits for his cable installation",
                   what="the page to reload")

        # A broken case: the problems appear over the last good page, which stays.
        replace_in(case_file(book, TWC), "outcome: negative", "outcome: awful")
        wait_until(lambda: f"cases/{TWC}.yaml:6: outcome:" in browser.js(PROBLEMS),
                   what="the problems panel")
        assert browser.js(HEADING) == "Sir Patrick waits for his cable installation"
        assert "1 problem" in browser.js(PROBLEMS)

        # Fixed: the panel goes and the fixed page is shown.
        replace_in(case_file(book, TWC), "outcome: awful", "outcome: negative",
                   "title: Sir Patrick waits", "title: Sir Patrick still waits")
        wait_until(lambda: browser.js(HEADING).startswith("Sir Patrick still waits for his"),
                   what="the fixed page")
        assert browser.js(PROBLEMS) == ""

        # The case on screen is deleted: the page reloads to the site's not-found page.
        browser.open(server.url(f"cases/{PHONE}.html"))
        wait_until(lambda: "chat customer" in browser.js(HEADING).lower(), timeout=10)
        case_file(book, PHONE).unlink()
        wait_until(lambda: "chat customer" not in browser.js(HEADING).lower(),
                   what="the deleted case's page to go")
    finally:
        assert server.stop() == 0
