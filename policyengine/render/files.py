"""Safe, atomic writes: a failed run never leaves a half-written file, no output path can
leave the output folder, and a set of documents is replaced as a whole.

How a set of documents is written (:func:`write_set`):

1. **Lock.** The folder that holds the set is locked (``flock`` on the folder itself), so two
   runs writing into the same folder take turns.
2. **Recover.** A journal left by a run that was killed while renaming (``kill -9``) is rolled
   forward: its remaining renames are done, so that set is completed, never left half old and
   half new. Any other hidden temporary file of ours left by a killed run is deleted.
3. **Stage.** Every file is written in full to a hidden temporary file beside its target. If
   anything fails here (read-only folder, a file in the way, disk full) every temporary file
   is deleted, no document is touched, and one :class:`OutputError` line says why.
4. **Commit.** The list of renames is written to the journal, then each temporary file is
   renamed over its target (atomic on POSIX), then the journal is deleted.

A reader therefore never sees a partly written file; a failed run changes nothing; and a mix
of old and new documents exists only during the renames of step 4 (or after a crash in
step 4 until the next run in that folder rolls it forward).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from ..problems import PolicyEngineError, UnsafePath

JOURNAL = ".policyengine-journal.json"
#: Our temporary files: ".<target name>.<8 random characters>.tmp" (tempfile.mkstemp).
_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


class OutputError(PolicyEngineError):
    """The documents cannot be written where they were asked for."""


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


def _failure(path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        reason = "a file is in the way of a folder"
    return OutputError(f"cannot write {path}: {reason}; nothing was written")


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _failure(folder, exc) from None
    if not folder.is_dir():
        raise OutputError(f"cannot write into {folder}: a file is in the way of a folder; nothing was written")


def _stage(path: Path, data: bytes) -> Path:
    """``data`` in full in a hidden temporary file beside ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the mode a plain open() would
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write one file through a temporary file in the same folder, then rename over the target."""
    _make_folder(path.parent)
    try:
        tmp = _stage(path, data)
    except OSError as exc:
        raise _failure(path, exc) from None
    try:
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _failure(path, exc) from None
    return path


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise _failure(folder, exc) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: write unlocked, as before
            pass
        yield
    finally:
        os.close(fd)  # releases the lock


def recover(folder: Path, targets: Iterable[Path] = ()) -> None:
    """Finish the renames of a run killed while committing, then delete our leftover
    temporary files in ``folder`` and in the folders of ``targets``."""
    journal = folder / JOURNAL
    if journal.is_file():
        try:
            pending = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pending = []
        for tmp, target in pending if isinstance(pending, list) else []:
            tmp_path, target_path = Path(tmp), Path(target)
            inside = all(folder.resolve() in p.resolve().parents for p in (tmp_path, target_path))
            if inside and tmp_path.is_file() and not tmp_path.is_symlink():
                with contextlib.suppress(OSError):
                    os.replace(tmp_path, target_path)
        with contextlib.suppress(OSError):
            journal.unlink()
    for where in {folder, *(t.parent for t in targets)}:
        if not where.is_dir():
            continue
        for entry in where.iterdir():
            if _TEMP.match(entry.name) and (entry.is_file() or entry.is_symlink()):
                with contextlib.suppress(OSError):
                    entry.unlink()


def write_set(files: Mapping[Path, bytes], root: Path) -> list[Path]:
    """Write every file of ``files`` (all under ``root``) as one set; see the module text."""
    if not files:
        return []
    _make_folder(root)
    targets = list(files)
    with _locked(root):
        recover(root, targets)
        staged: list[tuple[Path, Path]] = []
        try:
            for target, data in files.items():
                _make_folder(target.parent)
                if target.is_dir():
                    raise OutputError(f"cannot write {target}: a folder is in the way; nothing was written")
                try:
                    staged.append((_stage(target, data), target))
                except OSError as exc:
                    raise _failure(target, exc) from None
            journal = root / JOURNAL
            try:
                _stage_journal(journal, staged)
            except OSError as exc:
                raise _failure(journal, exc) from None
        except BaseException:
            for tmp, _ in staged:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            raise
        for tmp, target in staged:
            os.replace(tmp, target)
        with contextlib.suppress(OSError):
            journal.unlink()
    return targets


def _stage_journal(journal: Path, staged: list[tuple[Path, Path]]) -> None:
    tmp = _stage(journal, json.dumps([[str(t), str(p)] for t, p in staged]).encode("utf-8"))
    os.replace(tmp, journal)
