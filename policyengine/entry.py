"""The console entry point. It imports nothing heavy itself, so that Ctrl-C at any moment,
even while the modules load, ends in one line and exit code 130, never a traceback."""

from __future__ import annotations

import signal
import sys
from typing import NoReturn

INTERRUPTED = 130  # 128 + SIGINT, what shells report for a command stopped by Ctrl-C


def run() -> None:
    try:
        try:
            from .cli import main

            main()
        finally:
            # The work is done (or being interrupted): a Ctrl-C that lands while the interpreter
            # shuts down must not turn a finished command into a death by SIGINT (exit -2, after
            # all its output). A signal already pending is dropped with the handler.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        interrupted()


def interrupted() -> NoReturn:
    try:
        sys.stderr.write("interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    sys.exit(INTERRUPTED)
