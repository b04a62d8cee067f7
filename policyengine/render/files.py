"""Safe, atomic writes: a failed run never leaves a half-written file, and no output path can
leave the output folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..problems import UnsafePath


def safe_join(out: Path, *parts: str) -> Path:
    """``out/part/...``, refusing any part that would escape ``out`` (``..``, absolute paths)."""
    base = out.resolve()
    for part in parts:
        if not part or part in (".", "..") or "/" in part or "\\" in part or part.startswith("~") or "\0" in part:
            raise UnsafePath(f"refusing the output name {part!r}: it could leave {out}")
    target = base.joinpath(*parts).resolve()
    if base != target and base not in target.parents:
        raise UnsafePath(f"refusing to write outside {out}: {target}")
    return target


def write_text(path: Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes) -> Path:
    """Write through a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the mode a plain open() would
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
