"""`build.py serve`: build a preview, serve it on loopback, rebuild on every change, reload.

The authoring loop: a trainer edits a case file and the open browser page shows the result
within a second. The preview is built by the same code as `build.py` (`run_build`), into a
folder of its own (`output/preview/`), so that serving never changes `output/site` or
`output/facilitator`, which stay what the last `build.py` published. The build cache makes a
rebuild after one edit read and render only that case. Three parts:

- `Preview` rebuilds the preview when a watched file changes (cases, exhibits, courses,
  site.yaml, templates) and tells the open pages;
- `LiveState` is what the open pages are told: the site's version and the current problems;
- `LiveHandler` serves the preview to loopback clients that name it by a loopback host,
  adding the small reload script (live.js) to the HTML pages as they are served, and the
  state as JSON and as Server-Sent Events.

The watcher (watch.py) runs in the main thread, the HTTP server in a background thread;
Ctrl-C stops both.
"""
from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import signal
import sys
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from casebook.build.pipeline import BuildOptions, run_build
from casebook.build.publish import claim_output, clean_stale
from casebook.reading.load import find_site_file, shown
from casebook.reading.problems import InvalidInput
from casebook.render.templates import template_error, templates_for
from casebook.preview.watch import Watcher, is_editor_litter

HOST = "127.0.0.1"   # loopback only: the preview is for the author, not the network
# The names a browser on this machine uses for it. Any other Host header is a page elsewhere
# reaching the preview through DNS rebinding: it must not read drafts and problem messages.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
PREVIEW = "preview"  # the preview's folder in --out, beside site/ and facilitator/
LIVE = "/__casebook/"
STATUS_URL, EVENTS_URL, SCRIPT_URL = LIVE + "status", LIVE + "events", LIVE + "live.js"
SCRIPT = (Path(__file__).with_name("live.js")).read_bytes()
KEEPALIVE_SECONDS = 10.0     # an idle event stream writes this often, to notice closed tabs
REQUEST_TIMEOUT_SECONDS = 30  # a connection that sends nothing for this long is closed
MAX_CONNECTIONS = 64          # open at once (event streams included); more wait for a place
EXIT_OK, EXIT_USAGE = 0, 2


# --- what the open pages are told ------------------------------------------------------------

