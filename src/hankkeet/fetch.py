"""hankkeet fetch: download the listing page and keep a dated snapshot of it when it changed.

An answer is checked whole before anything is written (an HTML page, from the host that was asked, complete, in
time); a snapshot is ``YYYY-MM-DD.html``, its text rendition ``YYYY-MM-DD.txt`` and a new line of
``SNAPSHOTS.csv``, committed together. Only the command imports this module, so urllib costs ``--help`` nothing.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPException, HTTPMessage, HTTPResponse, IncompleteRead
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

from hankkeet import __version__
from hankkeet.printable import plural

if TYPE_CHECKING:
    from hankkeet.transaction import PathWriter, Staging

USER_AGENT = f"hankkeet/{__version__} (Python urllib; keeps dated snapshots of one page)"
SNAPSHOTS = "SNAPSHOTS.csv"
COLUMNS = ("date", "url", "sha256", "bytes", "status", "etag", "last_modified")
HTML_TYPES = ("text/html", "application/xhtml+xml")
BACKOFF_SECONDS = 1.0  # before the second attempt; doubled before each next one
MAX_PAGE_BYTES = 64 * 1024**2  # the page is about 1 MB; a server that sends without end is cut off
_CHUNK = 64 * 1024
_NOTHING = "; nothing was stored"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What percent-encoding leaves as it is: the reserved characters and "%" (a URL given already encoded stays so).
_PATH_SAFE = "/%:@!$&'()*+,;=~"
_QUERY_SAFE = _PATH_SAFE + "?"


class FetchError(Exception):
    """The page could not be fetched or stored; nothing was written. One line for the user."""


class _Transient(Exception):
    """A failure worth another attempt: a 5xx answer, a timeout, a dropped connection."""


class Unchanged(Exception):
    """The page is the one of the last snapshot (a 304 answer, or the same bytes): nothing to store."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__(f"unchanged since {snapshot.date} (sha256 {snapshot.sha256[:12]})")
        self.snapshot = snapshot


@dataclass(frozen=True)
class Snapshot:
    """One line of SNAPSHOTS.csv: a stored page."""

    date: str
    url: str
    sha256: str
    size: int
    status: int
    etag: str = ""
    last_modified: str = ""

    def row(self) -> list[str]:
        return [self.date, self.url, self.sha256, str(self.size), str(self.status), self.etag, self.last_modified]


@dataclass(frozen=True)
class Page:
    """A complete HTML answer to a GET of ``url`` (``final_url`` after same-host redirects)."""

    url: str
    final_url: str
    status: int
    body: bytes
    etag: str
    last_modified: str
    charset: str | None = None  # of the Content-Type header

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


# ---- SNAPSHOTS.csv


def read_snapshots(folder: Path) -> list[Snapshot]:
    """The lines of ``folder/SNAPSHOTS.csv`` (none when there is no such file yet)."""
    path = folder / SNAPSHOTS
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) else "not UTF-8"
        raise FetchError(f"{path.as_posix()}: cannot read it ({reason}){_NOTHING}") from None
    return parse_snapshots(text, path.as_posix())


