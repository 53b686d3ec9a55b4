"""Baselines: adopt the checker on an existing site and fail only on new findings.

`--write-baseline FILE` records every current finding; later runs with `--baseline FILE` mark
findings that were already there as `baselined` (shown, but not counted for `--fail-on`). A
finding matches a recorded one with the same target and rule and either the same selector or
the same snippet, so a small template change that shifts one of the two does not turn old
findings into new ones. Each recorded entry absorbs at most one finding.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from defenceline.checks.report import Report
from defenceline.outputfiles import write_text

__all__ = ["BaselineError", "apply_baseline", "read_baseline", "write_baseline"]

_VERSION = 1


class BaselineError(ValueError):
    """The baseline file cannot be read or is not a defenceline baseline."""


def write_baseline(report: Report, path: str | Path) -> int:
    """Write every finding of `report` to `path`; returns how many were recorded.

    Raises `OutputFileError` when the file cannot be written."""
    entries = [
        {
            "target": page.target,
            "rule": finding.rule,
            "selector": finding.selector,
            "snippet": finding.snippet,
        }
        for page in report.pages
        for finding in page.findings
    ]
    payload = {"defenceline_baseline": _VERSION, "findings": entries}
    write_text(path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return len(entries)


def read_baseline(path: str | Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a JSON baseline file: {exc}") from None
    if not isinstance(data, dict) or data.get("defenceline_baseline") != _VERSION:
        raise BaselineError(f"{path}: not a defenceline baseline (write one with --write-baseline)")
    findings = data.get("findings")
    if not isinstance(findings, list) or not all(
        isinstance(item, dict) and "target" in item and "rule" in item for item in findings
    ):
        raise BaselineError(f"{path}: 'findings' must be a list of {{target, rule, ...}} objects")
    return findings


def apply_baseline(report: Report, entries: list[dict[str, Any]]) -> int:
    """Mark findings recorded in `entries` as baselined; returns how many were marked."""
    remaining: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for entry in entries:
        remaining.setdefault((entry["target"], entry["rule"]), []).append(entry)
    marked = 0
    for page in report.pages:
        for position, finding in enumerate(page.findings):
            candidates = remaining.get((page.target, finding.rule))
            if not candidates:
                continue
            for index, entry in enumerate(candidates):
                if entry.get("selector") == finding.selector or (
                    entry.get("snippet") and entry.get("snippet") == finding.snippet
                ):
                    page.findings[position] = replace(finding, baselined=True)
                    marked += 1
                    del candidates[index]
                    break
    return marked
