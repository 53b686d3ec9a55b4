"""The report: per page, its type, score, facts and findings. JSON is the canonical form.

Every other format (text, JUnit, SARIF, HTML) is a rendering of `Report.to_dict()`, so they
can never disagree about what was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

# One finding shape and one severity scale for every part that reports findings (the core's).
from defenceline.rules import SEVERITIES, SEVERITY_RANK, Severity
from defenceline.rules import Finding as CoreFinding

__all__ = [
    "SEVERITIES",
    "SEVERITY_RANK",
    "Finding",
    "PageReport",
    "Report",
    "Severity",
    "page_score",
    "printable",
]

# What a failed rule costs a page's score (info is advice and costs nothing). Per rule, not per
# finding: twenty unlabelled inputs are one problem to fix, not twenty.
_PENALTY = {"error": 20, "warning": 8, "info": 0}
REPORT_VERSION = 1

# Characters a page can carry into evidence that would act on the output instead of being
# shown: C0 and C1 controls (terminal escape sequences, the backspace that makes JUnit XML
# invalid), DEL, bidirectional overrides and isolates (they reorder the text around them), lone
# surrogates and the two non-characters XML forbids. Tab and newline stay.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_T = TypeVar("_T")


def printable(value: _T) -> _T:
    """The value with unprintable characters removed from every string in it (lists, dicts)."""
    if isinstance(value, str):
        return _UNPRINTABLE.sub("", value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [printable(item) for item in value]  # type: ignore[return-value]
    if isinstance(value, dict):
        return {printable(key): printable(item) for key, item in value.items()}  # type: ignore[return-value]
    return value


@dataclass(frozen=True)
class Finding(CoreFinding):
    """One problem on one page: the core's finding, with the evidence a developer needs.

    `selector` points at the element on the page and `evidence` quotes its HTML (the checker's
    reports and baselines have always called it the `snippet`); `baselined` is set when a
    baseline already records the finding (shown, but not counted for ``--fail-on``).
    """

    baselined: bool = False

    @property
    def snippet(self) -> str | None:
        """The quoted HTML, under the name the checker's reports use."""
        return self.evidence

    def to_dict(self) -> dict[str, Any]:
        # the shape the JSON report (and so every other format and the baseline) has always had
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "selector": self.selector,
            "snippet": self.evidence,
            "help": self.help,
        }
        if self.baselined:
            data["baselined"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            rule=data["rule"],
            severity=data["severity"],
            message=data["message"],
            selector=data.get("selector"),
            evidence=data.get("snippet"),
            help=data.get("help", ""),
            baselined=bool(data.get("baselined", False)),
        )

    def printable(self) -> Finding:
        """This finding with unprintable characters removed from what the page put in it."""
        return replace(
            self,
            message=printable(self.message),
            selector=printable(self.selector),
            evidence=printable(self.evidence),
        )


def page_score(findings: list[Finding]) -> int:
    """0-100: 100 minus a penalty per failed rule at its worst severity on the page."""
    worst: dict[str, str] = {}
    for finding in findings:
        current = worst.get(finding.rule)
        if current is None or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[current]:
            worst[finding.rule] = finding.severity
    return max(0, 100 - sum(_PENALTY[severity] for severity in worst.values()))


@dataclass(slots=True)
class PageReport:
    """The result for one target; `error` is set (and the rest empty) when it could not be read."""

    target: str
    page_type: str | None = None
    score: int | None = None
    facts: dict[str, Any] | None = None
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    # The rules that applied to this page (its type, the configuration, --policy given).
    checked_rules: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "target": self.target,
            "page_type": self.page_type,
            "score": self.score,
            "facts": self.facts,
            "findings": [finding.to_dict() for finding in self.findings],
            "checked_rules": self.checked_rules,
        }
        if self.suppressed:
            data["suppressed"] = self.suppressed
        if self.notes:
            data["notes"] = self.notes
        if self.error is not None:
            data["error"] = self.error
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageReport:
        return cls(
            target=data["target"],
            page_type=data.get("page_type"),
            score=data.get("score"),
            facts=data.get("facts"),
            findings=[Finding.from_dict(item) for item in data.get("findings", [])],
            suppressed=list(data.get("suppressed", [])),
            notes=list(data.get("notes", [])),
            error=data.get("error"),
            checked_rules=list(data.get("checked_rules", [])),
        )

    def make_printable(self) -> PageReport:
        """Remove unprintable characters from everything the page put in this report.

        Called before any output format sees the report, so no format has to remember it.
        """
        self.target = printable(self.target)
        self.facts = printable(self.facts)
        self.suppressed = printable(self.suppressed)
        self.notes = printable(self.notes)
        self.error = printable(self.error)
        self.findings = [finding.printable() for finding in self.findings]
        return self

    def counts(self, include_baselined: bool = False) -> dict[str, int]:
        totals: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            if include_baselined or not finding.baselined:
                totals[finding.severity] += 1
        return totals


@dataclass(slots=True)
class Report:
    """All pages of one run."""

    pages: list[PageReport] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)
    tool_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "tool": {"name": "defenceline check", "version": self.tool_version},
            "summary": self.summary(),
            "pages": [page.to_dict() for page in self.pages],
            "rules": self.rules,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            pages=[PageReport.from_dict(page).make_printable() for page in data.get("pages", [])],
            rules=list(data.get("rules", [])),
            tool_version=str(data.get("tool", {}).get("version", "")),
        )

    def summary(self) -> dict[str, Any]:
        totals: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        baselined = 0
        for page in self.pages:
            for finding in page.findings:
                if finding.baselined:
                    baselined += 1
                else:
                    totals[finding.severity] += 1
        scores = [page.score for page in self.pages if page.score is not None]
        return {
            "pages": len(self.pages),
            "unreadable": sum(1 for page in self.pages if page.error is not None),
            **totals,
            "baselined": baselined,
            "average_score": round(sum(scores) / len(scores)) if scores else None,
        }

    def worst_severity(self) -> str | None:
        """The worst severity among findings that are not in the baseline."""
        worst: str | None = None
        for page in self.pages:
            for finding in page.findings:
                if finding.baselined:
                    continue
                if worst is None or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[worst]:
                    worst = finding.severity
        return worst

    def fails(self, fail_on: str) -> bool:
        if fail_on == "never":
            return False
        worst = self.worst_severity()
        return worst is not None and SEVERITY_RANK[worst] >= SEVERITY_RANK[fail_on]
