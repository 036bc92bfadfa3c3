"""hankkeet fetch against a local HTTP server the test scripts: answers, retries, refusals, all-or-nothing snapshots."""
from __future__ import annotations

import errno
import hashlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from localserver import HTML, PAGE, Answer, Server, serving

import hankkeet.fetch
import hankkeet.transaction
from hankkeet import __version__
from hankkeet.cli import main
from hankkeet.fetch import (
    COLUMNS,
    Snapshot,
    parse_snapshots,
    render_snapshots,
    request_headers,
)

OTHER = PAGE.replace(b"Eka hanke", b"Toka hanke")
DAY = "2025-06-01"
HEADER = ",".join(COLUMNS) + "\r\n"


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as running:
        yield running


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits between attempts, recorded instead of slept."""
    waited: list[float] = []
    monkeypatch.setattr(hankkeet.fetch, "pause", waited.append)
    return waited


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    return tmp_path / "raw"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def fetch(url: str, raw: Path, *options: str, day: str = DAY) -> tuple[int, str]:
    code, out, err = run("fetch", url, "--into", str(raw), "--date", day, *options)
    assert out == "", out  # data goes to files, messages to stderr
    return code, err


def files(folder: Path) -> dict[str, bytes]:
    """Everything in a folder (hidden staging folders too), by name."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def line(url: str, body: bytes = PAGE, day: str = DAY) -> str:
    """The line of SNAPSHOTS.csv of a page served without ETag and Last-Modified."""
    return f"{day},{url},{hashlib.sha256(body).hexdigest()},{len(body)},200,,\r\n"


def csv_text(folder: Path) -> str:
    return (folder / "SNAPSHOTS.csv").read_bytes().decode("utf-8")


def short(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:12]


# ---- 200, 304 and the same bytes


def test_a_page_is_stored_as_html_text_and_a_line_of_snapshots_csv(server: Server, raw: Path) -> None:
    modified = "Sun, 01 Jun 2025 08:00:00 GMT"
    url = server.script("/page", Answer(headers={**HTML, "ETag": '"v1"', "Last-Modified": modified}))
    code, err = fetch(url, raw)
    assert code == 0, err
    assert err == f"stored {raw.as_posix()}/{DAY}.html and .txt ({len(PAGE)} bytes, sha256 {short(PAGE)})\n"
    assert sorted(files(raw)) == [f"{DAY}.html", f"{DAY}.txt", "SNAPSHOTS.csv"]
    assert (raw / f"{DAY}.html").read_bytes() == PAGE
    text = (raw / f"{DAY}.txt").read_text(encoding="utf-8").splitlines()
    for paragraph in ("Eka hanke", "Kuvaus & tavoitteet.", "Lisätietoja", "Anna A, Espoo"):
        assert paragraph in text, text
    assert csv_text(raw) == (HEADER + f"{DAY},{url},{hashlib.sha256(PAGE).hexdigest()},{len(PAGE)},200,"
                             '"""v1""","Sun, 01 Jun 2025 08:00:00 GMT"\r\n')
    [request] = server.requests
    assert request.headers["User-Agent"].startswith(f"hankkeet/{__version__} "), request.headers
    assert "If-None-Match" not in request.headers and "If-Modified-Since" not in request.headers


def test_the_second_run_is_conditional_and_a_304_stores_nothing(server: Server, raw: Path) -> None:
    modified = "Sun, 01 Jun 2025 08:00:00 GMT"
    url = server.script("/page", Answer(headers={**HTML, "ETag": '"v1"', "Last-Modified": modified}),
                        Answer(304, b"", {"ETag": '"v1"'}))
    assert fetch(url, raw)[0] == 0
    before = files(raw)
    code, err = fetch(url, raw, day="2025-06-08")
    assert (code, err) == (0, f"unchanged since {DAY} (sha256 {short(PAGE)})\n")
    assert files(raw) == before
    assert server.requests[1].headers["If-None-Match"] == '"v1"'
    assert server.requests[1].headers["If-Modified-Since"] == modified


def test_the_same_bytes_again_store_nothing(server: Server, raw: Path) -> None:
    """A server without ETag or Last-Modified answers 200 every time; the hash tells that nothing changed."""
    url = server.script("/page", Answer(headers=HTML))
    assert fetch(url, raw)[0] == 0
    before = files(raw)
    assert fetch(url, raw, day="2025-06-08") == (0, f"unchanged since {DAY} (sha256 {short(PAGE)})\n")
    assert files(raw) == before
    assert "If-None-Match" not in server.requests[1].headers


