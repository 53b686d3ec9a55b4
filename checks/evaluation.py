"""Measure the checker against hand-labelled pages: per-rule precision and recall, fact accuracy.

A labelled corpus is a folder of pages plus `labels.json` (see tests/checks_corpus/): for each
page its type, the facts a careful reader takes from it, and the rules that should report a
warning or an error. Run ``python -m defenceline.checks.evaluation tests/checks_corpus`` to print
the table; a shop can label a sample of its own pages the same way to see how far to trust the
checker on its template. Folders below the corpus with their own labels.json (held-out pages,
labelled before the checker ran on them) are evaluated and printed one by one.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defenceline.checks.engine import check_pages
from defenceline.checks.registry import RULES
from defenceline.checks.report import PageReport

__all__ = ["Evaluation", "RuleScore", "evaluate", "labelled_folders", "main"]

FACT_KEYS = (
    "price",
    "currency",
    "availability",
    "return_days",
    "image_count",
    "delivery",
    "shipping",
)


@dataclass(slots=True)
class RuleScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float | None:
        reported = self.true_positives + self.false_positives
        return self.true_positives / reported if reported else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else None


@dataclass(slots=True)
class Evaluation:
    rules: dict[str, RuleScore] = field(default_factory=dict)
    facts_right: dict[str, int] = field(default_factory=dict)
    facts_total: dict[str, int] = field(default_factory=dict)
    page_types_right: int = 0
    pages: int = 0
    mistakes: list[str] = field(default_factory=list)

    def overall_precision(self) -> float | None:
        tp = sum(s.true_positives for s in self.rules.values())
        fp = sum(s.false_positives for s in self.rules.values())
        return tp / (tp + fp) if tp + fp else None

    def overall_recall(self) -> float | None:
        tp = sum(s.true_positives for s in self.rules.values())
        fn = sum(s.false_negatives for s in self.rules.values())
        return tp / (tp + fn) if tp + fn else None


def _fact_matches(key: str, expected: Any, facts: dict[str, Any]) -> bool:
    if key == "availability":
        options = expected if isinstance(expected, list) else [expected]
        return facts.get("availability") in options
    if key in ("delivery", "shipping"):
        actual = facts.get(f"{key}_text")
        if expected is None:
            return actual is None
        return isinstance(actual, str) and expected.lower() in actual.lower()
    return bool(facts.get(key) == expected)


def _score_page(name: str, label: dict[str, Any], page: PageReport, result: Evaluation) -> None:
    result.pages += 1
    if page.error is not None:
        result.mistakes.append(f"{name}: could not be checked: {page.error}")
        return
    if page.page_type == label["page_type"]:
        result.page_types_right += 1
    else:
        result.mistakes.append(f"{name}: page type {page.page_type}, labelled {label['page_type']}")
    facts = page.facts or {}
    for key in FACT_KEYS:
        if key not in label:
            continue
        result.facts_total[key] = result.facts_total.get(key, 0) + 1
        if _fact_matches(key, label[key], facts):
            result.facts_right[key] = result.facts_right.get(key, 0) + 1
        else:
            shown = facts.get(f"{key}_text") if key in ("delivery", "shipping") else facts.get(key)
            result.mistakes.append(f"{name}: {key} {shown!r}, labelled {label[key]!r}")
    reported = {f.rule for f in page.findings if f.severity != "info"}
    expected = set(label.get("findings", []))
    for rule_id in RULES:
        score = result.rules.setdefault(rule_id, RuleScore())
        if rule_id in reported and rule_id in expected:
            score.true_positives += 1
        elif rule_id in reported:
            score.false_positives += 1
            result.mistakes.append(f"{name}: {rule_id} reported, not labelled")
        elif rule_id in expected:
            score.false_negatives += 1
            result.mistakes.append(f"{name}: {rule_id} labelled, not reported")


def evaluate(corpus: str | Path, jobs: int = 1) -> Evaluation:
    """Check every labelled page in `corpus` and compare with its labels."""
    folder = Path(corpus)
    labels: dict[str, dict[str, Any]] = json.loads(
        (folder / "labels.json").read_text(encoding="utf-8")
    )["pages"]
    names = sorted(labels)
    report = check_pages([str(folder / name) for name in names], jobs=jobs)
    result = Evaluation()
    for name, page in zip(names, report.pages, strict=True):
        _score_page(name, labels[name], page, result)
    return result


def _percent(value: float | None) -> str:
    return "   –" if value is None else f"{value * 100:4.0f}%"


def format_evaluation(result: Evaluation) -> str:
    lines = [f"{'rule':<28} {'TP':>3} {'FP':>3} {'FN':>3}  precision  recall"]
    for rule_id, score in result.rules.items():
        lines.append(
            f"{rule_id:<28} {score.true_positives:>3} {score.false_positives:>3} "
            f"{score.false_negatives:>3}  {_percent(score.precision):>9}  "
            f"{_percent(score.recall):>6}"
        )
    lines.append(
        f"{'all rules':<28} {'':>3} {'':>3} {'':>3}  {_percent(result.overall_precision()):>9}  "
        f"{_percent(result.overall_recall()):>6}"
    )
    lines.append("")
    lines.append(f"page type: {result.page_types_right}/{result.pages}")
    for key in FACT_KEYS:
        if key in result.facts_total:
            lines.append(f"{key}: {result.facts_right.get(key, 0)}/{result.facts_total[key]}")
    if result.mistakes:
        lines.append("")
        lines.extend(f"- {mistake}" for mistake in result.mistakes)
    return "\n".join(lines)


def labelled_folders(corpus: str | Path) -> list[Path]:
    """`corpus` and every folder below it that has a labels.json, in name order."""
    root = Path(corpus)
    found = sorted(path.parent for path in root.rglob("labels.json"))
    return [folder for folder in found if folder == root or folder.is_relative_to(root)]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m defenceline.checks.evaluation CORPUS_DIR", file=sys.stderr)
        return 2
    folders = labelled_folders(args[0])
    if not folders:
        print(f"{args[0]}: no labels.json found (see tests/checks_corpus/)", file=sys.stderr)
        return 2
    for number, folder in enumerate(folders):
        if len(folders) > 1:
            print(("\n" if number else "") + f"== {folder} ==")
        print(format_evaluation(evaluate(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
