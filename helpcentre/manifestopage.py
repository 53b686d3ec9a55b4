"""The manifesto page: the shop's written promise inside the help centre.

`defenceline.manifesto` reads, checks and renders manifesto files; the help centre uses it
through this module only. The checks report the manifesto's own findings (missing parts, too
long statements, promises the policy contradicts) with the manifesto file's lines, and the page
shows the manifesto as Markdown rendered by that part, with ``{#brand}``-style anchors.
"""

from __future__ import annotations

from pathlib import Path

from defenceline.manifesto import ManifestoError, check_manifesto, load_manifesto, render_markdown
from defenceline.policy import Policy

__all__ = ["manifesto_markdown", "manifesto_problems"]


def manifesto_problems(path: Path, policy: Policy | None) -> list[tuple[str, int | None, str]]:
    """Problems with the manifesto at `path` as (file, line, message); empty when it is valid.

    Errors and warnings alike: a help centre should not publish a promise its own checker
    doubts.
    """
    name = path.as_posix()
    try:
        manifesto = load_manifesto(path)
    except ManifestoError as exc:
        return [(name, problem.line, problem.message) for problem in exc.problems]
    return [
        (name, finding.line, f"{finding.severity}: {finding.message} ({finding.rule})")
        for finding in check_manifesto(manifesto, policy)
    ]


def manifesto_markdown(path: Path) -> str:
    """The manifesto at `path` as Markdown for the help centre's page.

    Raises ManifestoError for a file that cannot be read (the checks report it first).
    """
    return render_markdown(load_manifesto(path))
