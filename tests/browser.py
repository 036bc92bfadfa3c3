"""Headless Chromium for the browser tests, driven over the DevTools protocol on a pipe (no Python package needed).

Chromium is started once per test session with `--remote-debugging-pipe`: commands go in as NUL-terminated JSON on
the child's fd 3, answers and events come back on its fd 4. `Page` opens a file:// page in a fresh tab, runs
JavaScript, clicks and types with real input events, sets the viewport, takes PNG screenshots, and records every
request the page makes (`Network.requestWillBeSent`), so a test can assert that a self-contained page loads nothing
but itself.

Tests that use the `page` or `chromium` fixture are marked `browser`. Without Chromium they are skipped, except in
CI (`CI` or `HANKKEET_REQUIRE_BROWSER` set), where a missing browser fails them: `.ci/run` installs it.
"""
from __future__ import annotations

import base64
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--mute-audio",
         "--remote-debugging-pipe"]
TIMEOUT = 30.0


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str | None:
    """The Chromium binary: $HANKKEET_CHROMIUM, else `chromium` (Debian) or `chromium-browser` on PATH."""
    explicit = os.environ.get("HANKKEET_CHROMIUM")
    if explicit:
        return explicit
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_required() -> bool:
    """In CI a missing browser is a failure, not a skip."""
    return bool(os.environ.get("HANKKEET_REQUIRE_BROWSER")) or os.environ.get("CI", "").lower() in ("1", "true", "yes")