def parse_snapshots(text: str, name: str) -> list[Snapshot]:
    """Parse SNAPSHOTS.csv; a header or line it did not write is refused rather than guessed at."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:  # a field longer than the csv module takes, a stray quote
        raise FetchError(f"{name}: cannot read it ({err}){_NOTHING}") from None
    if rows and tuple(rows[0]) != COLUMNS:
        raise FetchError(f"{name}: the header is not {','.join(COLUMNS)}; not a file hankkeet wrote{_NOTHING}")
    snapshots = []
    for number, row in enumerate(rows[1:], start=2):
        try:
            date, url, sha256, size, status, etag, last_modified = row
            if not _DATE.fullmatch(date):
                raise ValueError(date)
            snapshots.append(Snapshot(date, url, sha256, int(size), int(status), etag, last_modified))
        except ValueError:
            raise FetchError(f"{name}:{number}: not a line hankkeet wrote ({len(row)} fields){_NOTHING}") from None
    return snapshots


def render_snapshots(snapshots: list[Snapshot]) -> str:
    """SNAPSHOTS.csv: a header and one line per snapshot, UTF-8, CRLF (RFC 4180, like the other tables)."""
    handle = io.StringIO(newline="")
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(s.row() for s in snapshots)
    return handle.getvalue()


def last_snapshot(snapshots: list[Snapshot], url: str) -> Snapshot | None:
    """The most recent snapshot of ``url``: the latest date (a back-filled --date is appended after newer lines);
    of one date, the later line."""
    ours = [(s.date, number, s) for number, s in enumerate(snapshots) if s.url == url]
    return max(ours, key=lambda item: item[:2])[2] if ours else None


# ---- the request and its answer


def check_url(url: str) -> None:
    """Only http(s) URLs with a host are fetched (urllib would also open file: and ftp: ones)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as err:
        raise FetchError(f"{url}: not a valid URL ({err})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: not an http or https URL with a host; only web pages are fetched")


def request_url(url: str) -> str:
    """``url`` as it goes on the wire: a host name in IDNA (ASCII), the path and query percent-encoded as UTF-8
    where they hold other characters than ASCII (HTTP sends ASCII only; a browser does the same)."""
    check_url(url)
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        host = parts.hostname or ""
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError as err:
            raise FetchError(f"{url}: the host name {host} is not a valid internationalised name ({err})") from None
        userinfo = netloc.rpartition("@")[0]
        netloc = (f"{userinfo}@" if userinfo else "") + ascii_host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=_PATH_SAFE), quote(parts.query, safe=_QUERY_SAFE),
                       ""))


def request_headers(last: Snapshot | None) -> dict[str, str]:
    """The tool named, HTML asked for, and a conditional request when an earlier snapshot says how."""
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9"}
    if last is not None and last.etag:
        headers["If-None-Match"] = last.etag
    if last is not None and last.last_modified:
        headers["If-Modified-Since"] = last.last_modified
    return headers


def check_content_type(url: str, value: str | None) -> None:
    """Refuse an answer declared as anything but HTML (none declared: the body decides)."""
    kind = (value or "").split(";")[0].strip().lower()
    if value is not None and kind not in HTML_TYPES:
        raise FetchError(f"{url}: the answer is {kind or 'of an empty type'}, not HTML{_NOTHING}")


