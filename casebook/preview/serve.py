"""`build.py serve`: build, serve output/site on loopback, rebuild what a change needs, reload.

The authoring loop: a trainer edits a case file and the open browser page shows the result
within a second. Four parts:

- `Workspace` keeps site.yaml and every case file parsed in memory and re-reads only the files
  that changed;
- `LiveSite` turns the workspace into output/site: a full build at start and after a template
  change, otherwise only the pages `incremental.plan_pages` says the change touched;
- `LiveState` is what the open pages are told: the site's version and the current problems;
- `LiveHandler` serves output/site, adding the small reload script (casebook/live.js) to the
  HTML pages as they are served, and the state as JSON and as Server-Sent Events.

The watcher (casebook/watch.py) runs in the main thread, the HTTP server in a background
thread; Ctrl-C stops both.
"""
from __future__ import annotations

import errno
import io
import json
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from casebook.model.catalog import Catalog, build_catalog
from casebook.build.exhibits import exhibits_cache, make_exhibit_copies, publish_exhibits
from casebook.build.incremental import HANDBOOK, changed_cases, plan_pages, write_pages
from casebook.reading.load import Loader, case_files, find_site_file, shown, sort_cases
from casebook.model.case import Case, Project, Site
from casebook.build.pipeline import BuildOptions, run_build
from casebook.reading.problems import InvalidInput, Problem
from casebook.build.publish import claim_output, clean_stale
from casebook.render.templates import TEMPLATES, environment, template_error
from casebook.preview.watch import Watcher, is_editor_litter

HOST = "127.0.0.1"   # loopback only: the preview is for the author, not the network
LIVE = "/__casebook/"
STATUS_URL, EVENTS_URL, SCRIPT_URL = LIVE + "status", LIVE + "events", LIVE + "live.js"
SCRIPT = (Path(__file__).with_name("live.js")).read_bytes()
KEEPALIVE_SECONDS = 10.0     # an idle event stream writes this often, to notice closed tabs
EXIT_OK, EXIT_USAGE = 0, 2


# --- the parsed input, kept in memory --------------------------------------------------------

class Workspace:
    """site.yaml and the case files, parsed once and re-read one file at a time."""

    def __init__(self, root: Path, cases_dir: Path):
        self.root = root
        self.cases_dir = cases_dir
        self.loader = Loader()
        self.site: Site | None = None
        self.site_problems: list[Problem] = []
        self.name_problems: list[Problem] = []
        self.parsed: dict[Path, tuple[Case | None, list[Problem]]] = {}

    def site_candidates(self) -> list[Path]:
        """Where site.yaml may be: beside the cases folder, else the repository's."""
        return [self.cases_dir.parent / "site.yaml", self.root / "site.yaml"]

    def read_site(self) -> None:
        """Read site.yaml again; every case is then checked again (takeaways name its themes)."""
        self.site, self.site_problems = self.loader.site(find_site_file(self.cases_dir, self.root))
        self.parsed.clear()

    def read_cases(self, changed: set[Path]) -> None:
        """Re-read the changed case files and any not read yet; forget those gone."""
        files, self.name_problems = case_files(self.cases_dir)
        parsed = {}
        for path in files:
            if path in self.parsed and path not in changed:
                parsed[path] = self.parsed[path]
            elif (result := self._read_case(path)) is not None:
                parsed[path] = result
        self.parsed = parsed

    def _read_case(self, path: Path) -> tuple[Case | None, list[Problem]] | None:
        try:
            return self.loader.case(path, self.site)
        except OSError as error:
            if not path.exists():
                return None  # vanished while being read: the watcher sees it if it comes back
            return None, [Problem(shown(path), 1, "", f"cannot read the file ({error.strerror})")]

    def project(self) -> Project:
        """The checked project; InvalidInput with every problem of every file."""
        problems = self.site_problems + self.name_problems
        problems += [problem for _, found in self.parsed.values() for problem in found]
        if problems:
            raise InvalidInput(problems)
        return Project(self.site, sort_cases([case for case, _ in self.parsed.values()]))


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


# --- output/site, kept in step with the workspace --------------------------------------------

@dataclass
class Changes:
    site: bool = False        # site.yaml: every case is checked again
    templates: bool = False   # every page is rendered again
    cases: set[Path] = field(default_factory=set)
    everything: bool = False  # the first build

    def describe(self) -> str:
        if self.everything:
            return "built"
        names = (["site.yaml"] * self.site + ["templates"] * self.templates
                 + sorted(shown(path) for path in self.cases))
        return ", ".join(names) + " changed"


