"""The manifesto page: the shop's written promise inside the help centre.

`defenceline.manifesto` (a separate part) reads, validates and renders manifesto files. This
module is the help centre's only contact with it, so the help centre keeps working when that
part is absent or changes: when its API (`load_manifesto`, `check_manifesto`) is importable the
help centre validates the manifesto with it; the page itself is the manifesto's Markdown,
which Python-Markdown renders with the `attr_list` extension (the `{#id}` after headings).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

from defenceline.policy import Policy

__all__ = ["manifesto_markdown", "manifesto_problems"]

_FRONT_MATTER = re.compile(r"^\ufeff?-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def _api() -> Any | None:
    try:
        module = importlib.import_module("defenceline.manifesto")
    except ImportError:  # pragma: no cover - the part ships with defenceline
        return None
    return module if hasattr(module, "load_manifesto") else None


def manifesto_problems(path: Path, policy: Policy | None) -> list[tuple[str, int | None, str]]:
    """Problems with the manifesto at `path` as (file, line, message); empty when valid."""
    name = path.as_posix()
    if not path.is_file():
        return [(name, None, "manifesto file not found; expected a Markdown file")]
    api = _api()
    if api is None:
        return []
    try:
        manifesto = api.load_manifesto(path)
    except Exception as exc:  # ManifestoError: the part's own error, with problems and lines
        problems = getattr(exc, "problems", None)
        if problems is None:
            raise
        return [(name, getattr(p, "line", None), str(getattr(p, "message", p))) for p in problems]
    check = getattr(api, "check_manifesto", None)
    if check is None:
        return []
    result = check(manifesto, policy)
    findings = getattr(result, "findings", result)
    found: list[tuple[str, int | None, str]] = []
    for finding in findings or []:
        if getattr(finding, "severity", "error") not in ("error", "warning"):
            continue
        rule = getattr(finding, "rule", None) or getattr(finding, "rule_id", None)
        message = str(getattr(finding, "message", finding))
        found.append(
            (name, getattr(finding, "line", None), f"{message} ({rule})" if rule else message)
        )
    return found


def manifesto_markdown(path: Path) -> str:
    """The manifesto as Markdown for the help centre's page (front matter removed)."""
    text = path.read_text(encoding="utf-8-sig")
    return _FRONT_MATTER.sub("", text, count=1).lstrip("\n")
