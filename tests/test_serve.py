"""`build.py serve` end to end: a real server process on a free port, a copy of the cases, and
the edits an author makes, checked through HTTP as a browser sees them."""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from casebook.preview import serve as serve_module

ROOT = Path(__file__).resolve().parent.parent
TWC = "twc-patrick-stewart-cable-wait"
PHONE = "phone-com-chat-customer-tweets-director"
SCRIPT_TAG = '<script src="/__casebook/live.js"'
SECONDS = 2.0  # an author sees a saved change this soon


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One `build.py serve` process working on a copy of the cases in `folder`."""

    def __init__(self, folder: Path, *options: str, program: Path = ROOT / "build.py"):
        self.folder = folder
        self.port = free_port()
        self.stdout = open(folder / "serve.out", "w+")
        self.stderr = open(folder / "serve.err", "w+")
        self.process = subprocess.Popen(
            [sys.executable, str(program), "serve", "--cases", "cases", "--out", "out",
             "--port", str(self.port), *options],
            cwd=folder, stdout=self.stdout, stderr=self.stderr)
        wait_until(self.ready, timeout=120, what="the server to start")

    def ready(self) -> bool:
        assert self.process.poll() is None, f"serve exited early:\n{self.errors()}"
        try:
            return self.status() is not None
        except OSError:
            return False

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.get("__casebook/status")[1])

    def stop(self, sig=signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.stdout.close()
            self.stderr.close()

    def output(self) -> str:
        return (self.folder / "serve.out").read_text()

    def errors(self) -> str:
        return (self.folder / "serve.err").read_text()


def wait_until(condition, timeout: float = SECONDS, what: str = "the change") -> float:
    """Seconds until `condition()` was true; fails the test after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"waited {timeout} s for {what}")
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.fixture
def book(tmp_path):
    """A copy of the shipped cases and site.yaml, for the server to watch."""
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    return tmp_path


@pytest.fixture
def server(book):
    running = Server(book)
    yield running
    running.stop()


def case_file(book: Path, slug: str) -> Path:
    return book / "cases" / f"{slug}.yaml"


def replace_in(path: Path, *changes: str) -> None:
    """Save `path` once with each (old, new) pair of `changes` replaced."""
    text = path.read_text(encoding="utf-8")
    for old, new in zip(changes[::2], changes[1::2]):
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def site_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_authoring_loop(server, book):
    page = f"cases/{TWC}.html"
    status, html = server.get(page)
    assert status == 200 and "Patrick Stewart waits for his cable installation" in html
    assert SCRIPT_TAG in html
    assert server.status()["problems"] == []

    # An edit shows within two seconds.
    replace_in(case_file(book, TWC), "title: Patrick Stewart waits", "title: Sir Patrick waits")
    wait_until(lambda: "Sir Patrick waits" in server.get(page)[1])
    assert "Sir Patrick waits" in server.get("index.html")[1]

    # A mistake: the problem is reported, the last good page is still served.
    replace_in(case_file(book, TWC), "outcome: negative", "outcome: awful")
    wait_until(lambda: server.status()["problems"], what="the problem to be reported")
    problems = server.status()["problems"]
    assert problems == [f"cases/{TWC}.yaml:6: outcome: `awful` is not allowed "
                        "(one of positive, negative, mixed, unresolved, unknown)"]
    assert "Sir Patrick waits" in server.get(page)[1]
    assert problems[0] in server.errors()  # the terminal shows it too

    # Fixing it clears the problem, and the fix is served.
    replace_in(case_file(book, TWC), "outcome: awful", "outcome: negative",
               "title: Sir Patrick waits", "title: Sir Patrick still waits")
    wait_until(lambda: not server.status()["problems"], what="the problem to clear")
    assert "Sir Patrick still waits" in server.get(page)[1]

    # A new case gets its page and a card on the index.
    new_case = case_file(book, "a-second-cable-wait")
    new_case.write_text(case_file(book, TWC).read_text(encoding="utf-8").replace(
        "title: Sir Patrick still waits", "title: Another actor waits"), encoding="utf-8")
    wait_until(lambda: server.get("cases/a-second-cable-wait.html")[0] == 200)
    assert "Another actor waits" in server.get("index.html")[1]

    # A deleted case is gone: its page is not found, the index no longer lists it.
    case_file(book, PHONE).unlink()
    wait_until(lambda: server.get(f"cases/{PHONE}.html")[0] == 404)
    assert f"{PHONE}.html" not in server.get("index.html")[1]

    # What was written step by step is exactly what a full build writes, without the script
    # (Ctrl-C waits for the pages being written).
    assert server.stop() == 0
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--only", "site", "--cases", "cases",
                    "--out", "full", "--quiet"], cwd=book, check=True)
    served = site_files(book / "out" / "preview" / "site")
    assert not (book / "out" / "site").exists()  # serve never writes the published site
    assert served == site_files(book / "full" / "site")
    assert not any(b"__casebook" in content for content in served.values())


