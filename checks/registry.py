"""The rule registry: every rule is a small class with a stable id and the check it runs.

A rule's metadata is data, kept apart from its logic the way axe-core keeps its rules' JSON
apart from their checks: ``rules.toml`` in this package holds, per rule id, the default
severity, the page types it runs on, whether it needs the store policy, a one-line summary, why
it matters and a failing and a passing example. The core's one loader (`RuleSet.from_toml`)
validates the file into `RULE_INFO` in the core's rule shape, as it does the manifesto's and the
help centre's rules. A rule class sets only its `id` and implements `check`; `register` attaches
the entry of the same id (the class attributes below) and refuses a class without one, and
`registered_info` refuses an entry that no class registered. The reference in docs/rules/ is
generated from that metadata by the core's one generator (see `ruledocs`) and a test runs every
example, so the documentation cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any, ClassVar

from bs4 import Tag

from defenceline.checks.report import Severity
from defenceline.rules import Rule as CoreRule
from defenceline.rules import RuleSet

if TYPE_CHECKING:
    from defenceline.checks.config import CheckConfig
    from defenceline.checks.facts import Facts
    from defenceline.checks.page import Page
    from defenceline.policy import Policy

__all__ = [
    "RULES",
    "RULE_INFO",
    "Context",
    "Hit",
    "Rule",
    "RuleInfo",
    "register",
    "registered_info",
]

_PAGE_TYPES = {"product": "product", "cart": "cart", "checkout": "checkout", "other": "any other"}


@dataclass(frozen=True)
class RuleInfo(CoreRule):
    """A checker rule's metadata: the core's, plus where the rule runs.

    `page_types` are the page types the rule runs on (product, cart, checkout, other);
    `needs_policy` rules run only with a store policy; `example_page_type` is the page type
    the rule's examples are checked as, when it is not the first of `page_types`. The examples
    are HTML fragments.
    """

    page_types: tuple[str, ...] = ()
    needs_policy: bool = False
    example_page_type: str | None = None
    example_syntax: str = "html"

    def __post_init__(self) -> None:
        super().__post_init__()
        known = ", ".join(_PAGE_TYPES)
        if not self.page_types or not set(self.page_types) <= set(_PAGE_TYPES):
            raise ValueError(
                f"rule {self.id!r}: page_types {self.page_types!r}; expected some of {known}"
            )
        if self.example_page_type is not None and self.example_page_type not in _PAGE_TYPES:
            raise ValueError(
                f"rule {self.id!r}: example_page_type {self.example_page_type!r}; "
                f"expected one of {known}"
            )
        if self.notes:
            return
        applies = ", ".join(_PAGE_TYPES[t] for t in self.page_types)
        notes = [f"**Checked on:** {applies} pages"]
        if self.needs_policy:
            notes.append("**Needs:** `--policy store.toml`")
        object.__setattr__(self, "notes", tuple(notes))


RULE_INFO: RuleSet[RuleInfo] = RuleSet.from_toml("defenceline.checks", "rules.toml", RuleInfo)
"""Every checker rule's metadata, from rules.toml, in reference order."""


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
    """Base class: a subclass sets `id` and implements `check`.

    `register` sets the other class attributes from the rule's entry in rules.toml (see
    `RuleInfo` for what they mean).
    """

    id: ClassVar[str]
    severity: ClassVar[Severity]
    page_types: ClassVar[tuple[str, ...]]
    summary: ClassVar[str]
    why: ClassVar[str]
    failing: ClassVar[str]
    passing: ClassVar[str]
    needs_policy: ClassVar[bool]
    example_page_type: ClassVar[str | None]

    def check(self, ctx: Context) -> Iterator[Hit]:
        raise NotImplementedError

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
    """Class decorator: add a rule to the registry with its metadata from rules.toml, refusing a
    class whose id has no entry there and a second class with the same id."""
    if cls.id not in RULE_INFO:
        raise ValueError(
            f"rule class {cls.__name__}: rules.toml has no [rules.{cls.id}] table; a rule's "
            "severity, page types, texts and examples are written there"
        )
    if cls.id in RULES:
        raise ValueError(f"rule id {cls.id!r} is registered twice")
    info = RULE_INFO[cls.id]
    for field in fields(info):
        setattr(cls, field.name, getattr(info, field.name))
    RULES[cls.id] = cls()
    return cls


def registered_info(info: RuleSet[RuleInfo] = RULE_INFO) -> RuleSet[RuleInfo]:
    """`info` with only the registered rules, in the order they were registered (the order
    of the reference and of every report), refusing an entry no rule class registers: a rule
    documented that never runs."""
    orphans = [rule_id for rule_id in info.ids if rule_id not in RULES]
    if orphans:
        raise ValueError(
            f"rules.toml describes {', '.join(orphans)} but no rule class registers "
            "(@register, with that id); remove the entry or write the rule"
        )
    return replace(info, rules=tuple(info[rule_id] for rule_id in RULES))
