"""A cache on disk of work that depends only on bytes: parsed YAML files and compiled rulesets.

Parsing the shipped content (about 240 YAML files) and compiling the ruleset to durable-rules
take most of a command's time, and give the same result every time for the same bytes. Each
result is stored as one JSON file named by a SHA-256 of everything it depends on: the input
bytes (a file's content, or the compiler's inputs) and the code that produces it (every
module of the package, so an upgrade or an edit never reads a stale entry). Safety:

- entries are JSON, read with orjson and checked for their shape: a cache file can hold
  data, never code (no pickle), and a workspace (untrusted) cannot name or reach an entry
  other than the one its own bytes hash to;
- nothing is written into a workspace or the installed package: the folder is
  ``$POLICYENGINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/policyengine``, else
  ``~/.cache/policyengine``; entries are written to a temporary file and renamed, so a
  reader never sees half an entry, and two processes writing the same entry write the same bytes;
- an entry that cannot be read or does not have the expected shape is ignored (and written
  again); a folder that cannot be created or written is silently not used;
- ``POLICYENGINE_NO_CACHE=1`` or ``policyengine --no-cache`` turns it off; deleting the
  folder clears it, at any time. Entries made by other versions of the code are never read
  again and are left for the user to delete with the folder.

A cached result is the same, byte for byte, as the uncached one (tests/test_cache.py).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import orjson

ENV_DIR = "POLICYENGINE_CACHE_DIR"
ENV_OFF = "POLICYENGINE_NO_CACHE"
#: Bumped when the layout of an entry changes (the code fingerprint covers the rest).
LAYOUT = "1"

_disabled = False
_fingerprint: str | None = None


def disable(off: bool = True) -> None:
    """Turn the cache off (or on again) for this process (``--no-cache``)."""
    global _disabled
    _disabled = off


def enabled() -> bool:
    return not _disabled and os.environ.get(ENV_OFF, "").strip().lower() in ("", "0", "false", "no")


def folder() -> Path:
    """Where the cache lives (whether or not it exists or is enabled)."""
    own = os.environ.get(ENV_DIR)
    if own:
        return Path(own)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "policyengine"


def code_fingerprint() -> str:
    """A hash of the package version and of every module of the package: an entry made by
    other code (an upgrade, an edit in a checkout) is never read."""
    global _fingerprint
    if _fingerprint is None:
        from . import __version__

        digest = hashlib.sha256(f"{LAYOUT}\0{__version__}\0".encode())
        package = Path(__file__).resolve().parent
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"\1unreadable")
        _fingerprint = digest.hexdigest()
    return _fingerprint


def key(kind: str, *parts: bytes) -> str:
    """The name of an entry: a hash of its kind, the code, and the bytes it depends on."""
    digest = hashlib.sha256(f"{kind}\0{code_fingerprint()}\0".encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _path(kind: str, name: str) -> Path:
    return folder() / kind / name[:2] / f"{name}.json"


def get(kind: str, name: str) -> Any:
    """The entry's data, or ``None`` when there is none, it cannot be read, or the cache is off."""
    if not enabled():
        return None
    try:
        return orjson.loads(_path(kind, name).read_bytes())
    except Exception:  # unreadable, damaged, no home folder: as if there were no entry
        return None


def put(kind: str, name: str, data: Any) -> None:
    """Store an entry; any failure (read-only folder, full disk, data that is not JSON) is ignored."""
    if not enabled():
        return
    try:
        text = orjson.dumps(data)
        target = _path(kind, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "xb") as out:
                out.write(text)
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except Exception:  # read-only or full disk, no home folder, data JSON cannot hold: not kept
        return
