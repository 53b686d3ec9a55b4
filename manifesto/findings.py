"""What a manifesto check reports: the core's `Finding`, placed in the manifesto's parts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from defenceline.manifesto.rules import RULES
from defenceline.rules import Finding as CoreFinding

__all__ = ["Finding", "finding"]

# The fields of a finding in `manifesto check --format json`, in the order it has always had;
# no file (the report names it once, above its findings) and no selector (a manifesto is no page).
_JSON_FIELDS = (
    "rule",
    "severity",
    "message",
    "line",
    "part",
    "statement",
    "evidence",
    "policy_field",
)


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
        # the shape `manifesto check --format json` has always had: no quote is null, and
        # `help` is the rule's why
        data = {name: getattr(self, name) for name in _JSON_FIELDS}
        data["evidence"] = self.evidence or None
        data["help"] = RULES[self.rule].why
        return data


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
