"""Files the tools write — a report, a baseline, a rendered manifesto, a stats file — written
the same way: whole or not at all, and without harming what the path names.

A regular file is replaced in one step (a temporary file beside it, then `os.replace`), so a
reader such as a web server or a CI step sees the old file or the new one, never half of
each; the file keeps its permissions, and a new one gets the usual ones (0666 less the
umask). What is not a regular file is written in place: replacing ``-o /dev/null`` or a
named pipe with a temporary file would turn the device into an ordinary file — as root, for
every other program on the machine. A symbolic link keeps pointing where it did: the file it
points to is replaced.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["OutputFileError", "write_text"]


class OutputFileError(OSError):
    """A file that could not be written: the path and the system's reason. An `OSError`, as
    the writes it replaces raised, so a caller's ``except OSError`` still holds."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: cannot write the file: {reason}")
        self.path = path
        self.reason = reason


def write_text(path: str | Path, text: str) -> None:
    """Write `text` (UTF-8, ``\\n`` line ends) to `path` whole, or raise `OutputFileError`."""
    target = Path(path)
    try:
        target = target.resolve()  # a link's own file is replaced, the link kept
        mode: int | None = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputFileError(str(path), exc.strerror or str(exc)) from None
    data = text.encode("utf-8")
    if mode is not None and not stat.S_ISREG(mode):
        _write_in_place(path, target, data)
        return
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise OutputFileError(str(path), exc.strerror or str(exc)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputFileError(str(path), exc.strerror or str(exc)) from None
        raise


def _write_in_place(path: str | Path, target: Path, data: bytes) -> None:
    try:
        with open(target, "wb") as out:
            out.write(data)
    except OSError as exc:
        raise OutputFileError(str(path), exc.strerror or str(exc)) from None


def _umask() -> int:
    # Linux says it in /proc; elsewhere the only way to read the umask is to set it and set it
    # straight back, which a thread creating a file at that moment could notice.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current