def test_a_changed_page_adds_a_snapshot_and_a_line(server: Server, raw: Path) -> None:
    url = server.script("/page", Answer(), Answer(body=OTHER))
    assert fetch(url, raw)[0] == 0
    assert fetch(url, raw, "-q", day="2025-06-08") == (0, "")
    assert sorted(files(raw)) == [f"{DAY}.html", f"{DAY}.txt", "2025-06-08.html", "2025-06-08.txt", "SNAPSHOTS.csv"]
    assert csv_text(raw) == (
        HEADER + line(url) + line(url, OTHER, "2025-06-08"))


def test_a_snapshot_of_the_same_date_with_other_content_is_refused_unless_forced(server: Server, raw: Path) -> None:
    url = server.script("/page", Answer(), Answer(body=OTHER))
    assert fetch(url, raw)[0] == 0
    before = files(raw)
    code, err = fetch(url, raw)
    assert code == 2
    assert err == (f"Error: {raw.as_posix()}/{DAY}.html: a snapshot of {DAY} with other content is already there; "
                   "not replacing it (--force replaces it); nothing was stored\n")
    assert files(raw) == before
    assert fetch(url, raw, "--force")[0] == 0
    assert (raw / f"{DAY}.html").read_bytes() == OTHER
    assert csv_text(raw) == HEADER + line(url, OTHER)


def test_no_content_type_is_judged_by_the_body(server: Server, raw: Path) -> None:
    url = server.script("/page", Answer(headers={}))
    assert fetch(url, raw)[0] == 0
    assert (raw / f"{DAY}.html").read_bytes() == PAGE


# ---- failures: exit 2, one line, nothing stored


def test_404_is_exit_2_without_retries(server: Server, raw: Path, sleeps: list[float]) -> None:
    url = server.script("/page", Answer(404, b"<p>gone</p>"))
    assert fetch(url, raw) == (2, f"Error: {url}: HTTP 404 Not Found; nothing was stored\n")
    assert server.paths() == ["/page"] and sleeps == [] and files(raw) == {}


def test_500_then_200_is_retried_and_stored(server: Server, raw: Path, sleeps: list[float]) -> None:
    url = server.script("/page", Answer(500, b"<p>oops</p>"), Answer())
    code, err = fetch(url, raw)
    assert code == 0, err
    assert err == (f"{url}: HTTP 500 Internal Server Error; trying again in 1 s (2 of 4 attempts)\n"
                   f"stored {raw.as_posix()}/{DAY}.html and .txt ({len(PAGE)} bytes, sha256 {short(PAGE)})\n")
    assert server.paths() == ["/page", "/page"] and sleeps == [1.0]
    assert (raw / f"{DAY}.html").read_bytes() == PAGE


def test_5xx_after_every_retry_is_exit_2(server: Server, raw: Path, sleeps: list[float]) -> None:
    url = server.script("/page", Answer(503, b"<p>busy</p>"))
    code, err = fetch(url, raw, "--retries", "2", "-q")
    assert (code, err) == (2, f"Error: {url}: HTTP 503 Service Unavailable (3 attempts); nothing was stored\n")
    assert len(server.requests) == 3 and sleeps == [1.0, 2.0] and files(raw) == {}


@pytest.mark.parametrize("answer", [Answer(delay=5.0), Answer(trickle=0.05)], ids=["silent", "trickling"])
def test_a_slow_server_times_out_after_the_retries(server: Server, raw: Path, sleeps: list[float],
                                                   answer: Answer) -> None:
    """A server that never answers, and one that sends a byte at a time (each within the socket timeout)."""
    url = server.script("/page", answer)
    started = time.monotonic()
    code, err = fetch(url, raw, "--timeout", "0.3", "--retries", "2", "-q")
    assert time.monotonic() - started < 3
    assert (code, err) == (2, f"Error: {url}: no complete answer within 0.3 s (3 attempts); nothing was stored\n")
    assert len(server.requests) == 3 and sleeps == [1.0, 2.0] and files(raw) == {}


