"""Start the server: load, compile, say where it listens, run uvicorn."""

from __future__ import annotations

import contextlib
import ipaddress
from pathlib import Path
from typing import Callable, Iterator

from ..i18n import _
from ..problems import PolicyEngineError
from .app import create_app
from .state import Server


class UnsafeOption(PolicyEngineError):
    """An option combination ``serve`` refuses."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def start_message(host: str, port: int, writable: bool, root: Path) -> list[str]:
    shown = f"[{host}]" if ":" in host else host
    lines = [_("policyengine serve: http://%(host)s:%(port)d/ (workspace %(root)s)") % {"host": shown, "port": port,
                                                                                         "root": root}]
    if is_loopback(host):
        lines.append(_("Listening on the loopback address only: other computers cannot reach it "
                       "(--host 0.0.0.0 opens it to the network)."))
    else:
        lines.append(_("Listening on %(host)s: anyone on the network who can reach this computer can use it.")
                     % {"host": host})
    lines.append(_("Writable: what-ifs can be saved into %(folder)s.") % {"folder": root / "whatifs"} if writable
                 else _("Read-only: nothing is written into the workspace (--writable to save what-ifs)."))
    lines.append(_("Stop with Ctrl+C."))
    return lines


def serve(workspace: Path | None, host: str, port: int, writable: bool, echo: Callable[[str], None]) -> None:
    """Load the workspace, compile the ruleset, then serve until interrupted."""
    import uvicorn

    if writable and workspace is None:
        raise UnsafeOption(_("--writable needs --workspace: what-ifs are saved into a workspace of yours, "
                             "never into the shipped content"))
    if not 0 < port < 65536:
        raise UnsafeOption(_("--port must be between 1 and 65535"))
    server = Server(workspace, writable=writable)
    app = create_app(server, loopback_only=is_loopback(host))
    for line in start_message(host, port, writable, server.ws.root):
        echo(line)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False,
                limit_concurrency=200, timeout_keep_alive=5, h11_max_incomplete_event_size=16 * 1024)


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now (for tests and benchmarks)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def background(server: Server, host: str = "127.0.0.1", port: int | None = None) -> Iterator[str]:
    """Serve ``server`` from a thread of this process (a real uvicorn on a real socket) for the
    duration of the block; yields the base URL. For the load test, the browser test and the
    benchmark."""
    import threading
    import time

    import uvicorn

    port = port or free_port(host)
    config = uvicorn.Config(create_app(server, loopback_only=is_loopback(host)), host=host, port=port,
                            log_level="warning", access_log=False, limit_concurrency=200)
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, name="policyengine-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not runner.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise PolicyEngineError(_("the server did not start on %(host)s:%(port)d") % {"host": host, "port": port})
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        runner.should_exit = True
        thread.join(timeout=10)
