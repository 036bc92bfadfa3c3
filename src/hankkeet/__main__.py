"""python -m hankkeet, and the ``hankkeet`` command: termination signals end the run cleanly."""
from __future__ import annotations

import signal
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


def run() -> None:
    """The console script: signals handled before the (slow) imports, so Ctrl-C never prints a traceback."""
    exit_on_signals()
    from hankkeet.cli import main

    main()


if __name__ == "__main__":
    run()