def test_a_refused_connection_is_retried_then_exit_2(raw: Path, sleeps: list[float]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/page"
    code, err = fetch(url, raw, "--retries", "1", "-q")
    assert (code, err) == (2, (f"Error: {url}: connection failed (Connection refused) (2 attempts); "
                              "nothing was stored\n"))
    assert sleeps == [1.0] and files(raw) == {}


def test_a_redirect_on_the_same_host_is_followed(server: Server, raw: Path) -> None:
    url = server.script("/old", Answer(301, b"", {"Location": "/page"}))
    server.script("/page", Answer())
    code, err = fetch(url, raw)
    assert code == 0, err
    assert err == (f"stored {raw.as_posix()}/{DAY}.html and .txt ({len(PAGE)} bytes, sha256 {short(PAGE)}); "
                   f"redirected to {server.url('/page')}\n")
    assert server.paths() == ["/old", "/page"]
    assert server.requests[1].headers["User-Agent"].startswith(f"hankkeet/{__version__} ")
    assert csv_text(raw) == HEADER + line(url)


@pytest.mark.parametrize(("location", "where"), [
    ("http://localhost:{port}/page", "another host"),
    ("ftp://127.0.0.1:{port}/page", "a ftp: URL"),
])
def test_a_redirect_to_another_host_or_scheme_is_refused(server: Server, raw: Path, location: str,
                                                         where: str) -> None:
    target = location.format(port=server.port)
    url = server.script("/old", Answer(302, b"", {"Location": target}))
    server.script("/page", Answer())
    assert fetch(url, raw) == (2, (f"Error: {url}: redirected (302) to {target}, {where}; not followed (give that "
                                  "URL if it is the right page); nothing was stored\n"))
    assert server.paths() == ["/old"] and files(raw) == {}


def test_a_redirect_to_a_file_url_is_refused(server: Server, raw: Path) -> None:
    """urllib refuses schemes other than http, https and ftp itself, before asking the handler."""
    url = server.script("/old", Answer(302, b"", {"Location": "file:///etc/passwd"}))
    code, err = fetch(url, raw)
    assert code == 2 and err.startswith(f"Error: {url}: HTTP 302 ") and "file:///etc/passwd" in err, err
    assert err.endswith("; nothing was stored\n") and files(raw) == {}


@pytest.mark.parametrize(("answer", "message"), [
    (Answer(body=b"%PDF-1.7\n...", headers={"Content-Type": "application/pdf"}),
     "the answer is application/pdf, not HTML"),
    (Answer(body=b'{"projects": []}', headers={"Content-Type": "application/json; charset=utf-8"}),
     "the answer is application/json, not HTML"),
    (Answer(body=b"%PDF-1.7\n\x00\x01", headers=HTML), "the answer is not HTML markup"),
    (Answer(body=b"", headers=HTML), "the answer is not HTML markup"),
], ids=["pdf", "json", "pdf-as-html", "empty"])
def test_an_answer_that_is_not_html_is_refused(server: Server, raw: Path, answer: Answer, message: str) -> None:
    url = server.script("/page", answer)
    assert fetch(url, raw) == (2, f"Error: {url}: {message}; nothing was stored\n")
    assert files(raw) == {}


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/page", "file:///etc/passwd", "127.0.0.1/page", "http:///page"])
def test_only_http_and_https_urls_are_fetched(raw: Path, url: str) -> None:
    assert fetch(url, raw) == (2, (f"Error: {url}: not an http or https URL with a host; only web pages are "
                                  "fetched\n"))
    assert files(raw) == {}


def test_a_snapshots_csv_hankkeet_did_not_write_is_refused(server: Server, raw: Path) -> None:
    raw.mkdir()
    (raw / "SNAPSHOTS.csv").write_text("when,where\n", encoding="utf-8")
    url = server.script("/page", Answer())
    assert fetch(url, raw) == (2, (f"Error: {raw.as_posix()}/SNAPSHOTS.csv: the header is not "
                                  f"{','.join(COLUMNS)}; not a file hankkeet wrote; nothing was stored\n"))
    assert server.requests == [] and sorted(files(raw)) == ["SNAPSHOTS.csv"]


# ---- never a half-written snapshot


def test_a_failed_rename_of_snapshots_csv_leaves_nothing(server: Server, raw: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The two pages are already moved in when SNAPSHOTS.csv fails: they are taken out again."""
    url = server.script("/page", Answer(), Answer(body=OTHER))
    assert fetch(url, raw)[0] == 0
    before = files(raw)
    replace = os.replace

    def failing(source: str | Path, target: str | Path) -> None:
        if Path(target) == raw / "SNAPSHOTS.csv" and Path(source).parent.name == "new":  # moving the new one in
            raise OSError(errno.EIO, "Input/output error", str(target))
        replace(source, target)

    monkeypatch.setattr("hankkeet.transaction.os.replace", failing)
    code, err = fetch(url, raw, day="2025-06-08")
    assert code == 2
    assert err == (f"Error: cannot write to {raw.as_posix()}: Input/output error ({raw.as_posix()}/SNAPSHOTS.csv); "
                   "the previous outputs are as they were; nothing was stored\n")
    assert files(raw) == before


def test_a_failed_write_of_snapshots_csv_leaves_nothing(server: Server, raw: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    url = server.script("/page", Answer())
    write_file = hankkeet.transaction.write_file

    def full(path: Path, writer: hankkeet.transaction.Output) -> None:
        if path.name == "SNAPSHOTS.csv":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        write_file(path, writer)

    monkeypatch.setattr(hankkeet.transaction, "write_file", full)
    code, err = fetch(url, raw)
    assert code == 2
    assert err.startswith(f"Error: cannot write to {raw.as_posix()}: No space left on device"), err
    assert err.endswith("; nothing was stored\n"), err
    assert files(raw) == {}


def test_a_commit_that_could_not_be_undone_is_undone_by_the_next_fetch(server: Server, raw: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """As after a SIGKILL mid-commit: the journal names snapshot files, and the next run must accept it."""
    url = server.script("/page", Answer())
    replace = os.replace

    def failing(source: str | Path, target: str | Path) -> None:
        if Path(target) == raw / "SNAPSHOTS.csv":
            raise OSError(errno.EIO, "Input/output error", str(target))
        replace(source, target)

    with monkeypatch.context() as patch:
        patch.setattr("hankkeet.transaction.os.replace", failing)
        patch.setattr(hankkeet.transaction, "_undo", lambda *args: False)
        code, err = fetch(url, raw)
    assert code == 2 and "the next run will finish undoing it" in err, err
    assert (raw / f"{DAY}.html").exists()  # half-way, with the journal kept in the staging folder
    assert fetch(url, raw, "-q") == (0, "")
    assert sorted(files(raw)) == [f"{DAY}.html", f"{DAY}.txt", "SNAPSHOTS.csv"]
    assert csv_text(raw) == HEADER + line(url)


# ---- the pure parts


def test_request_headers_are_conditional_on_the_last_snapshot() -> None:
    last = Snapshot(DAY, "https://example.org/", "0" * 64, 10, 200, '"abc"', "Sun, 01 Jun 2025 08:00:00 GMT")
    assert request_headers(None) == {"User-Agent": f"hankkeet/{__version__} (Python urllib; keeps dated snapshots "
                                                   "of one page)", "Accept": "text/html,application/xhtml+xml;q=0.9"}
    assert request_headers(last) == {**request_headers(None), "If-None-Match": '"abc"',
                                     "If-Modified-Since": "Sun, 01 Jun 2025 08:00:00 GMT"}


def test_snapshots_csv_round_trips_with_commas_and_quotes() -> None:
    rows = [Snapshot(DAY, "https://example.org/a,b", "f" * 64, 1, 200, 'W/"x,y"', ""),
            Snapshot("2025-06-08", "https://example.org/", "e" * 64, 2, 200, "", "Mon, 02 Jun 2025 08:00:00 GMT")]
    text = render_snapshots(rows)
    assert text.startswith(HEADER) and '"W/""x,y"""' in text
    assert parse_snapshots(text, "SNAPSHOTS.csv") == rows


# ---- a download cut short


@pytest.fixture
def cut_short() -> Iterator[tuple[str, list[int]]]:
    """A server that promises a page's length, sends half of it and closes; the URL and its count of requests."""
    served: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.append(1)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(PAGE[:len(PAGE) // 2])
            self.wfile.flush()
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/page", served
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_a_download_cut_short_is_retried_then_exit_2(cut_short: tuple[str, list[int]], raw: Path,
                                                     sleeps: list[float]) -> None:
    url, served = cut_short
    code, err = fetch(url, raw, "--retries", "1", "-q")
    assert (code, err) == (2, (f"Error: {url}: the connection closed before the whole answer (2 attempts); "
                              "nothing was stored\n"))
    assert len(served) == 2 and sleeps == [1.0] and files(raw) == {}


# ---- a page without a listing


@pytest.mark.parametrize("body", [
    ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><main><h1>Huoltokatko</h1>'
     "<p>Sivusto on tilapäisesti poissa käytöstä. Yritä myöhemmin uudelleen.</p></main></body></html>"),
    ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><nav><ul><li>Etusivu</li>'
     "<li>Ajankohtaista</li></ul></nav><footer><p>Valtiovarainministeriö</p></footer></body></html>"),
], ids=["maintenance", "navigation-only"])
def test_a_page_without_a_listing_is_refused(server: Server, raw: Path, body: str) -> None:
    url = server.script("/page", Answer(body=body.encode()))
    assert fetch(url, raw) == (2, (f"Error: {url}: the page has no listing (no project in its main content); "
                                  "nothing was stored\n"))
    assert files(raw) == {}


# ---- the charset: BOM, then the Content-Type header, then <meta>

NO_META = PAGE.decode("utf-8").replace('<meta charset="utf-8">', "")


@pytest.mark.parametrize(("body", "content_type"), [
    (NO_META.encode("latin-1"), "text/html; charset=ISO-8859-1"),  # the header only
    (PAGE.decode("utf-8").encode("cp1252"), "text/html; charset=windows-1252"),  # the header against <meta>
    (b"\xef\xbb\xbf" + NO_META.encode("utf-8"), "text/html; charset=iso-8859-1"),  # the BOM against the header
], ids=["header-only", "header-over-meta", "bom-over-header"])
def test_the_charset_of_the_content_type_header_is_read(server: Server, raw: Path, body: bytes,
                                                        content_type: str) -> None:
    url = server.script("/page", Answer(body=body, headers={"Content-Type": content_type}))
    code, err = fetch(url, raw)
    assert code == 0, err
    assert (raw / f"{DAY}.html").read_bytes() == body
    assert "Lisätietoja\n" in (raw / f"{DAY}.txt").read_text(encoding="utf-8")


def test_a_page_that_cannot_be_decoded_is_one_line(server: Server, raw: Path) -> None:
    url = server.script("/page", Answer(body=NO_META.encode("latin-1"), headers=HTML))  # says UTF-8, is not
    code, err = fetch(url, raw)
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"Error: {url}: the page cannot be decoded as utf-8 (the Content-Type header's "
                          "charset): not valid utf-8 at byte offset "), err
    assert err.endswith("; nothing was stored\n") and files(raw) == {}


# ---- mistakes in what is given: one line, exit 2


def test_an_invalid_url_is_one_line(raw: Path) -> None:
    assert fetch("http://[::1", raw) == (2, "Error: http://[::1: not a valid URL (Invalid IPv6 URL)\n")
    assert fetch("http://127.0.0.1:port/", raw)[0] == 2


@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "-nan", "0.01", "0"])
def test_a_timeout_out_of_range_is_refused(raw: Path, sleeps: list[float], value: str) -> None:
    code, err = fetch("http://127.0.0.1:9/page", raw, "--timeout", value)
    assert code == 2 and "Invalid value for '--timeout'" in err, err
    assert sleeps == [] and files(raw) == {}