class LiveSite:
    """Rebuilds output/site from the workspace: the pages on disk always show `self.catalog`."""

    def __init__(self, args, root: Path, state: LiveState):
        self.args = args
        self.root = root
        self.state = state
        self.templates = TEMPLATES  # the ones run_build uses
        self.workspace = Workspace(root, args.cases)
        self.site_dir = args.out / "site"
        self.env = environment(self.templates)
        self.catalog: Catalog | None = None    # None: what output/site shows is not known
        self.pdfs: frozenset[str] = frozenset()
        self.pdf_writer = find_pdf_writer() if args.pdf else None

    def watched_files(self) -> list[Path]:
        """The files whose change means a rebuild: cases, site.yaml, templates."""
        files = list(self.workspace.site_candidates())
        if self.workspace.cases_dir.is_dir():
            files += [path for path in self.workspace.cases_dir.iterdir()
                      if path.suffix.lower() in (".yaml", ".yml")  # wrong ones are reported
                      and not path.name.startswith("_") and not is_editor_litter(path.name)]
            # A case's pictures: changing one checks and shows its case again.
            for folder in self.workspace.cases_dir.iterdir():
                if folder.is_dir() and not folder.is_symlink() and not folder.name.startswith((".", "_")):
                    for parent, _, names in os.walk(folder):
                        files += [Path(parent, name) for name in names if not is_editor_litter(name)]
        for folder, _, names in os.walk(self.templates):
            files += [Path(folder, name) for name in names if not is_editor_litter(name)]
        return files

    def classify(self, changed: set[Path]) -> Changes:
        candidates = set(self.workspace.site_candidates())
        changes = Changes()
        for path in changed:
            if path in candidates:
                changes.site = True
            elif path.is_relative_to(self.templates):
                changes.templates = True
            elif path.parent != self.workspace.cases_dir and path.is_relative_to(self.workspace.cases_dir):
                # a picture in cases/<slug>/...: its case is read again
                folder = path.relative_to(self.workspace.cases_dir).parts[0]
                changes.cases.add(self.workspace.cases_dir / f"{folder}.yaml")
            else:
                changes.cases.add(path)
        return changes

    def rebuild(self, changes: Changes) -> None:
        """Rebuild what `changes` needs; on bad input keep the last good site and say why."""
        try:
            summary, changed = self._rebuild(changes)
        except InvalidInput as invalid:
            self._report([str(problem) for problem in invalid.problems])
        except jinja2.TemplateError as error:
            self._report([template_error(error)])
        except OSError as error:
            self._report([f"{shown(Path(error.filename or self.site_dir))}: {error.strerror}"])
        except Exception as error:  # a bug must not stop the server the author is looking at
            self._report([f"build.py serve: the rebuild failed ({type(error).__name__}: {error})"])
        else:
            self.state.published(changed)
            if not self.args.quiet:
                say(f"{changes.describe()}: {summary}")

    def _rebuild(self, changes: Changes) -> tuple[str, bool]:
        """What was done, and whether the site changed."""
        if changes.site or changes.everything:
            self.workspace.read_site()
        self.workspace.read_cases(changes.cases)
        catalog = build_catalog(self.workspace.project())
        # site.yaml shows on every page and handout, templates shape them all: build it all.
        if changes.site or changes.templates or changes.everything or self.catalog is None:
            return self._build_everything(catalog), True
        return self._update(catalog)

    def _build_everything(self, catalog: Catalog) -> str:
        """The real build, as `build.py` does it (the site, and the PDFs with --pdf)."""
        self.env = environment(self.templates)
        result = run_build(BuildOptions(
            root=self.root, cases=self.args.cases, out=self.args.out,
            only=None if self.args.pdf else "site", jobs=self.args.jobs, quiet=True))
        self.catalog = catalog
        self.pdfs = present_pdfs(self.site_dir, catalog)
        return result.summary()

    def _update(self, catalog: Catalog) -> tuple[str, bool]:
        """Only the pages (and with --pdf the handouts) that differ between the two catalogs."""
        started = time.monotonic()
        changed, removed = changed_cases(self.catalog, catalog)
        written, deleted = self._write_pages(catalog)
        for slug in removed:  # pages link only to handouts of published cases
            (self.site_dir / "pdf" / f"{slug}.pdf").unlink(missing_ok=True)
        touched = bool(written or deleted)
        if self.pdf_writer and changed:
            self.state.published(touched)  # the pages first: the handouts take longer
            self.pdf_writer(catalog, self.args.out, changed)
            again = self._write_pages(catalog)[0]  # pages that now link a new handout
            written, touched = written + again, bool(again)
        summary = (f"{written} page{'s' * (written != 1)} written, {deleted} removed, "
                   f"{time.monotonic() - started:.2f} s")
        return summary, touched

    def _write_pages(self, catalog: Catalog) -> tuple[int, int]:
        pdfs = present_pdfs(self.site_dir, catalog)
        plan = plan_pages(self.catalog, catalog, self.pdfs, pdfs)
        exhibits = [exhibit for case in catalog.cases for exhibit in case.exhibits]
        make_exhibit_copies(exhibits, exhibits_cache(self.args.out))
        with interrupts_deferred():  # Ctrl-C now would leave the pages half updated
            write_pages(self.env, catalog, plan, self.site_dir, pdfs, self.templates)
            publish_exhibits(exhibits, exhibits_cache(self.args.out), self.site_dir)
        self.catalog, self.pdfs = catalog, pdfs
        return len(plan.write), len(plan.delete)

    def _report(self, problems: list[str]) -> None:
        for problem in problems:
            print(problem, file=sys.stderr, flush=True)
        count = len(problems)
        serving = ("still serving the last good site" if (self.site_dir / "index.html").is_file()
                   else "no site to serve until they are fixed")
        print(f"{count} problem{'s' * (count != 1)}; {serving}", file=sys.stderr, flush=True)
        self.state.failed(problems)