class LiveState:
    """The site's version (changes on every rebuild) and the problems of the last rebuild."""

    def __init__(self):
        self._changed = threading.Condition()
        # The start time in the version makes a page from an earlier run reload when it
        # reconnects to a new server.
        self._run = f"{time.time_ns():x}"
        self._builds = 0
        self._problems: list[str] = []
        self._generation = 0
        self.closed = False

    def published(self, changed: bool = True) -> None:
        """A rebuild succeeded; `changed`: it changed the site (open pages reload)."""
        with self._changed:
            if not changed and not self._problems:
                return
            self._builds += changed
            self._problems = []
            self._notify()

    def failed(self, problems: list[str]) -> None:
        with self._changed:
            if problems != self._problems:
                self._problems = list(problems)
                self._notify()

    def close(self) -> None:
        """Ends every event stream (the server is stopping)."""
        with self._changed:
            self.closed = True
            self._notify()

    def _notify(self) -> None:
        self._generation += 1
        self._changed.notify_all()

    @property
    def version(self) -> str:
        with self._changed:
            return f"{self._run}-{self._builds}"

    def current(self) -> dict:
        with self._changed:
            return {"version": f"{self._run}-{self._builds}", "problems": list(self._problems),
                    "generation": self._generation}

    def wait(self, seen: int | None, timeout: float) -> dict | None:
        """The state once its generation differs from `seen`; None after `timeout` or close."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self._generation != seen, timeout)
            if self.closed or self._generation == seen:
                return None
            return self.current()


# --- the preview, rebuilt by the build --------------------------------------------------------

class Preview:
    """`output/preview/`, built by `run_build` at start and again after every change."""

    def __init__(self, args, root: Path, state: LiveState):
        self.args = args
        self.root = root
        self.state = state
        self.out = args.out / PREVIEW
        self.site_dir = self.out / "site"
        self.options = BuildOptions(root=root, cases=args.cases, out=self.out,
                                    only=None if args.pdf else "site", jobs=args.jobs,
                                    quiet=True)
        self.fingerprint: dict[str, str] = {}   # page -> hash, of what the preview shows now

    def watched_files(self) -> list[Path]:
        """The files whose change means a rebuild: site.yaml, everything in the cases folder
        (case files, exhibits) and the courses folder, the templates."""
        cases = self.args.cases
        files = [cases.parent / "site.yaml", self.root / "site.yaml"]
        own = templates_for(find_site_file(cases, self.root)).folders
        for folder in (cases, cases.parent / "courses", *own):
            for top, _, names in os.walk(folder):
                files += [Path(top, name) for name in names if not is_editor_litter(name)]
        return files

    def rebuild(self, reason: str) -> None:
        """Build the preview; on bad input keep the last good one and say why."""
        try:
            result = run_build(self.options)
        except InvalidInput as invalid:
            self._report([str(problem) for problem in invalid.problems])
        except jinja2.TemplateError as error:
            self._report([template_error(error)])
        except OSError as error:
            self._report([f"{shown(Path(error.filename or self.out))}: {error.strerror}"])
        except Exception as error:  # a bug must not stop the server the author is looking at
            self._report([f"build.py serve: the rebuild failed ({type(error).__name__}: {error})"])
        else:
            changed = self._take_fingerprint()
            self.state.published(bool(changed))
            if not self.args.quiet:
                say(f"{reason}: {describe_changes(changed)} ({result.summary()})")

    def _take_fingerprint(self) -> set[str]:
        """The files of the preview that differ from the last build's (added, changed or gone)."""
        now = {path.relative_to(self.site_dir).as_posix(): file_hash(path)
               for path in self.site_dir.rglob("*") if path.is_file()}
        before, self.fingerprint = self.fingerprint, now
        return {name for name in before.keys() | now.keys() if before.get(name) != now.get(name)}

    def _report(self, problems: list[str]) -> None:
        for problem in problems:
            print(problem, file=sys.stderr, flush=True)
        count = len(problems)
        serving = ("still serving the last good preview" if (self.site_dir / "index.html").is_file()
                   else "no preview to serve until they are fixed")
        print(f"{count} problem{'s' * (count != 1)}; {serving}", file=sys.stderr, flush=True)
        self.state.failed(problems)


def file_hash(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def describe_changes(changed: set[str]) -> str:
    count = len(changed)
    return f"{count} file{'s' * (count != 1)} updated"


def describe_paths(paths: set[Path]) -> str:
    names = sorted(shown(path) for path in paths)
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "") + " changed"


# --- the HTTP server -------------------------------------------------------------------------

class LiveHandler(SimpleHTTPRequestHandler):
    """Serves the preview folder; HTML pages get the reload script as they are served."""

    timeout = REQUEST_TIMEOUT_SECONDS  # per connection: a silent client does not hold a thread

    def __init__(self, *args, state: LiveState, **kwargs):
        self.state = state  # before super().__init__, which handles the request
        super().__init__(*args, **kwargs)

    def parse_request(self) -> bool:
        """Refuse a request that names another host (DNS rebinding), before anything is read."""
        if not super().parse_request():
            return False
        if not is_loopback_host(self.headers.get("Host", "")):
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST,
                            "This preview answers only to 127.0.0.1, localhost and [::1]")
            return False
        return True

    def list_directory(self, path):
        """No folder listings: a folder is its index.html, or not found."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def do_GET(self):
        route = urlsplit(self.path).path
        if route == STATUS_URL:
            self._send(HTTPStatus.OK, "application/json",
                       json.dumps(self.state.current()).encode())
        elif route == EVENTS_URL:
            self._send_events()
        elif route == SCRIPT_URL:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", SCRIPT)
        else:
            super().do_GET()

    def send_head(self):
        version = self.state.version  # before reading the page: a newer page then reloads once
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and (html := read_or_none(path)) is not None:
            return self._page(HTTPStatus.OK, html, version)
        if not path.exists() or path.is_dir():
            return self._not_found(version)
        return super().send_head()

    def _not_found(self, version: str):
        html = read_or_none(Path(self.directory) / "404.html")
        return self._page(HTTPStatus.NOT_FOUND, NO_SITE_PAGE if html is None else html, version)

    def _page(self, status: HTTPStatus, html: bytes, version: str) -> io.BytesIO:
        body = inject_script(html, version)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_events(self) -> None:
        """Server-Sent Events: the state now, then on every change, until the tab closes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.close_connection = True
        seen, state = None, self.state.current()
        try:
            while not self.state.closed:
                if state is None:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    self.wfile.write(b"data: " + json.dumps(state).encode() + b"\n\n")
                    seen = state["generation"]
                self.wfile.flush()
                state = self.state.wait(seen, KEEPALIVE_SECONDS)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # a reload must fetch the rebuilt files
        super().end_headers()

    def log_message(self, format, *args):
        pass  # one line per request would bury the rebuild messages