def test_a_snapshots_csv_with_a_huge_field_is_one_line(server: Server, raw: Path) -> None:
    import csv

    previous = csv.field_size_limit(131_072)  # the csv module's default: another test's library may raise it
    try:
        _huge_field(server, raw)
    finally:
        csv.field_size_limit(previous)


def _huge_field(server: Server, raw: Path) -> None:
    raw.mkdir()
    (raw / "SNAPSHOTS.csv").write_text(HEADER + f"{DAY},{'x' * 200_000},{'0' * 64},1,200,,\r\n", encoding="utf-8")
    url = server.script("/page", Answer())
    code, err = fetch(url, raw)
    assert code == 2 and err.startswith(f"Error: {raw.as_posix()}/SNAPSHOTS.csv: cannot read it (field larger "), err
    assert err.endswith("; nothing was stored\n") and server.requests == []


def test_a_snapshots_csv_line_without_a_date_is_refused(server: Server, raw: Path) -> None:
    raw.mkdir()
    (raw / "SNAPSHOTS.csv").write_text(HEADER + f"9999-99,x,{'0' * 64},1,200,,\r\n", encoding="utf-8")
    url = server.script("/page", Answer())
    assert fetch(url, raw) == (2, (f"Error: {raw.as_posix()}/SNAPSHOTS.csv:2: not a line hankkeet wrote (7 fields); "
                                  "nothing was stored\n"))