def test_an_open_page_is_told_to_reload(server, book):
    """The event stream the page's script listens to sends a new version after a rebuild."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", "/__casebook/events")
    events = connection.getresponse()
    assert events.headers["Content-Type"] == "text/event-stream"
    first = read_event(events)
    replace_in(case_file(book, TWC), "title: Patrick Stewart waits", "title: Sir Patrick waits")
    started = time.monotonic()
    second = read_event(events)
    assert time.monotonic() - started < SECONDS
    assert second["version"] != first["version"] and second["problems"] == []
    connection.close()


def read_event(response) -> dict:
    """The next `data:` message of a Server-Sent Events stream (keep-alive comments skipped)."""
    while True:
        line = response.fp.readline().decode()
        if line.startswith("data: "):
            return json.loads(line[len("data: "):])


def test_how_editors_save(server, book):
    page = f"cases/{TWC}.html"
    path = case_file(book, TWC)
    original = path.read_text(encoding="utf-8")

    # Write a temporary file, then rename it over the case (vim, many IDEs).
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(original.replace("title: Patrick", "title: Renamed Patrick"),
                         encoding="utf-8")
    os.replace(temporary, path)
    wait_until(lambda: "Renamed Patrick" in server.get(page)[1])

    # Two saves of the same size in quick succession: the second one is what is shown.
    path.write_text(original.replace("title: Patrick", "title: First Patrick"), encoding="utf-8")
    path.write_text(original.replace("title: Patrick", "title: Final Patrick"), encoding="utf-8")
    wait_until(lambda: "Final Patrick" in server.get(page)[1])

    # The file vanishes for a moment (delete, then write anew): no error, the page survives.
    path.unlink()
    time.sleep(0.05)
    path.write_text(original.replace("title: Patrick", "title: Back Patrick"), encoding="utf-8")
    wait_until(lambda: "Back Patrick" in server.get(page)[1])
    assert server.status()["problems"] == []
    assert "problem" not in server.errors()


def test_a_site_yaml_change_rebuilds_every_page(server, book):
    replace_in(book / "site.yaml", "title: Social Customer Service Casebook",
               "title: Service Recovery Casebook")
    wait_until(lambda: "Service Recovery Casebook" in server.get(f"cases/{PHONE}.html")[1],
               timeout=10)  # a full rebuild
    assert "Service Recovery Casebook" in server.get("tags/airline.html")[1]


def test_it_starts_with_a_broken_case_and_builds_once_fixed(book):
    replace_in(case_file(book, TWC), "outcome: negative", "outcome: awful")
    server = Server(book)
    try:
        assert server.status()["problems"][0].startswith(f"cases/{TWC}.yaml:6: outcome:")
        status, html = server.get("index.html")
        assert status == 404 and SCRIPT_TAG in html  # nothing built yet; the script still runs
        replace_in(case_file(book, TWC), "outcome: awful", "outcome: negative")
        # The build publishes the pages a moment before the server's state is told: wait for
        # both, as the open page does (it reloads when the state changes).
        wait_until(lambda: server.get("index.html")[0] == 200 and not server.status()["problems"])
    finally:
        assert server.stop() == 0


def test_ctrl_c_stops_it_cleanly(server):
    assert server.stop(signal.SIGINT) == 0
    assert "Traceback" not in server.errors()
    assert "Stopped." in server.output()
    with pytest.raises(OSError):  # the port is closed
        socket.create_connection(("127.0.0.1", server.port), timeout=1).close()


def test_a_taken_port_is_a_usage_error(server, book):
    taken = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "serve", "--cases", "cases", "--out", "other",
         "--port", str(server.port)], cwd=book, capture_output=True, text=True, timeout=30)
    assert taken.returncode == 2
    assert taken.stderr == (f"build.py serve: port {server.port} is already in use on 127.0.0.1; "
                            "choose another with --port N\n")
    assert not (book / "other").exists()  # it stopped before building anything


def test_it_listens_on_loopback_only(server):
    assert f"Serving http://127.0.0.1:{server.port}/ (Ctrl-C to stop)" in server.output()
    listening = listening_addresses(server.port)
    if listening is None:
        pytest.skip("no /proc/net/tcp to read the listening sockets from")
    assert listening == {"127.0.0.1"}


def listening_addresses(port: int) -> set[str] | None:
    """The local addresses of the sockets listening on `port`, from the Linux kernel's tables
    (any IPv6 listener counts as "IPv6")."""
    if not Path("/proc/net/tcp").exists():
        return None
    found = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        rows = table.read_text().splitlines()[1:] if table.exists() else []
        for row in rows:
            address, port_hex = row.split()[1].split(":")
            if row.split()[3] == "0A" and int(port_hex, 16) == port:  # 0A: listening
                ipv4 = len(address) == 8  # hex, in the kernel's (little-endian) byte order
                found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]) if ipv4 else "IPv6")
    return found


def test_pdf_rebuilds_the_handout_of_an_edited_case(book):
    for other in (book / "cases").glob("*.yaml"):  # one case: PDFs take seconds each
        if other.stem != TWC:
            other.unlink()
    server = Server(book, "--pdf")
    try:
        handout = book / "out" / "preview" / "site" / "pdf" / f"{TWC}.pdf"
        assert "Patrick Stewart waits" in pdf_text(handout)
        replace_in(case_file(book, TWC), "title: Patrick Stewart waits", "title: Sir Patrick waits")
        wait_until(lambda: "Sir Patrick waits" in pdf_text(handout), timeout=90,
                   what="the handout to be rebuilt")
        assert f"pdf/{TWC}.pdf" in server.get(f"cases/{TWC}.html")[1]
    finally:
        assert server.stop() == 0


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    try:
        return "".join(page.extract_text() for page in PdfReader(path).pages)
    except Exception:  # being written at this moment: not readable yet
        return ""


def test_a_template_change_rebuilds_every_page_and_a_broken_one_is_reported(tmp_path):
    """On a copy of the whole program, since the templates are the program's own."""
    for folder in ("casebook", "templates", "cases"):
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("build.py", "site.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    server = Server(tmp_path, program=tmp_path / "build.py")
    try:
        base = tmp_path / "templates" / "base.html"
        original = base.read_text(encoding="utf-8")
        base.write_text(original + "<!-- Template edited -->\n", encoding="utf-8")
        wait_until(lambda: "Template edited" in server.get(f"cases/{PHONE}.html")[1],
                   timeout=10)  # a full rebuild
        assert "Template edited" in server.get("tags/airline.html")[1]

        base.write_text(original + "{% if %}\n", encoding="utf-8")  # a syntax error
        wait_until(lambda: server.status()["problems"], what="the template problem")
        line = original.count("\n") + 1
        assert server.status()["problems"][0].startswith(f"templates/base.html:{line}: template:")
        assert "Template edited" in server.get("index.html")[1]  # the last good site

        base.write_text(original, encoding="utf-8")
        wait_until(lambda: not server.status()["problems"], what="the problem to clear")
        assert "Template edited" not in server.get("index.html")[1]
    finally:
        assert server.stop() == 0


def test_it_refuses_an_out_folder_it_did_not_make(book):
    (book / "mine").mkdir()
    (book / "mine" / "notes.txt").write_text("keep me")
    refused = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "serve", "--cases", "cases", "--out", "mine",
         "--port", str(free_port())], cwd=book, capture_output=True, text=True, timeout=30)
    assert refused.returncode == 2
    assert "is not empty and was not made by Casebook" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert [p.name for p in (book / "mine").iterdir()] == ["notes.txt"]