def present_pdfs(site_dir: Path, catalog: Catalog) -> frozenset[str]:
    """The handouts the site holds for published cases, and the handbook."""
    slugs = {case.slug for case in catalog.cases} | {HANDBOOK}
    return frozenset(pdf.stem for pdf in (site_dir / "pdf").glob("*.pdf") if pdf.stem in slugs)


def find_pdf_writer():
    """A function writing the handouts of some cases and the handbooks, or None (with a note)
    while the PDF build is not available."""
    try:
        from casebook.build import pdfbuild
    except ImportError:
        pdfbuild = None
    if not hasattr(pdfbuild, "write_pdfs"):
        say("--pdf: PDF handouts are not available in this version yet; serving the site only")
        return None

    def write_handouts(catalog: Catalog, out: Path, slugs: list[str]) -> None:
        """The handouts and the handbooks: the layouts of cases other than `slugs` come from
        the build's cache, so only the edited cases are laid out again."""
        exhibits = [exhibit for case in catalog.cases for exhibit in case.exhibits]
        make_exhibit_copies(exhibits, exhibits_cache(out))
        pdfbuild.write_pdfs(catalog, out / "site" / "pdf", out / "facilitator",
                       cache_dir=out / ".cache" / "pdf", pictures=exhibits_cache(out))
    return write_handouts


def say(message: str) -> None:
    print(message, flush=True)


# --- the HTTP server -------------------------------------------------------------------------

class LiveHandler(SimpleHTTPRequestHandler):
    """Serves the site folder; HTML pages get the reload script as they are served."""

    def __init__(self, *args, state: LiveState, **kwargs):
        self.state = state  # before super().__init__, which handles the request
        super().__init__(*args, **kwargs)

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
        if not path.exists():
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


class LiveServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive

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
        server = open_server(args.port, state, args.out / "site")
    except OSError as error:
        print(f"build.py serve: {port_problem(args.port, error)}", file=sys.stderr)
        return EXIT_USAGE
    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    thread = None
    try:
        claim_output(args.out)
        clean_stale(args.out)
        site = LiveSite(args, root, state)
        watcher = Watcher(site.watched_files)  # before the first read: no change is missed
        site.rebuild(Changes(everything=True))
        say(f"Serving http://{HOST}:{server.server_port}/ (Ctrl-C to stop)")
        # A short poll interval: Ctrl-C waits for the server loop to notice the shutdown.
        thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
        thread.start()
        while True:
            site.rebuild(site.classify(watcher.wait_for_changes()))
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


@contextmanager
def interrupts_deferred():
    """Ctrl-C (or SIGTERM) during the block takes effect when the block ends."""
    received = []
    previous = {signum: signal.signal(signum, lambda number, frame: received.append(number))
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        raise KeyboardInterrupt