class Chromium:
    """One headless Chromium process with a fresh temporary profile."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="hankkeet-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def child_fds() -> None:  # runs in the child: its fd 3 reads commands, fd 4 writes answers
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self._stderr = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                [binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr,
                close_fds=False, preexec_fn=child_fds)  # noqa: PLW1509 (fd setup only)
        except OSError:
            for fd in (to_child_r, from_child_w, self._to_child, self._from_child):
                os.close(fd)
            self._stderr.close()
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        finally:
            if hasattr(self, "process"):
                os.close(to_child_r)
                os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        try:
            self.version = self.call("Browser.getVersion")["product"]
        except BrowserError:
            self.close()
            raise

    def _stderr_tail(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")[-2000:]

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise BrowserError(f"no answer from Chromium in {TIMEOUT} s\n{self._stderr_tail()}")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium closed the pipe (exit {self.process.poll()})\n{self._stderr_tail()}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)  # type: ignore[no-any-return]

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        """Send one command and return its result; events that arrive meanwhile are kept in `events`."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            if "method" in answer:
                self.events.append(answer)

    def wait_for(self, method: str, session: str, since: int = 0) -> dict[str, Any]:
        """Wait for an event of this session (looking first at those already kept from index `since`)."""
        deadline = time.monotonic() + TIMEOUT
        seen = since
        while True:
            for event in self.events[seen:]:
                if event["method"] == method and event.get("sessionId") == session:
                    return event
            seen = len(self.events)
            message = self._read_message(deadline)
            if "method" in message:
                self.events.append(message)

    def new_page(self) -> Page:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, target, session)

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_child, self._from_child):
            os.close(fd)
        self._stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """One tab. `open` loads a page and resets `requests`, the URLs of every request the page made since."""

    def __init__(self, browser: Chromium, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session
        self._events_from = len(browser.events)
        for domain in ("Page", "Network", "Runtime"):
            self.call(f"{domain}.enable")

    def call(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self.browser.call(method, params, self.session)

    def open(self, path: Path | str) -> float:
        """Load a file (or URL) and wait for its load event; the wall time in seconds."""
        url = Path(path).resolve().as_uri() if not str(path).startswith(("file:", "http:", "https:", "data:")) \
            else str(path)
        start_index = len(self.browser.events)
        self._events_from = start_index
        started = time.monotonic()
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        self.browser.wait_for("Page.loadEventFired", self.session, since=start_index)
        return time.monotonic() - started

    @property
    def requests(self) -> list[str]:
        """The URL of every request this page made since the last `open` (the page itself included)."""
        return [e["params"]["request"]["url"] for e in self.browser.events[self._events_from:]
                if e["method"] == "Network.requestWillBeSent" and e.get("sessionId") == self.session]

    def js(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its (JSON) value; promises are awaited."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True, "userGesture": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def set_size(self, width: int, height: int, *, mobile: bool = False, scale: float = 1) -> None:
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})

    def _centre(self, selector: str) -> tuple[float, float]:
        box = self.js(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            if (!e) return null; e.scrollIntoView({{block: 'center'}});
            const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
        if box is None:
            raise BrowserError(f"no element matches {selector}")
        return box[0], box[1]

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (scrolled into view first)."""
        x, y = self._centre(selector)
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def type(self, selector: str, text: str, *, clear: bool = True) -> None:
        """Focus the element and type text as keyboard input would insert it."""
        self.js(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.focus();"
                f" {'e.select();' if clear else ''} }})()")
        if clear:
            self.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Backspace", "code": "Backspace",
                                                 "windowsVirtualKeyCode": 8})
            self.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Backspace", "code": "Backspace",
                                                 "windowsVirtualKeyCode": 8})
        if text:
            self.call("Input.insertText", {"text": text})

    def screenshot(self, *, full_page: bool = False) -> bytes:
        """The viewport (or the whole page) as PNG bytes."""
        return base64.b64decode(self.call("Page.captureScreenshot",
                                          {"format": "png", "captureBeyondViewport": full_page})["data"])

    def close(self) -> None:
        self.browser.call("Target.closeTarget", {"targetId": self.target})


def png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


#: The widths a page is looked at: a phone's and a desktop's (width, height, mobile emulation).
SCREENS = {"phone": (390, 844, True), "desktop": (1280, 800, False)}


def screenshot_at(page: Page, path: Path, width: int, height: int, mobile: bool) -> bytes:
    """The PNG of ``path`` opened in ``page`` at that size."""
    page.set_size(width, height, mobile=mobile)
    page.open(path)
    return page.screenshot()


def png_colours(png: bytes, limit: int = 16) -> int:
    """How many distinct pixel values the PNG has (counting stops at `limit`): 1 means blank.

    Handles what Chromium writes (8-bit RGB or RGBA, not interlaced), every PNG row filter."""
    width, height = png_size(png)
    bit_depth, colour_type, _, _, interlace = png[24], png[25], png[26], png[27], png[28]
    if bit_depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {bit_depth}, colour type {colour_type}, interlace {interlace}")
    bpp = 3 if colour_type == 2 else 4
    data, pos = bytearray(), 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            data += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(bytes(data))
    stride = width * bpp
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        kind, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 0xFF
        elif kind == 2:
            row = bytearray((a + b) & 0xFF for a, b in zip(row, previous))
        elif kind == 3:
            for i in range(stride):
                row[i] = (row[i] + ((row[i - bpp] if i >= bpp else 0) + previous[i]) // 2) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                b, c = previous[i], previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        if row != previous or y == 0:  # a row equal to the one above adds no colour
            colours.update(bytes(row[i:i + bpp]) for i in range(0, stride, bpp))
            if len(colours) >= limit:
                return len(colours)
        previous = row
    return len(colours)


def start_chromium() -> Chromium:
    """Start Chromium, or raise BrowserError saying why it cannot be."""
    binary = find_chromium()
    if binary is None or not os.access(binary, os.X_OK):
        raise BrowserError(f"chromium is not installed ({binary or 'not on PATH'}; Debian: apt-get install chromium)")
    return Chromium(binary)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Chromium]:
    """One headless Chromium for the session: skipped without it locally, failed without it in CI."""
    try:
        browser = start_chromium()
    except (BrowserError, OSError) as error:
        if browser_required():
            pytest.fail(f"browser tests required in CI but Chromium cannot start: {error}", pytrace=False)
        pytest.skip(f"{error}; the browser tests need it, CI installs it")
    yield browser
    browser.close()


@pytest.fixture
def page(chromium: Chromium) -> Iterator[Page]:
    """A fresh tab at 1280×800."""
    tab = chromium.new_page()
    tab.set_size(1280, 800)
    yield tab
    tab.close()
