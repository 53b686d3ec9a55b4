"""Measure the dark-pattern rules on labelled text snippets: precision and recall per category,
rule and language.

A snippet corpus is a folder of files named by language (`nl.html`, `he.html`...), each holding
cases written as a comment line and an HTML fragment (see tests/checks_corpus/dark_text/):

    <!-- case: en-001 | expect: dark-scarcity-claim | type: product -->
    <p class="stock">Only 3 left in stock</p>

Run ``python -m defenceline.checks.dark_patterns.corpus FOLDER [--mistakes]``. A shop can
label snippets of its own templates the same way to see how far to trust these rules there.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from defenceline.checks.config import CheckConfig
from defenceline.checks.engine import check_html
from defenceline.checks.evaluation import Score
from defenceline.checks.registry import RULES

__all__ = ["CATEGORIES", "Case", "CorpusScore", "load_cases", "main", "score_cases"]

# The categories of Mathur et al. (2019) that page text reveals, and the rules reporting them.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "urgency": ("dark-countdown-timer", "dark-limited-time"),
    "scarcity": ("dark-scarcity-claim",),
    "social proof": ("dark-social-proof",),
    "misdirection": ("dark-confirmshaming", "dark-preselected-addon", "dark-trick-question"),
    "sneaking": ("dark-hidden-costs", "dark-sneak-into-basket"),
    "forced action": ("dark-forced-registration",),
}
_RTL = frozenset(["he", "ar", "fa", "ur", "yi"])
_CASE = re.compile(r"<!--\s*case:\s*(?P<head>[^>]*?)\s*-->")


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled snippet."""

    ident: str
    lang: str
    html: str
    expected: frozenset[str]
    page_type: str = "product"

    def page(self) -> str:
        direction = ' dir="rtl"' if self.lang in _RTL else ""
        return (
            f'<!doctype html><html lang="{self.lang}"{direction}><head><meta charset="utf-8">'
            f"<title>{self.ident}</title></head><body>{self.html}</body></html>"
        )


@dataclass(slots=True)
class CorpusScore:
    """Counts per rule, per category and per (category, language), and the mistakes."""

    rules: dict[str, Score] = field(default_factory=dict)
    categories: dict[str, Score] = field(default_factory=dict)
    languages: dict[tuple[str, str], Score] = field(default_factory=dict)
    mistakes: list[str] = field(default_factory=list)
    cases: int = 0

    def add(self, rule: str, lang: str, outcome: str) -> None:
        category = next((c for c, rules in CATEGORIES.items() if rule in rules), "other")
        for score in (
            self.rules.setdefault(rule, Score()),
            self.categories.setdefault(category, Score()),
            self.languages.setdefault((category, lang), Score()),
        ):
            if outcome == "tp":
                score.true_positives += 1
            elif outcome == "fp":
                score.false_positives += 1
            else:
                score.false_negatives += 1

    def total(self, categories: Iterable[str] | None = None) -> Score:
        """All counts summed (over some categories only, when named)."""
        wanted = set(categories) if categories is not None else None
        total = Score()
        for name, score in self.categories.items():
            if wanted is None or name in wanted:
                total.true_positives += score.true_positives
                total.false_positives += score.false_positives
                total.false_negatives += score.false_negatives
        return total


def load_cases(folder: Path) -> list[Case]:
    """Every case of every language file in `folder`, refusing a malformed header."""
    cases: list[Case] = []
    files = sorted(folder.glob("*.html"))
    if not files:
        raise ValueError(f"{folder}: no snippet files (expected nl.html, en.html, ...)")
    for path in files:
        lang = path.stem
        text = path.read_text(encoding="utf-8")
        heads = list(_CASE.finditer(text))
        for index, head in enumerate(heads):
            end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
            fields: dict[str, str] = {}
            for part in head.group("head").split("|"):
                key, sep, value = part.partition(":")
                if not sep:
                    fields.setdefault("id", key.strip())
                    continue
                fields[key.strip()] = value.strip()
            ident = fields.get("id", "")
            if "expect" not in fields or not ident:
                raise ValueError(f"{path}: case {head.group(0)!r} needs an id and 'expect: …'")
            expected = frozenset(
                rule.strip()
                for rule in fields["expect"].split(",")
                if rule.strip() not in ("", "-")
            )
            unknown = sorted(rule for rule in expected if rule not in RULES)
            if unknown:
                raise ValueError(f"{path}: case {ident}: unknown rule id(s) {unknown}")
            cases.append(
                Case(
                    ident,
                    lang,
                    text[head.end() : end].strip(),
                    expected,
                    fields.get("type", "product"),
                )
            )
    return cases


def score_cases(cases: Iterable[Case]) -> CorpusScore:
    """Check every case with the dark-pattern rules only, and count hits and misses."""
    dark = [rule for rule in RULES if rule.startswith("dark-")]
    config = CheckConfig(rules={rule: "off" for rule in RULES if rule not in dark})
    score = CorpusScore()
    for case in cases:
        score.cases += 1
        report = check_html(case.page(), f"{case.ident}.html", config, None, case.page_type)
        if report.error:
            score.mistakes.append(f"{case.ident}: {report.error}")
        found = {
            f.rule for f in report.findings if f.rule in dark and f.severity in ("warning", "error")
        }
        for rule in sorted(found | case.expected):
            if rule in found and rule in case.expected:
                score.add(rule, case.lang, "tp")
            elif rule in found:
                score.add(rule, case.lang, "fp")
                snippet = next(f.snippet for f in report.findings if f.rule == rule)
                score.mistakes.append(f"{case.ident}: {rule} reported, not labelled: {snippet!r}")
            else:
                score.add(rule, case.lang, "fn")
                score.mistakes.append(f"{case.ident}: {rule} labelled, not reported")
    return score


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _row(name: str, score: Score) -> str:
    return (
        f"| {name} | {score.true_positives} | {score.false_positives} | "
        f"{score.false_negatives} | {_percent(score.precision)} | {_percent(score.recall)} |"
    )


def render(score: CorpusScore) -> str:
    """The figures as Markdown tables: categories, rules, then category × language."""
    head = "| {} | TP | FP | FN | precision | recall |\n|---|---|---|---|---|---|"
    lines = [f"{score.cases} snippets", "", head.format("category")]
    lines += [_row(name, score.categories[name]) for name in CATEGORIES if name in score.categories]
    scored = ("urgency", "scarcity", "social proof", "misdirection")
    lines.append(_row("**text-detectable four**", score.total(scored)))
    lines.append(_row("**all**", score.total()))
    lines += ["", head.format("rule")]
    lines += [_row(f"`{name}`", value) for name, value in sorted(score.rules.items())]
    languages = sorted({lang for _category, lang in score.languages})
    lines += [
        "",
        "| category | " + " | ".join(languages) + " |",
        "|---|" + "---|" * len(languages),
    ]
    for category in CATEGORIES:
        cells = []
        for lang in languages:
            found = score.languages.get((category, lang))
            cells.append(
                "–"
                if found is None
                else f"P {_percent(found.precision)} / R {_percent(found.recall)}"
            )
        lines.append(f"| {category} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--mistakes", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args(argv)
    try:
        cases = load_cases(args.folder)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    score = score_cases(cases)
    print(render(score))
    if args.mistakes:
        print()
        print("\n".join(f"- {line}" for line in score.mistakes) or "no mistakes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
