"""Reading `store.toml`: parse, validate, and explain every mistake by file, line and field.

`load_policy(path)` returns a validated `Policy` or raises `PolicyError`, whose message lists
each problem as ``store.toml:23: shipping.zones[1].transit_days: <what is wrong>``. A loaded
policy is cached by path and modification time, so every part of an application shares one.
"""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from defenceline.inputfiles import InputFileError, Problem, parse_toml, read_text
from defenceline.policy import Policy, PolicyProblem, policy_problems, raw_policy_problems

__all__ = ["PolicyError", "Problem", "load_policy", "parse_policy"]

Loc = tuple[str | int, ...]


class PolicyError(InputFileError):
    """A policy file that cannot be used; `problems` says why, each with its place."""

    def heading(self) -> str:
        return f"{self.file}: {self.count()} in the store policy"


_cache: dict[tuple[str, int, int], Policy] = {}


def load_policy(path: str | os.PathLike[str]) -> Policy:
    """Read and validate the policy file at `path`; raise `PolicyError` if it is unusable.

    The result is cached by resolved path, size and modification time: every caller in a
    process shares one policy, and an edited file is read again.
    """
    file = Path(path)
    try:
        stat = file.stat()
        key = (str(file.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        raise PolicyError(str(path), [Problem(f"cannot read the file: {exc.strerror}")]) from None
    cached = _cache.get(key)
    if cached is not None:
        return cached
    policy = parse_policy(read_text(file, PolicyError), str(path))
    _cache[key] = policy
    return policy


def parse_policy(text: str, file: str = "store.toml") -> Policy:
    """Validate policy TOML `text`; `file` is only used to name the source in errors."""
    data = parse_toml(text, file, PolicyError)
    lines = _key_lines(text)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        problems = [_problem_from_pydantic(err, lines) for err in exc.errors()]
        reported = {problem.path for problem in problems}
        for rule in raw_policy_problems(data):
            extra = _problem_from_rule(rule, lines)
            if extra.path not in reported:
                problems.append(extra)
        raise PolicyError(file, problems) from None
    cross = policy_problems(policy)
    if cross:
        raise PolicyError(file, [_problem_from_rule(p, lines) for p in cross])
    return policy


# --- error messages ----------------------------------------------------------------------------


def _format_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    # pydantic adds "[key]" for dict-key errors and validator names for wrapped types.
    return tuple(
        p for p in loc if not (isinstance(p, str) and (p == "[key]" or ("[" in p and "]" in p)))
    )


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _problem_from_pydantic(err: Any, lines: dict[Loc, int]) -> Problem:
    loc = _clean_loc(err["loc"])
    kind = err["type"]
    given = err.get("input")
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _allowed_keys(Policy, loc[:-1])
        hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        message = f"unknown key {key!r}"
        message += f"; did you mean {hint[0]!r}?" if hint else ""
        if allowed:
            message += f" (expected one of: {', '.join(allowed)})"
    elif kind == "missing":
        message = "this required key is missing"
    else:
        message = str(err["msg"])
        message = message.removeprefix("Value error, ")
        message = message.replace("Input should be", "expected")
        if (
            given is not None
            and not isinstance(given, dict | list)
            and repr(given) not in message
            and str(given) not in message
        ):
            message += f"; got {_describe(given)}"
    return Problem(message, _line_for(loc, lines), _format_path(loc))


def _problem_from_rule(problem: PolicyProblem, lines: dict[Loc, int]) -> Problem:
    return Problem(problem.message, _line_for(problem.loc, lines), _format_path(problem.loc))


def _line_for(loc: Loc, lines: dict[Loc, int]) -> int | None:
    for end in range(len(loc), -1, -1):
        line = lines.get(loc[:end])
        if line is not None:
            return line
    return None


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys a table at `loc` accepts, found by walking the policy model's annotations."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if isinstance(part, int):
                return []
            field = current.model_fields.get(part)
            if field is None:
                return []
            current = field.annotation
        else:
            origin = typing.get_origin(current)
            args = typing.get_args(current)
            if origin in (list, tuple) and args:
                current = args[0]
            elif origin is dict and len(args) == 2:
                current = args[1]
            else:
                return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation


# --- where keys are in the TOML text -----------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_KEY_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


def _split_key(dotted: str) -> list[str]:
    return [part.strip("\"'") for part in _KEY_PART.findall(dotted)]


def _key_lines(text: str) -> dict[Loc, int]:
    """Map each table and key path in TOML `text` to its 1-based line number.

    Arrays of tables get their index (``[[shipping.zones]]`` the second time is
    ``("shipping", "zones", 1)``). Values inside inline tables and arrays map to their key's
    line, which `_line_for` finds by trimming the path.
    """
    lines: dict[Loc, int] = {}
    counts: dict[Loc, int] = {}
    current: Loc = ()
    in_string: str | None = None
    depth = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_string:
            if raw.count(in_string) % 2 == 1:
                in_string = None
            continue
        if depth == 0:
            header = _HEADER.match(raw)
            if header:
                *parents, last = _split_key(header.group(2))
                current = (*_resolve(tuple(parents), counts), last)
                if header.group(1) == "[[":
                    index = counts.get(current, -1) + 1
                    counts[current] = index
                    current = (*current, index)
                lines.setdefault(current, number)
                continue
            key = _KEY.match(raw)
            if key:
                lines.setdefault((*current, *_split_key(key.group(1))), number)
        code = re.sub(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'", "", raw).split("#", 1)[0]
        depth = max(
            0, depth + code.count("[") + code.count("{") - code.count("]") - code.count("}")
        )
        for quote in ('"""', "'''"):
            if raw.count(quote) % 2 == 1:
                in_string = quote
    return lines


def _resolve(path: Loc, counts: dict[Loc, int]) -> Loc:
    """Insert the current index of every array of tables on `path`'s way down."""
    resolved: Loc = ()
    for part in path:
        resolved = (*resolved, part)
        if resolved in counts:
            resolved = (*resolved, counts[resolved])
    return resolved
