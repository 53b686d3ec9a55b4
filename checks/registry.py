"""The rule registry: every rule is a stable id, its metadata, and the function that checks it.

A rule's metadata is data, kept apart from its logic the way axe-core keeps its rules' JSON
apart from their checks: ``rules.toml`` in this package holds, per rule id, the default
severity, the page types it runs on, whether it needs the store policy, a one-line summary, why
it matters and a failing and a passing example. The core's one loader (`RuleSet.from_toml`)
validates the file into `RULE_INFO` in the core's rule shape, as it does the manifesto's and the
help centre's rules. A rule's logic is a function decorated with ``@register("rule-id")``: it
reads a page's `Context` and yields a `Hit` per problem; `register` joins it with the entry of
that id into a `Rule` and refuses an id without an entry, and `registered_info` refuses an entry
that no function registered. The reference in docs/rules/ is generated from that metadata by
the core's one generator (see `ruledocs`) and a test runs every example, so the documentation
cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from bs4 import Tag

from defenceline.checks.report import Severity
from defenceline.rules import Rule as CoreRule
from defenceline.rules import RuleSet

if TYPE_CHECKING:
    from defenceline.checks.config import CheckConfig
    from defenceline.checks.facts import Facts
    from defenceline.checks.page import Block, Page
    from defenceline.policy import Policy

__all__ = [
    "RULES",
    "RULE_INFO",
    "Check",
    "Context",
    "Hit",
    "Rule",
    "RuleInfo",
    "register",
    "registered_info",
]

_PAGE_TYPES = {"product": "product", "cart": "cart", "checkout": "checkout", "other": "any other"}
_FULL_AUDIT = (
    "This rule checks only what a parsed page shows for certain. For the full WCAG 2.1 AA "
    "audit (contrast, focus order, keyboard traps, names set by scripts, CSS-generated text) "
    "run axe-core on the rendered page in a browser (the `@axe-core/cli` command, or "
    "axe-core injected through Playwright); for a help centre built with defenceline, "
    "`defenceline helpcentre a11y SITE` runs it on every page."
)


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
    # A rule that checks part of WCAG from the HTML alone: its why ends by pointing to the
    # full audit (`_FULL_AUDIT`), said once here rather than in every such rule's text.
    full_audit: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.full_audit and not self.why.endswith(_FULL_AUDIT):
            object.__setattr__(self, "why", f"{self.why} {_FULL_AUDIT}")
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

    @classmethod
    def in_block(
        cls,
        message: str,
        page: Page,
        block: Block,
        offset: int = 1,
        severity: Severity | None = None,
    ) -> Hit:
        """A hit on a block of the page's text: the evidence is the element holding the text
        at `offset` in the block (by default its first letters) and the block's text, as much
        as a snippet shows."""
        return cls(message, page.element_at(block.start + offset), block.text[:200], severity)


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule may read: the page, its facts, the configuration and (maybe) the policy."""

    page: Page
    facts: Facts
    config: CheckConfig
    policy: Policy | None
    page_type: str


Check = Callable[[Context], Iterator[Hit]]


@dataclass(frozen=True)
class Rule(RuleInfo):
    """A registered rule: its metadata from rules.toml and `check`, the function that reads a
    page (a `Context`) and yields a `Hit` for each problem it finds."""

    check: Check = field(kw_only=True, compare=False, repr=False)

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "page_types": list(self.page_types),
            "summary": self.summary,
            "needs_policy": self.needs_policy,
        }


RULES: dict[str, Rule] = {}


def register(rule_id: str) -> Callable[[Check], Check]:
    """Decorator: the function is the check of rule `rule_id`, whose metadata is the entry of that
    id in rules.toml; refuses an id rules.toml does not describe and a second check for one id."""

    def add(check: Check) -> Check:
        if rule_id not in RULE_INFO:
            raise ValueError(
                f"rule check {check.__name__}: rules.toml has no [rules.{rule_id}] table; a "
                "rule's severity, page types, texts and examples are written there"
            )
        if rule_id in RULES:
            raise ValueError(f"rule id {rule_id!r} is registered twice")
        info = RULE_INFO[rule_id]
        RULES[rule_id] = Rule(**{f.name: getattr(info, f.name) for f in fields(info)}, check=check)
        return check

    return add


def registered_info(info: RuleSet[RuleInfo] = RULE_INFO) -> RuleSet[RuleInfo]:
    """`info` with only the registered rules, in the order they were registered (the order
    of the reference and of every report), refusing an entry no check registers: a rule
    documented that never runs."""
    orphans = [rule_id for rule_id in info.ids if rule_id not in RULES]
    if orphans:
        raise ValueError(
            f"rules.toml describes {', '.join(orphans)} but no check registers it "
            '(@register("rule-id")); remove the entry or write the check'
        )
    return replace(info, rules=tuple(info[rule_id] for rule_id in RULES))
