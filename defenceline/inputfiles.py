"""Files a store owner writes — store.toml, a manifesto, a checker config, questionnaire
answers — read the same way, and the problems that make one unusable, each with its place.

Every part reports a bad file alike: the file, then each problem on a line of its own with the
line number and, for structured files, the field path
(``store.toml:23: shipping.zones[1].transit_days: <what is wrong>``), and never a traceback. A
part subclasses `InputFileError` to say what kind of file it could not use.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["InputFileError", "Problem", "key_problems", "parse_toml", "read_text"]


@dataclass(frozen=True)
class Problem:
    """One mistake in a file: what is wrong and what was expected, and where."""

    message: str
    line: int | None = None
    path: str = ""  # the field path, e.g. "shipping.zones[1].transit_days"; "" for the whole file

    def format(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class InputFileError(Exception):
    """A file that cannot be used; `problems` say why, each with its place."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        super().__init__(self.format())

    def count(self) -> str:
        """ "1 problem", "3 problems"."""
        return f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"

    def heading(self) -> str:
        """The first line of the message; a subclass names its kind of file."""
        return f"{self.file}: {self.count()}"

    def format(self) -> str:
        return "\n".join([self.heading(), *(f"  {p.format(self.file)}" for p in self.problems)])


def read_text(
    path: str | os.PathLike[str],
    error: type[InputFileError] = InputFileError,
    kind: str = "a file",
) -> str:
    """The text of the UTF-8 file at `path` (a leading byte-order mark dropped).

    Raises `error` naming the file when it cannot be read, is a folder (`kind` says what was
    expected instead), or is not UTF-8 (with the line and the byte where decoding failed).
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, IsADirectoryError):
            reason = f"it is a folder; expected {kind}"
        raise error(str(path), [Problem(f"cannot read the file: {reason}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"this is not UTF-8 text (byte {raw[exc.start]:#04x}); save it as UTF-8"
        raise error(str(path), [Problem(message, line)]) from None


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


def parse_toml(
    text: str, file: str, error: type[InputFileError] = InputFileError
) -> dict[str, Any]:
    """TOML `text` as a table; `error` names the file, line and column of a syntax error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _AT.search(str(exc))
        message = _AT.sub("", str(exc))
        if match:
            message += f" (column {match.group(2)})"
        line = int(match.group(1)) if match else None
        raise error(file, [Problem(f"{message}; expected valid TOML", line)]) from None


def key_problems(
    table: Mapping[str, Any],
    allowed: Collection[str],
    required: Collection[str] = (),
    path: str = "",
    missing: str = "missing",
) -> list[Problem]:
    """A table's unknown keys and missing ones, each a problem at ``path.key``: the first check
    of every structured file a part reads (a rules file, the promise reader's words).
    An unknown key's problem lists `allowed` in the order given; `missing` is the message for
    a missing key (``{key}`` stands for its name)."""
    prefix = f"{path}." if path else ""
    problems = [
        Problem(f"unknown key; expected one of {', '.join(allowed)}", path=prefix + key)
        for key in table
        if key not in allowed
    ]
    problems += [
        Problem(missing.format(key=key), path=prefix + key)
        for key in sorted(required)
        if key not in table
    ]
    return problems
