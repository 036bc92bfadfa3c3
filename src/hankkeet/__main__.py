"""python -m hankkeet, and the ``hankkeet`` command: termination signals end the run cleanly."""
from __future__ import annotations

import errno
import io
import signal
import sys
from types import FrameType

#: Signals that end a run: the shell's convention for the exit status is 128 + the signal's number.
TERMINATING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds like an error: staging folders are removed on the way out


def exit_on_signals() -> None:
    """Turn SIGINT, SIGTERM and SIGHUP into an orderly exit with status 128 + N (no traceback, no debris)."""
    for number in TERMINATING:
        if signal.getsignal(number) is not signal.SIG_IGN:  # ignored (nohup, a background job): stays ignored
            signal.signal(number, _exit)


class _ClosedOutput(io.TextIOBase):
    """Standard output when the shell closed it (``>&-``): writing to it fails as a write to a closed file does."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def isatty(self) -> bool:
        return False


def run() -> None:
    """The console script: signals handled before the (slow) imports, so Ctrl-C never prints a traceback; data
    that cannot reach standard output (closed, a full disk) is exit 2 and one line, not a traceback or success."""
    exit_on_signals()
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    from hankkeet.cli import main

    try:
        main()  # click.echo flushes each write, so a failing standard output fails here
    except OSError as err:
        sys.stdout = _ClosedOutput()  # nothing more is written there, not even at shutdown
        print(f"Error: cannot write to standard output: {err.strerror}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    run()