def looks_like_html(body: bytes) -> bool:
    """Markup, not a PDF, image or JSON sent as text/html: it starts with ``<`` and holds no NUL byte."""
    head = body[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") and b"\x00" not in head


class _SameHost(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to the host that was asked, over http or https; refuses any other."""

    def __init__(self, url: str) -> None:
        self.host = urlsplit(request_url(url)).hostname

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> urllib.request.Request | None:
        target = urlsplit(newurl)
        if target.scheme not in ("http", "https") or target.hostname != self.host:
            fp.close()
            where = "another host" if target.scheme in ("http", "https") else f"a {target.scheme}: URL"
            raise FetchError(f"{req.full_url}: redirected ({code}) to {newurl}, {where}; not followed (give that "
                             f"URL if it is the right page){_NOTHING}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read_body(response: HTTPResponse, url: str, deadline: float) -> bytes:
    """The whole body, within the attempt's time (a server that trickles bytes is cut off too) and size."""
    chunks, size = [], 0
    while chunk := response.read1(_CHUNK):  # what has arrived, so the deadline is looked at as bytes come
        size += len(chunk)
        if size > MAX_PAGE_BYTES:
            raise FetchError(f"{url}: the answer is larger than {MAX_PAGE_BYTES} bytes{_NOTHING}")
        if time.monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    if response.length:  # bytes the Content-Length promised that never came: read1 ends quietly at a close
        raise IncompleteRead(b"".join(chunks), response.length)
    return b"".join(chunks)


def _attempt(opener: urllib.request.OpenerDirector, url: str, headers: dict[str, str],
             timeout: float) -> Page | None:
    """One GET: the page, None for 304 Not Modified, _Transient for what another attempt may cure."""
    deadline = time.monotonic() + timeout
    target = request_url(url)
    try:
        with opener.open(urllib.request.Request(target, headers=headers), timeout=timeout) as response:
            check_content_type(url, response.headers.get("Content-Type"))
            body = _read_body(response, url, deadline)
            final = response.geturl()
            return Page(url, url if final == target else final, response.status, body,
                        response.headers.get("ETag") or "", response.headers.get("Last-Modified") or "",
                        response.headers.get_content_charset())
    except urllib.error.HTTPError as err:
        err.close()
        if err.code == 304:
            return None
        reason = " ".join(str(err.reason).split())  # urllib's message of a redirect loop spans lines
        if err.code >= 500:
            raise _Transient(f"HTTP {err.code} {reason}") from None
        raise FetchError(f"{url}: HTTP {err.code} {reason}{_NOTHING}") from None
    except (TimeoutError, ConnectionError, IncompleteRead) as err:
        raise _Transient(_describe(err, timeout)) from None
    except urllib.error.URLError as err:
        if isinstance(err.reason, (TimeoutError, ConnectionError)):
            raise _Transient(_describe(err.reason, timeout)) from None
        raise FetchError(f"{url}: cannot connect ({err.reason}){_NOTHING}") from None
    except (HTTPException, OSError, ValueError) as err:  # a malformed answer, an invalid URL
        raise FetchError(f"{url}: {type(err).__name__}: {err}{_NOTHING}") from None


def _describe(err: Exception, timeout: float) -> str:
    if isinstance(err, TimeoutError):
        return f"no complete answer within {timeout:g} s"
    if isinstance(err, IncompleteRead):
        return "the connection closed before the whole answer"
    return f"connection failed ({err.strerror or type(err).__name__})" if isinstance(err, OSError) else str(err)


def pause(seconds: float) -> None:
    """Wait between attempts (tests replace it)."""
    time.sleep(seconds)


def download(url: str, last: Snapshot | None, timeout: float, retries: int,
             sleep: Callable[[float], None] = pause, report: Callable[[str], None] = lambda message: None,
             backoff: float = BACKOFF_SECONDS) -> Page | None:
    """GET ``url`` (conditional on ``last``), trying again after 5xx answers and timeouts; None for 304."""
    request_url(url)  # a URL that cannot be sent is refused before any attempt
    opener = urllib.request.build_opener(_SameHost(url))
    headers = request_headers(last)
    attempts = 1
    while True:
        try:
            page = _attempt(opener, url, headers, timeout)
            break
        except _Transient as err:
            if attempts > retries:
                raise FetchError(f"{url}: {err} ({plural(attempts, 'attempt')}){_NOTHING}") from None
            delay = backoff * 2 ** (attempts - 1)
            report(f"{url}: {err}; trying again in {delay:g} s ({attempts + 1} of {retries + 1} attempts)")
            sleep(delay)
            attempts += 1
    if page is not None and not looks_like_html(page.body):
        raise FetchError(f"{url}: the answer is not HTML markup{_NOTHING}")
    return page


def check_changed(page: Page | None, last: Snapshot | None) -> Page:
    """The page to store, or Unchanged when it is the last snapshot's (a 304 answer, or the same bytes)."""
    if page is None:
        if last is None:
            raise FetchError(f"HTTP 304 Not Modified to a request that was not conditional{_NOTHING}")
        raise Unchanged(last)
    if last is not None and page.sha256 == last.sha256:
        raise Unchanged(last)
    return page


# ---- what the page says


def page_text(page: Page) -> str:
    """The text rendition of the page, decoded as a browser would: by its BOM, else the charset of the
    Content-Type header, else its own <meta> declaration, else as UTF-8."""
    from hankkeet.source import SourceError
    from hankkeet.webpage import charset_codec, html_to_text, page_encoding

    transport = charset_codec(page.charset)
    try:
        return html_to_text(page.body, transport=transport)
    except SourceError as err:
        used = page_encoding(page.body, transport=transport)  # None when a BOM decided
        how = f" as {used} (the Content-Type header's charset)" if used is not None and used == transport else ""
        raise FetchError(f"{page.url}: the page cannot be decoded{how}: {err}{_NOTHING}") from None


def check_listing(page: Page, text: str) -> None:
    """Refuse a page whose main content holds no project (a maintenance page, one left with its navigation):
    stored, it would become the newest snapshot, and the dataset of it an empty one. The pipeline makes a project
    of any line that could be a title ("Huoltokatko"), so one counts only with a lead municipality or a contact."""
    from hankkeet.municipalities import Gazetteer
    from hankkeet.pipeline import extract

    projects = extract(text, Gazetteer.load(), file=page.url).projects if text else ()
    if not any(p.lead is not None or p.contacts for p in projects):
        raise FetchError(f"{page.url}: the page has no listing (no project in its main content){_NOTHING}")


# ---- storing a snapshot
#
# Why transaction.Staging rather than three renames here: a snapshot is a set of files like any run's outputs, and
# Staging already writes them privately inside the folder with the umask's mode, flushed to disk, commits them
# under the folder's lock with a journal, puts everything back on an error, and lets the next run finish or undo a
# commit that was killed. Its journal accepts only hankkeet's output names, so the snapshot names were added there
# (SNAPSHOT_NAME). SNAPSHOTS.csv is decided in the commit's ``remove`` callback (which removes nothing here), as it
# runs under the lock: two fetches into one folder then keep both lines, and the same-date check sees the folder as
# the last commit left it.


def store(staging: Staging, page: Page, day: str, force: bool) -> Snapshot:
    """Commit ``day``.html, ``day``.txt and SNAPSHOTS.csv with the new line, all or nothing; a page without a
    listing is refused first."""
    from hankkeet.transaction import text_writer, write_file

    text = page_text(page)
    check_listing(page, text)
    files = {f"{day}.html": page.body, f"{day}.txt": text.encode("utf-8")}
    for name, data in files.items():
        write_file(staging.path(name), _bytes_writer(data))
    snapshot = Snapshot(day, page.url, page.sha256, len(page.body), page.status, page.etag, page.last_modified)

    def decide() -> list[str]:  # under the lock of the folder
        snapshots = read_snapshots(staging.root)
        last = last_snapshot(snapshots, page.url)
        if last is not None and last.sha256 == snapshot.sha256:
            raise Unchanged(last)  # another run stored this page meanwhile
        clashes = [name for name, data in files.items() if _differs(staging.root / name, data)]
        if clashes and not force:
            raise FetchError(f"{(staging.root / clashes[0]).as_posix()}: a snapshot of {day} with other content is "
                             f"already there; not replacing it (--force replaces it){_NOTHING}")
        # The URL's line of that date is replaced; another URL's line of that date stays if it names these bytes
        # (the same page under another spelling), and goes with its files if they are replaced (--force).
        snapshots = [s for s in snapshots if s.date != day or (s.url != page.url and s.sha256 == snapshot.sha256)]
        write_file(staging.path(SNAPSHOTS), text_writer(render_snapshots([*snapshots, snapshot])))
        return []

    staging.commit([*files, SNAPSHOTS], decide)
    return snapshot


def _bytes_writer(data: bytes) -> PathWriter:
    """Writes bytes as they came: write_file creates the file (umask mode) and flushes it to disk."""
    from hankkeet.transaction import PathWriter

    def write(path: Path) -> None:
        path.write_bytes(data)

    return PathWriter(write=write, matches=lambda path: path.read_bytes() == data)


def _differs(path: Path, data: bytes) -> bool:
    """A file of that name holds something else (a folder in the way counts as different)."""
    if not path.exists() and not path.is_symlink():
        return False
    try:
        return not path.is_file() or path.read_bytes() != data
    except OSError:
        return True
