"""What a manifesto check reports: a `Finding` per problem, with its rule, place and evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from defenceline.manifesto.rules import Severity, rule

__all__ = ["Finding"]


@dataclass(frozen=True)
class Finding:
    """One problem in a manifesto.

    `line` is the 1-based line in the manifesto file; `part` and `statement` are section ids
    (``value`` / ``delivery``); `evidence` quotes the sentence that triggered a policy rule;
    `policy_field` names the store.toml field the text disagrees with.
    """

    rule: str
    message: str
    line: int | None = None
    part: str | None = None
    statement: str | None = None
    evidence: str = ""
    policy_field: str | None = None

    @property
    def severity(self) -> Severity:
        return rule(self.rule).severity

    def format(self, file: str) -> str:
        """``file:line: severity: message [rule]``, the shape editors and CI logs understand."""
        where = f"{file}:{self.line}" if self.line else file
        text = f"{where}: {self.severity}: {self.message} [{self.rule}]"
        if self.evidence:
            text += f"\n    > {self.evidence}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "part": self.part,
            "statement": self.statement,
            "evidence": self.evidence or None,
            "policy_field": self.policy_field,
            "help": rule(self.rule).why,
        }
