"""What a manifesto check reports: the core's `Finding`, placed in the manifesto's parts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from defenceline.manifesto.rules import RULES
from defenceline.rules import Finding as CoreFinding

__all__ = ["Finding", "finding"]


@dataclass(frozen=True)
class Finding(CoreFinding):
    """One problem in a manifesto.

    `line` is the 1-based line in the manifesto file; `part` and `statement` are section ids
    (``value`` / ``delivery``); `evidence` quotes the sentence that triggered a policy rule;
    `policy_field` names the store.toml field the text disagrees with.
    """

    part: str | None = None
    statement: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # the shape `manifesto check --format json` has always had
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "part": self.part,
            "statement": self.statement,
            "evidence": self.evidence or None,
            "policy_field": self.policy_field,
            "help": RULES[self.rule].why,
        }


def finding(
    rule_id: str,
    message: str,
    line: int | None = None,
    part: str | None = None,
    statement: str | None = None,
    evidence: str | None = None,
    policy_field: str | None = None,
) -> Finding:
    """A finding of the manifesto rule `rule_id`, at its severity and with its help link."""
    return Finding.of(
        RULES[rule_id],
        message,
        line=line,
        part=part,
        statement=statement,
        evidence=evidence,
        policy_field=policy_field,
    )
