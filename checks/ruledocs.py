"""Generate the page checker's rule reference (docs/rules/) from the rules themselves.

The pages are written by the core's one reference generator (`defenceline.rules`), the same
that writes the manifesto's and the help centre's references (docs/rules/manifesto/,
docs/rules/helpcentre/). Run ``python -m defenceline.checks.ruledocs docs/rules`` (or
``python -m defenceline.rules docs/rules`` for every part) after changing a rule; a test fails
when the committed pages differ from what is generated, so the reference never drifts from the
code. ``--check`` reports stale pages without writing.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from defenceline.checks import engine  # noqa: F401 - imports every rule module
from defenceline.checks.registry import RuleInfo, registered_info
from defenceline.rules import RuleSet, reference_pages
from defenceline.rules import main as generate

__all__ = ["RULE_SET", "main", "rule_pages"]


def _as_shown(rule: RuleInfo) -> RuleInfo:
    """`rule` as its reference page shows it: an example is one line of HTML as the checker
    reads it, shown with one element a line."""
    return replace(
        rule,
        failing=rule.failing.replace("><", ">\n<"),
        passing=rule.passing.replace("><", ">\n<"),
    )


_REGISTERED = registered_info()
RULE_SET: RuleSet[RuleInfo] = replace(_REGISTERED, rules=tuple(map(_as_shown, _REGISTERED)))
"""The checker's rules as the reference shows them (the set's texts are in rules.toml)."""


def rule_pages() -> dict[str, str]:
    """File name -> content for the whole reference."""
    return reference_pages(RULE_SET)


def main(argv: list[str] | None = None) -> int:
    return generate(argv, [RULE_SET], prog="python -m defenceline.checks.ruledocs")


if __name__ == "__main__":
    sys.exit(main())