def test_a_save_that_changes_nothing_shown_does_not_reload(server, book):
    version = server.status()["version"]
    path = case_file(book, TWC)
    path.write_text(path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    wait_until(lambda: f"cases/{TWC}.yaml changed: 0 files updated" in server.output(),
               what="the rebuild")
    assert server.status()["version"] == version


def build(book: Path, *options: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--cases", "cases", "--out", "out",
                    "--quiet", *options], cwd=book, check=True)


def test_serve_never_changes_the_published_site(book):
    """The preview lives in out/preview: drafting a case there, and publishing it again,
    leaves out/site and out/facilitator exactly as the last build made them."""
    for other in (book / "cases").glob("*.yaml"):  # two cases: the handbook takes seconds
        if other.stem not in (TWC, PHONE):
            other.unlink()
    build(book)
    published = site_files(book / "out" / "site")
    facilitator = site_files(book / "out" / "facilitator")
    server = Server(book)
    try:
        replace_in(case_file(book, TWC), "outcome: negative", "draft: true\noutcome: negative")
        wait_until(lambda: server.get(f"cases/{TWC}.html")[0] == 404)
        assert f"{TWC}.html" not in server.get("index.html")[1]
        replace_in(case_file(book, TWC), "title: Patrick Stewart waits", "title: Sir Patrick waits",
                   "draft: true\n", "")
        wait_until(lambda: "Sir Patrick waits" in server.get(f"cases/{TWC}.html")[1])
    finally:
        assert server.stop() == 0
    assert site_files(book / "out" / "site") == published
    assert site_files(book / "out" / "facilitator") == facilitator
    assert (book / "out" / "preview" / "site" / "index.html").is_file()


