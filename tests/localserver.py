"""A local HTTP server for the tests of fetch and refresh: 127.0.0.1 only, each path answering from a script."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = ('<!DOCTYPE html>\n<html lang="fi"><head><meta charset="utf-8"></head>\n<body>\n'
        "<p>Eka hanke</p>\n<p>Kuvaus &amp; tavoitteet.</p>\n<p>Lisätietoja</p>\n<p>Anna A, Espoo</p>\n"
        "</body></html>\n").encode()
HTML = {"Content-Type": "text/html; charset=utf-8"}


@dataclass
class Answer:
    """What the server sends to one request: status, headers, body, and how slowly."""

    status: int = 200
    body: bytes = PAGE
    headers: dict[str, str] = field(default_factory=lambda: dict(HTML))
    delay: float = 0.0  # before the status line
    trickle: float = 0.0  # between the bytes of the body


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class Server:
    """A threaded HTTP server on 127.0.0.1; each path answers from its script (the last answer repeats)."""

    def __init__(self, port: int = 0) -> None:
        self.scripts: dict[str, list[Answer]] = {}
        self.requests: list[Request] = []
        self.stop = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str = "/page", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def script(self, path: str, *answers: Answer) -> str:
        self.scripts[path] = list(answers)
        return self.url(path)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def _answer(self, path: str) -> Answer:
        script = self.scripts.get(path) or [Answer(404, b"<p>not here</p>")]
        return script.pop(0) if len(script) > 1 else script[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(Request(self.path, dict(self.headers.items())))
                answer = server._answer(self.path)
                if server.stop.wait(answer.delay):
                    return
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    for i in range(0, len(answer.body), 1 if answer.trickle else len(answer.body) or 1):
                        self.wfile.write(answer.body[i:i + 1] if answer.trickle else answer.body)
                        self.wfile.flush()
                        if server.stop.wait(answer.trickle):
                            return
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


@contextmanager
def serving(port: int = 0) -> Iterator[Server]:
    """A running server (on a free port unless given), stopped and its slow answers cut short on the way out."""
    running = Server(port)
    running.thread.start()
    try:
        yield running
    finally:
        running.stop.set()
        running.httpd.shutdown()
        running.httpd.server_close()
        running.thread.join()
