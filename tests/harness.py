"""Running the command line in-process, fingerprinting what it wrote, and a loopback web server
that records requests, for the tests."""
from __future__ import annotations

import hashlib
import http.server
import os
import threading
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from casebook.cli import main


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of `build.py ARGS`, run in this process."""
    try:
        code = main([str(arg) for arg in args])
    except SystemExit as exit_:  # argparse ends wrong usage this way
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def tree_hash(folder: Path) -> str:
    """One digest of every name (hidden ones too), file content and link below `folder`."""
    digest = hashlib.sha256()
    if not folder.exists():
        return "missing"
    for parent, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(dirs + files):
            path = Path(parent, name)
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            if path.is_symlink():
                digest.update(b"link:" + os.readlink(path).encode())
            elif path.is_file():
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def problem_lines(stderr: str, file: Path | str) -> list[tuple[int, str, str]]:
    """(line, field path, message) of each `FILE:LINE: path: message` reported for `file`."""
    prefix = f"{file}:"
    found = []
    for text in stderr.splitlines():
        if text.startswith(prefix):
            line, path, message = text[len(prefix):].split(": ", 2)
            found.append((int(line), path, message))
    return found


def publish_shipped_cases(out: Path) -> str:
    """Build the shipped cases' site into `out`; the fingerprint of `out` afterwards."""
    assert main(["--out", str(out), "--only", "site", "--quiet"]) == 0
    return tree_hash(out)


class _RequestLog(http.server.BaseHTTPRequestHandler):
    """Answers every request with an empty response and remembers its request line."""

    seen: list[str] = []

    def handle_one_request(self):
        self.raw_requestline = self.rfile.readline(65537)
        if self.raw_requestline:
            _RequestLog.seen.append(self.raw_requestline.decode("latin-1").strip())
            self.wfile.write(b"HTTP/1.0 204 No Content\r\n\r\n")
        self.close_connection = True

    def log_message(self, *args):
        pass


@contextmanager
def recording_server():
    """A web server on 127.0.0.1 that records every request made to it: yields its port and
    the list of request lines it received (proved to work before it is handed out)."""
    _RequestLog.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RequestLog)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    urllib.request.urlopen(f"http://127.0.0.1:{port}/probe", timeout=5).close()
    assert _RequestLog.seen == ["GET /probe HTTP/1.1"]  # the log does see requests
    _RequestLog.seen.clear()
    try:
        yield port, _RequestLog.seen
    finally:
        server.shutdown()
        server.server_close()