def test_a_draft_leaves_the_published_site_whatever_ran_before(book):
    """Issue 16, point 4: after a full build, a case set to draft is gone from the index, its
    page and its handout, and from the handbook, also when only the site is rebuilt."""
    for other in (book / "cases").glob("*.yaml"):
        if other.stem not in (TWC, PHONE):
            other.unlink()
    build(book)
    assert (book / "out" / "site" / "pdf" / "handbook.pdf").is_file()
    replace_in(case_file(book, TWC), "outcome: negative", "draft: true\noutcome: negative")
    build(book, "--only", "site")
    site = book / "out" / "site"
    assert TWC not in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / "cases" / f"{TWC}.html").exists()
    assert not (site / "pdf" / f"{TWC}.pdf").exists()
    assert not (site / "pdf" / "handbook.pdf").exists()  # it would still show the draft
    assert "handbook.pdf" not in (site / "index.html").read_text(encoding="utf-8")


def raw_request(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request)
        response = b""
        while chunk := connection.recv(65536):
            response += chunk
    return response


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "LOCALHOST"])
def test_it_answers_loopback_hosts(server, host):
    response = raw_request(server.port, f"GET /index.html HTTP/1.0\r\nHost: {host}:{server.port}"
                                        "\r\n\r\n".encode())
    assert response.startswith(b"HTTP/1.0 200")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "localhost.evil.example", "", "127.0.0.1:80x"])
def test_it_refuses_other_hosts_dns_rebinding(server, host):
    header = f"Host: {host}\r\n" if host else ""
    for path in ("/index.html", "/__casebook/status", f"/cases/{TWC}.html"):
        response = raw_request(server.port, f"GET {path} HTTP/1.0\r\n{header}\r\n".encode())
        assert response.startswith(b"HTTP/1.0 421"), response[:80]
        assert b"Patrick" not in response and b"problems" not in response


def test_a_folder_is_never_listed(server):
    for path in ("cases/", "cases/#x", "pdf/", "tags"):
        status, html = server.get(path)
        assert status == 404, path
        assert TWC not in html   # no listing of the folder's files
    assert server.get("")[0] == 200  # the site's own index.html


def test_idle_connections_time_out_and_their_number_is_bounded(tmp_path, monkeypatch):
    """A client that connects and sends nothing is dropped after the timeout, and a flood of
    such connections holds at most MAX_CONNECTIONS threads."""
    import threading
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title><p>hello")
    monkeypatch.setattr(serve_module.LiveHandler, "timeout", 0.5)
    monkeypatch.setattr(serve_module, "MAX_CONNECTIONS", 8)
    server = serve_module.LiveServer(
        ("127.0.0.1", 0), serve_module.partial(serve_module.LiveHandler,
                                               state=serve_module.LiveState(),
                                               directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        before = threading.active_count()
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(40)]
        time.sleep(0.3)
        assert threading.active_count() - before <= 8
        started = time.monotonic()
        assert idle[0].recv(1) == b""           # closed by the server, not by us
        assert time.monotonic() - started < 3
        for connection in idle:
            connection.close()
        response = raw_request(port, b"GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n")
        assert response.startswith(b"HTTP/1.0 200") and b"hello" in response
    finally:
        server.shutdown()
        server.server_close()