def test_a_url_with_letters_outside_ascii_is_percent_encoded(server: Server, raw: Path) -> None:
    server.script("/p%C3%A4iv%C3%A4%20sivu?q=%C3%A4&r=%2F", Answer())
    url = server.url("/päivä sivu?q=ä&r=%2F")
    code, err = fetch(url, raw)
    assert code == 0, err
    assert err == f"stored {raw.as_posix()}/{DAY}.html and .txt ({len(PAGE)} bytes, sha256 {short(PAGE)})\n"
    assert csv_text(raw) == HEADER + line(url)  # the URL as given


def test_request_url_encodes_the_host_in_idna_and_the_rest_in_utf8() -> None:
    request_url = hankkeet.fetch.request_url
    assert request_url("http://Bücher.example:8080/ä b/?x=ä&y=%20#frag") == (
        "http://xn--bcher-kva.example:8080/%C3%A4%20b/?x=%C3%A4&y=%20")
    assert request_url("https://vm.fi/kuntien-digitalisaation-kannustinjarjestelma") == (
        "https://vm.fi/kuntien-digitalisaation-kannustinjarjestelma")


def test_a_redirect_loop_is_one_line(server: Server, raw: Path) -> None:
    url = server.script("/loop", Answer(302, b"", {"Location": "/loop"}))
    code, err = fetch(url, raw)
    assert code == 2 and err.count("\n") == 1 and "\\n" not in err, err
    assert err.startswith(f"Error: {url}: HTTP 302 ") and "infinite loop" in err, err
    assert err.endswith("; nothing was stored\n") and files(raw) == {}


