"""Checking a manifesto: is it complete and short, and does it agree with the store policy?

`check_manifesto` is the one entry point the CLI, the help centre's build and its
``defenceline helpcentre check`` all call, so a manifesto gets the same verdict everywhere.
"""

from __future__ import annotations

from defenceline.manifesto.findings import Finding, finding
from defenceline.manifesto.model import PART_IDS, VALUE_STATEMENTS, Manifesto, Statement
from defenceline.manifesto.promises import promise_findings
from defenceline.manifesto.words import WORD_LIMIT
from defenceline.policy import Policy

__all__ = ["PART_NAMES", "check_manifesto", "statement_name"]

PART_NAMES = {
    "brand": "brand statement",
    "value": "value proposition",
    "ambition": "service ambition",
}
_STATEMENT_NAMES = {
    "price": "price statement",
    "product": "product statement",
    "service": "service statement",
    "delivery": "delivery statement",
    "strength": "strongest point",
    "value": "value proposition's introduction",
}


def statement_name(statement: Statement) -> str:
    """How messages name a statement: "the brand statement", "the delivery statement"."""
    return _STATEMENT_NAMES.get(statement.id) or PART_NAMES[statement.id]


def check_manifesto(manifesto: Manifesto, policy: Policy | None = None) -> list[Finding]:
    """Every finding for `manifesto`, errors and warnings, ordered by line.

    Without a `policy` only the structure is checked (parts present, not empty, 50 words or
    fewer); with one, numbers and promises in the text are compared with it as well.
    """
    findings = _structure(manifesto)
    if policy is not None:
        findings += promise_findings(manifesto, policy)
    return sorted(findings, key=lambda f: (f.line or 0, f.severity != "error", f.rule))


def _structure(manifesto: Manifesto) -> list[Finding]:
    findings: list[Finding] = []
    last_line = max((s.line for _, s in manifesto.statements()), default=1)
    for part_id in PART_IDS:
        part = manifesto.part(part_id)
        if part is None:
            findings.append(
                finding(
                    "missing-part",
                    f"the {PART_NAMES[part_id]} is missing; add a '## ... {{#{part_id}}}' section",
                    last_line if manifesto.parts else None,
                    part_id,
                )
            )
            continue
        if part_id != "value" and (part.body is None or part.body.is_empty):
            findings.append(
                finding(
                    "empty-part",
                    f"the {PART_NAMES[part_id]} under {part.heading!r} has no text",
                    part.line,
                    part_id,
                )
            )
        if part_id == "value":
            present = [part.statement(s) for s in VALUE_STATEMENTS]
            if not any(present):
                findings.append(
                    finding(
                        "missing-advantage",
                        "the value proposition names no advantage; add at least one of "
                        "'### ... {#price}', {#product}, {#service} or {#delivery}",
                        part.line,
                        part_id,
                    )
                )
            if part.statement("strength") is None:
                findings.append(
                    finding(
                        "missing-strength",
                        "the value proposition does not say where the shop is strongest; add "
                        "'### ... {#strength}' naming one or two of its advantages",
                        part.line,
                        part_id,
                    )
                )
        for statement in part.statements:
            if statement.heading is not None and statement.is_empty:
                findings.append(
                    finding(
                        "empty-part",
                        f"the {statement_name(statement)} under {statement.heading!r} has no "
                        "text; write it or remove the heading",
                        statement.line,
                        part_id,
                        statement.id,
                    )
                )
            words = statement.words
            if words > WORD_LIMIT:
                findings.append(
                    finding(
                        "too-long",
                        f"the {statement_name(statement)} has {words} words; the limit is "
                        f"{WORD_LIMIT}",
                        statement.line,
                        part_id,
                        statement.id,
                    )
                )
    return findings
