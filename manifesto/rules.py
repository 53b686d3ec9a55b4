"""The manifesto checks: one `Rule` per check, each with an id, a severity, why it matters and a
failing and a passing example, in the core's rule shape (`defenceline.rules`).

The rules' metadata is data: ``rules.toml`` in this package holds every rule's texts and
examples, and the core's one loader (`RuleSet.from_toml`) validates it into `RULES`, so the texts
are read and reviewed without reading Python; what finds the problems is code (`check_manifesto`
in ``check.py``). The rule reference (``docs/rules/manifesto/``) is generated from `RULES` by the
core's one generator (``python -m defenceline.rules docs/rules``), and the test suite runs every
example through `check_manifesto`, so the documentation can neither drift from the code nor show
an example that does not behave as documented.

Examples come in two kinds. A *document* example is a whole manifesto. A *statement* example
is the text of one statement; the tests put it into the part named by `Rule.example_part` of an
otherwise valid manifesto and check it against the demo shop's policy
(``examples/demo-shop/store.toml``: 30-day free returns, cut-off 16:00 Monday–Thursday and
15:00 on Friday, shipping €4,95 and free from €50,00 in the Netherlands, e-mail answered within
24 hours).
"""

from __future__ import annotations

from dataclasses import dataclass

from defenceline.rules import Rule as CoreRule
from defenceline.rules import RuleSet, Severity

__all__ = ["RULES", "Rule", "Severity", "rule"]


@dataclass(frozen=True)
class Rule(CoreRule):
    """A manifesto rule: the core's rule plus how its examples are checked."""

    example_part: str | None = None  # None: the examples are whole documents
    needs_policy: bool = False
    # The examples run against the demo policy with this (old, new) text replaced in it.
    policy_patch: tuple[str, str] | None = None
    example_syntax: str = "markdown"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.notes:
            return
        notes = []
        if self.needs_policy:
            notes.append("**Needs:** `--policy store.toml` (runs only with a store policy)")
        if self.example_part:
            example = (
                f"**Examples:** the text of the `{self.example_part}` statement, checked "
                "against the demo shop's policy (`examples/demo-shop/store.toml`)"
            )
            if self.policy_patch:
                example += f" with `{self.policy_patch[1]}` in it"
            notes.append(example)
        object.__setattr__(self, "notes", tuple(notes))


# What each rule reports, why, and its examples are data (rules.toml, beside this module); the
# loader builds every entry as a `Rule` above, so a mistyped key fails at import, naming it.
RULES: RuleSet[Rule] = RuleSet.from_toml("defenceline.manifesto", "rules.toml", Rule)


def rule(rule_id: str) -> Rule:
    """The rule called `rule_id`; KeyError for an unknown id."""
    return RULES[rule_id]
