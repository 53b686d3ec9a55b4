"""The rule registry: every rule is a small class with a stable id and its own documentation.

A rule's metadata is the core's (`defenceline.rules.Rule`): a kebab-case id that never changes,
a default severity, a one-line summary, why it matters, a failing and a passing example. A
checker rule class sets them as class attributes, adds the page types it applies to (and
whether it needs the store policy), and implements `check`; `register` turns the attributes
into the core's rule, which validates them the way it validates every part's rules. The
reference in docs/rules/ is generated from that metadata by the core's one generator (see
`ruledocs`) and a test runs every example, so the documentation cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from bs4 import Tag

from defenceline.checks.report import Severity
from defenceline.rules import Rule as RuleInfo

if TYPE_CHECKING:
    from defenceline.checks.config import CheckConfig
    from defenceline.checks.facts import Facts
    from defenceline.checks.page import Page
    from defenceline.policy import Policy

__all__ = ["RULES", "Context", "Hit", "Rule", "register"]

_PAGE_TYPES = {"product": "product", "cart": "cart", "checkout": "checkout", "other": "any other"}


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule reports: a message, the evidence element (or None), optional overrides."""

    message: str
    element: Tag | None = None
    snippet: str | None = None
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule may read: the page, its facts, the configuration and (maybe) the policy."""

    page: Page
    facts: Facts
    config: CheckConfig
    policy: Policy | None
    page_type: str


class Rule:
    """Base class: subclasses set the class attributes and implement `check`.

    `page_types` are the page types the rule runs on (product, cart, checkout, other);
    `needs_policy` rules run only with a store policy; `example_page_type` is the page type
    the rule's examples are checked as, when it cannot be detected from the example itself.
    """

    id: ClassVar[str]
    severity: ClassVar[Severity]
    page_types: ClassVar[tuple[str, ...]]
    summary: ClassVar[str]
    why: ClassVar[str]
    failing: ClassVar[str]
    passing: ClassVar[str]
    needs_policy: ClassVar[bool] = False
    example_page_type: ClassVar[str | None] = None

    def check(self, ctx: Context) -> Iterator[Hit]:
        raise NotImplementedError

    @classmethod
    def info(cls) -> RuleInfo:
        """The rule's metadata in the core's shape (`defenceline.rules.Rule`), from which the
        one reference generator writes docs/rules/ (see `ruledocs`)."""
        applies = ", ".join(_PAGE_TYPES[t] for t in cls.page_types)
        notes = [f"**Checked on:** {applies} pages"]
        if cls.needs_policy:
            notes.append("**Needs:** `--policy store.toml`")
        return RuleInfo(
            id=cls.id,
            severity=cls.severity,
            summary=cls.summary,
            why=cls.why,
            failing=cls.failing.replace("><", ">\n<"),
            passing=cls.passing.replace("><", ">\n<"),
            example_syntax="html",
            notes=tuple(notes),
        )

    @classmethod
    def describe(cls) -> dict[str, Any]:
        return {
            "id": cls.id,
            "severity": cls.severity,
            "page_types": list(cls.page_types),
            "summary": cls.summary,
            "needs_policy": cls.needs_policy,
        }


RULES: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry, refusing a badly described or duplicate rule.

    The core's rule shape checks the id, the severity and that every text is written; the
    registry adds the page types, which only the checker has.
    """
    page_types = getattr(cls, "page_types", ())
    if not page_types or not set(page_types) <= set(_PAGE_TYPES):
        raise ValueError(
            f"rule {cls.id!r}: page_types {page_types!r}; expected some of {', '.join(_PAGE_TYPES)}"
        )
    info = cls.info()
    if info.id in RULES:
        raise ValueError(f"rule id {info.id!r} is registered twice")
    RULES[info.id] = cls()
    return cls