# ---- dates and the lines of SNAPSHOTS.csv


def test_a_date_in_the_future_is_refused(server: Server, raw: Path) -> None:
    url = server.script("/page", Answer())
    today = datetime.now(UTC).date()
    assert fetch(url, raw, day="2099-12-31") == (
        2, f"Error: --date: 2099-12-31 is in the future (today is {today.isoformat()}, UTC)\n")
    assert server.requests == [] and files(raw) == {}
    code, err = fetch(url, raw, day="2025-13-01")
    assert code == 2 and "Invalid value for '--date'" in err, err
    tomorrow = (today + timedelta(days=1)).isoformat()  # another time zone's today
    assert fetch(url, raw, "-q", day=tomorrow) == (0, "")


def test_the_same_page_under_two_urls_on_one_day_keeps_both_lines(server: Server, raw: Path) -> None:
    first = server.script("/page", Answer())
    second = server.script("/Page", Answer())
    assert fetch(first, raw)[0] == 0
    assert fetch(second, raw)[0] == 0
    assert csv_text(raw) == HEADER + line(first) + line(second)
    assert fetch(first, raw, "--force", "-q") == (0, "")  # unchanged
    assert csv_text(raw) == HEADER + line(first) + line(second)


def test_a_forced_replacement_drops_the_other_urls_line_of_the_replaced_files(server: Server, raw: Path) -> None:
    first = server.script("/page", Answer())
    second = server.script("/Page", Answer(body=OTHER))
    assert fetch(first, raw)[0] == 0
    assert fetch(second, raw, "--force")[0] == 0
    assert csv_text(raw) == HEADER + line(second, OTHER)


def test_the_conditional_request_uses_the_latest_date_not_the_last_line(server: Server, raw: Path) -> None:
    url = server.script("/page", Answer(body=OTHER, headers={**HTML, "ETag": '"v2"'}),
                        Answer(headers={**HTML, "ETag": '"v1"'}), Answer(304, b"", {"ETag": '"v2"'}))
    assert fetch(url, raw, "-q", day="2025-06-08") == (0, "")
    assert fetch(url, raw, "-q", day=DAY) == (0, "")  # back-filled: the last line, an older date
    assert fetch(url, raw, day="2025-06-09") == (0, f"unchanged since 2025-06-08 (sha256 {short(OTHER)})\n")
    assert server.requests[2].headers["If-None-Match"] == '"v2"'