NO_SITE_PAGE = (b"<!doctype html><html lang=en><meta charset=utf-8><title>Casebook</title>"
                b"<body><h1>No site yet</h1><p>The site has not been built yet: fix the problems "
                b"shown below and save; this page reloads by itself.</p></body></html>")


def inject_script(html: bytes, version: str) -> bytes:
    """The page with the reload script before `</body>` (or at the end)."""
    tag = f'<script src="{SCRIPT_URL}" data-version="{version}"></script>\n'.encode()
    at = html.lower().rfind(b"</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


def read_or_none(path: Path) -> bytes | None:
    """The file's bytes; None if it is not there (a rebuild may just have removed it)."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def is_loopback_host(host: str) -> bool:
    """Whether a Host header names this machine's loopback (with or without a port)."""
    host = host.strip().lower()
    for name in LOOPBACK_NAMES:
        if host == name or (host.startswith(name + ":") and host[len(name) + 1:].isdigit()):
            return True
    return False


class LiveServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address):
        """A thread per connection, at most MAX_CONNECTIONS at once: a flood of connections
        waits for a place instead of starting a thread each."""
        self.places.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.places.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.places.release()

    def handle_error(self, request, client_address):
        """One line, not a traceback; a browser that drops a connection is no error at all."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            print(f"build.py serve: a request failed ({type(error).__name__}: {error})",
                  file=sys.stderr, flush=True)


def open_server(port: int, state: LiveState, site_dir: Path) -> LiveServer:
    handler = partial(LiveHandler, state=state, directory=str(site_dir))
    return LiveServer((HOST, port), handler)


def port_problem(port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} is already in use on {HOST}; choose another with --port N"
    if error.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; choose a port above 1023 with --port N"
    return f"cannot listen on {HOST}:{port} ({error.strerror})"


# --- the command -----------------------------------------------------------------------------

def serve(args, root: Path) -> int:
    if args.only == "pdf":
        print("build.py serve: serve always builds the site; add --pdf for the handouts",
              file=sys.stderr)
        return EXIT_USAGE
    state = LiveState()
    try:
        server = open_server(args.port, state, args.out / PREVIEW / "site")
    except OSError as error:
        print(f"build.py serve: {port_problem(args.port, error)}", file=sys.stderr)
        return EXIT_USAGE
    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    thread = None
    try:
        claim_output(args.out)
        clean_stale(args.out)
        preview = Preview(args, root, state)
        watcher = Watcher(preview.watched_files)  # before the first build: no change is missed
        preview.rebuild("preview built")
        say(f"Serving http://{HOST}:{server.server_port}/ (Ctrl-C to stop); "
            f"the preview is in {shown(preview.out)}")
        # A short poll interval: Ctrl-C waits for the server loop to notice the shutdown.
        thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
        thread.start()
        while True:
            preview.rebuild(describe_paths(watcher.wait_for_changes()))
    except KeyboardInterrupt:
        say("Stopped.")
        return EXIT_OK
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        state.close()
        if thread is not None:
            server.shutdown()
        server.server_close()


def _interrupt(signum, frame):
    """SIGTERM stops the server like Ctrl-C does."""
    raise KeyboardInterrupt


def say(message: str) -> None:
    print(message, flush=True)
