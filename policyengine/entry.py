"""The console entry point. It imports nothing heavy itself, so that Ctrl-C at any moment,
even while the modules load, ends in one line and exit code 130, never a traceback."""

from __future__ import annotations

import sys
from typing import NoReturn

INTERRUPTED = 130  # 128 + SIGINT, what shells report for a command stopped by Ctrl-C


def run() -> None:
    try:
        from .cli import main

        main()
    except KeyboardInterrupt:
        interrupted()


def interrupted() -> NoReturn:
    try:
        sys.stderr.write("interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    sys.exit(INTERRUPTED)
