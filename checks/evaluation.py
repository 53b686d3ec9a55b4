"""Measure the checker against labelled pages: per-fact and per-rule precision and recall.

A labelled corpus is a folder of pages (``.html``, or ``.html.gz`` as the web corpus stores
them) plus ``labels.json`` (see tests/checks_corpus/): for each page its type, the facts a
careful reader takes from it, and the rules that should report a warning or an error. A
labels file may name the rules it scores (``"scored_rules": [...]``); rules it does not name
are neither rewarded nor penalised on its pages (the web corpus labels dark patterns and
markup mismatches, not photos or reviews). Folders below the corpus with their own
labels.json are evaluated one by one and then together:

    python -m defenceline.checks.evaluation tests/checks_corpus [--jobs 2] [--json] [--summary]

Facts are scored as extraction is scored elsewhere: a right answer is a true positive, an
empty answer where the page states the fact is a miss (false negative), a wrong answer is
both a false positive and a miss, and an answer where the page states nothing is a false
positive. A shop can label a sample of its own pages the same way to see how far to trust
the checker on its template.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from defenceline.checks.engine import check_html
from defenceline.checks.registry import RULES
from defenceline.checks.report import PageReport

__all__ = [
    "FACT_KEYS",
    "Evaluation",
    "RuleScore",
    "Score",
    "evaluate",
    "evaluate_corpus",
    "format_evaluation",
    "labelled_folders",
    "main",
    "read_page",
]

# The facts a label may state, in the order they are printed. The first four are the ones
# the checker is judged on (issue: price, currency and availability by F1, and the page type).
FACT_KEYS = (
    "page_type",
    "price",
    "currency",
    "availability",
    "return_days",
    "image_count",
    "delivery",
    "shipping",
)
# Label keys whose values split the scores into groups (`--by platform`).
GROUP_KEYS = ("platform", "language")


@dataclass(slots=True)
class Score:
    """True positives, false positives and misses of one fact or rule."""

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

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.true_positives,
            "fp": self.false_positives,
            "fn": self.false_negatives,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


RuleScore = Score  # the name rule tables used before facts were scored the same way


@dataclass(slots=True)
class Evaluation:
    name: str = ""
    rules: dict[str, Score] = field(default_factory=dict)
    facts: dict[str, Score] = field(default_factory=dict)
    pages: int = 0
    unreadable: int = 0
    mistakes: list[str] = field(default_factory=list)
    # The same scores per value of a label's platform and language ("platform=wix").
    groups: dict[str, Evaluation] = field(default_factory=dict)

    @property
    def page_types_right(self) -> int:
        score = self.facts.get("page_type")
        return score.true_positives if score else 0

    def _rule_total(self) -> Score:
        total = Score()
        for score in self.rules.values():
            total.add(score)
        return total

    def overall_precision(self) -> float | None:
        return self._rule_total().precision

    def overall_recall(self) -> float | None:
        return self._rule_total().recall

    def merge(self, other: Evaluation) -> None:
        self.pages += other.pages
        self.unreadable += other.unreadable
        self.mistakes.extend(other.mistakes)
        for table, theirs in ((self.rules, other.rules), (self.facts, other.facts)):
            for key, score in theirs.items():
                table.setdefault(key, Score()).add(score)
        for key, group in other.groups.items():
            self.groups.setdefault(key, Evaluation(name=key)).merge(group)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pages": self.pages,
            "unreadable": self.unreadable,
            "facts": {key: score.to_dict() for key, score in self.facts.items()},
            "rules": {key: score.to_dict() for key, score in self.rules.items()},
            "rules_overall": self._rule_total().to_dict(),
            "mistakes": list(self.mistakes),
            "groups": {key: group.to_dict() for key, group in sorted(self.groups.items())},
        }


# --- one page --------------------------------------------------------------------------------


def read_page(path: Path) -> bytes:
    """The page's bytes; ``.gz`` files are decompressed (the web corpus is stored gzipped)."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ValueError(f"{path}: not a readable gzip file ({exc})") from exc
    return data


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _same(key: str, expected: Any, actual: Any) -> bool:
    if key == "price":
        try:
            return Decimal(str(actual)) == Decimal(str(expected))
        except InvalidOperation:
            return False
    if key == "currency":
        return str(actual).upper() == str(expected).upper()
    if key in ("delivery", "shipping"):
        return isinstance(actual, str) and str(expected).lower() in actual.lower()
    return bool(actual == expected)


def _fact_outcome(key: str, expected: Any, actual: Any) -> tuple[int, int, int]:
    """(tp, fp, fn) for one fact on one page."""
    options = expected if isinstance(expected, list) else [expected]
    stated = [option for option in options if not _empty(option)]
    if _empty(actual):
        # Nothing read: right when the page states nothing, a miss otherwise.
        return (0, 0, 0) if not stated or len(stated) < len(options) else (0, 0, 1)
    if any(_same(key, option, actual) for option in stated):
        return (1, 0, 0)
    # Something read that the page does not say: a false positive, and a miss if it said
    # something else.
    return (0, 1, 1 if stated else 0)


def _actual(key: str, page: PageReport) -> Any:
    if key == "page_type":
        return page.page_type
    facts = page.facts or {}
    if key in ("delivery", "shipping"):
        return facts.get(f"{key}_text")
    return facts.get(key)


def score_page(
    name: str,
    label: dict[str, Any],
    page: PageReport,
    result: Evaluation,
    scored_rules: Iterable[str] | None = None,
) -> None:
    """Add one checked page's outcome to `result` and to its platform's and language's group."""
    for key in GROUP_KEYS:
        if isinstance(label.get(key), str):
            group = result.groups.setdefault(
                f"{key}={label[key]}", Evaluation(f"{key}={label[key]}")
            )
            _score(name, label, page, group, scored_rules)
    _score(name, label, page, result, scored_rules)


def _score(
    name: str,
    label: dict[str, Any],
    page: PageReport,
    result: Evaluation,
    scored_rules: Iterable[str] | None,
) -> None:
    result.pages += 1
    if page.error is not None:
        result.unreadable += 1
        result.mistakes.append(f"{name}: could not be checked: {page.error}")
        return
    for key in FACT_KEYS:
        if key not in label:
            continue
        actual = _actual(key, page)
        tp, fp, fn = _fact_outcome(key, label[key], actual)
        score = result.facts.setdefault(key, Score())
        score.true_positives += tp
        score.false_positives += fp
        score.false_negatives += fn
        if fp or fn:
            result.mistakes.append(f"{name}: {key} {actual!r}, labelled {label[key]!r}")
    reported = {f.rule for f in page.findings if f.severity != "info"}
    expected = set(label.get("findings", []))
    rules = list(RULES) if scored_rules is None else list(scored_rules)
    for rule_id in rules:
        score = result.rules.setdefault(rule_id, Score())
        if rule_id in reported and rule_id in expected:
            score.true_positives += 1
        elif rule_id in reported:
            score.false_positives += 1
            result.mistakes.append(f"{name}: {rule_id} reported, not labelled")
        elif rule_id in expected:
            score.false_negatives += 1
            result.mistakes.append(f"{name}: {rule_id} labelled, not reported")


# --- many pages ------------------------------------------------------------------------------


def _check_file(path: str) -> PageReport:
    try:
        data = read_page(Path(path))
    except (OSError, ValueError) as exc:
        return PageReport(target=path, error=str(exc))
    return check_html(data, path)


def _check_files(paths: list[str], jobs: int) -> list[PageReport]:
    if jobs <= 1 or len(paths) <= 1:
        return [_check_file(path) for path in paths]
    # Largest pages first so no worker idles at the end; results come back in order.
    order = sorted(range(len(paths)), key=lambda i: -os.path.getsize(paths[i]))
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else None)
    with context.Pool(processes=min(jobs, len(paths))) as pool:
        reports = pool.map(_check_file, [paths[i] for i in order], chunksize=1)
    slots: list[PageReport | None] = [None] * len(paths)
    for index, report in zip(order, reports, strict=True):
        slots[index] = report
    return [report for report in slots if report is not None]


def _load_labels(folder: Path) -> dict[str, Any]:
    path = folder / "labels.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the labels ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("pages"), dict):
        raise ValueError(f'{path}: expected an object with "pages": {{file name: label}}')
    scored = data.get("scored_rules")
    if scored is not None and not (
        isinstance(scored, list) and all(isinstance(rule, str) for rule in scored)
    ):
        raise ValueError(f"{path}: scored_rules must be a list of rule ids")
    return data


def evaluate(corpus: str | Path, jobs: int = 1, every: int = 1) -> Evaluation:
    """Check the pages labelled in `corpus`/labels.json and compare with their labels.

    `every` > 1 checks a fixed sample: every n-th page in name order (a quicker run in CI).
    """
    folder = Path(corpus)
    data = _load_labels(folder)
    labels: dict[str, dict[str, Any]] = data["pages"]
    names = sorted(labels)[:: max(1, every)]
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        raise ValueError(f"{folder / 'labels.json'}: labels pages that are not there: {missing}")
    reports = _check_files([str(folder / name) for name in names], jobs)
    result = Evaluation(name=str(folder))
    for name, page in zip(names, reports, strict=True):
        score_page(name, labels[name], page, result, data.get("scored_rules"))
    return result


def labelled_folders(corpus: str | Path) -> list[Path]:
    """`corpus` and every folder below it that has a labels.json, in name order."""
    root = Path(corpus)
    found = sorted(path.parent for path in root.rglob("labels.json"))
    return [folder for folder in found if folder == root or folder.is_relative_to(root)]


def evaluate_corpus(corpus: str | Path, jobs: int = 1, every: int = 1) -> list[Evaluation]:
    """One evaluation per labelled folder and, when there are several, their total last."""
    folders = labelled_folders(corpus)
    results = [evaluate(folder, jobs, every) for folder in folders]
    if len(results) > 1:
        total = Evaluation(name="all")
        for result in results:
            total.merge(result)
        results.append(total)
    return results


# --- printing --------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "   –" if value is None else f"{value * 100:4.0f}%"


def format_evaluation(result: Evaluation, mistakes: bool = True) -> str:
    lines = [
        f"pages: {result.pages}"
        + (f" ({result.unreadable} unreadable)" if result.unreadable else "")
    ]
    lines.append(f"{'fact':<14} {'TP':>4} {'FP':>4} {'FN':>4}  precision  recall     F1")
    for key in FACT_KEYS:
        score = result.facts.get(key)
        if score is None:
            continue
        lines.append(
            f"{key:<14} {score.true_positives:>4} {score.false_positives:>4} "
            f"{score.false_negatives:>4}  {_percent(score.precision):>9}  "
            f"{_percent(score.recall):>6}  {_percent(score.f1):>5}"
        )
    lines.append("")
    lines.append(f"{'rule':<28} {'TP':>4} {'FP':>4} {'FN':>4}  precision  recall")
    for rule_id, score in result.rules.items():
        lines.append(
            f"{rule_id:<28} {score.true_positives:>4} {score.false_positives:>4} "
            f"{score.false_negatives:>4}  {_percent(score.precision):>9}  "
            f"{_percent(score.recall):>6}"
        )
    lines.append(
        f"{'all rules':<28} {'':>4} {'':>4} {'':>4}  {_percent(result.overall_precision()):>9}  "
        f"{_percent(result.overall_recall()):>6}"
    )
    if mistakes and result.mistakes:
        lines.append("")
        lines.extend(f"- {mistake}" for mistake in result.mistakes)
    return "\n".join(lines)


def format_groups(result: Evaluation, key: str) -> str:
    """One line per platform (or language): pages, fact F1s, rule precision and recall."""
    facts = [fact for fact in FACT_KEYS[:4] if fact in result.facts]
    head = f"{key:<26} {'pages':>5}" + "".join(f" {fact[:9]:>9}" for fact in facts)
    lines = [head + "  rules P   rules R"]
    for name, group in sorted(result.groups.items()):
        if not name.startswith(f"{key}="):
            continue
        row = f"{name.partition('=')[2]:<26} {group.pages:>5}"
        for fact in facts:
            score = group.facts.get(fact)
            row += f" {_percent(score.f1 if score else None):>9}"
        row += f"  {_percent(group.overall_precision()):>7}  {_percent(group.overall_recall()):>7}"
        lines.append(row)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m defenceline.checks.evaluation",
        description="Score the checker against labelled pages (folders with a labels.json).",
    )
    parser.add_argument("corpus", help="a folder with labels.json, or folders below it")
    parser.add_argument("--jobs", type=int, default=1, help="pages checked in parallel")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--summary", action="store_true", help="leave out the list of mistakes")
    parser.add_argument(
        "--by",
        choices=GROUP_KEYS,
        help="also print the scores per platform or per language (labels that name them)",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if not Path(args.corpus).is_dir():
        print(f"{args.corpus}: not a folder (expected a corpus folder)", file=sys.stderr)
        return 2
    if not labelled_folders(args.corpus):
        print(f"{args.corpus}: no labels.json found (see tests/checks_corpus/)", file=sys.stderr)
        return 2
    try:
        results = evaluate_corpus(args.corpus, max(1, args.jobs))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.json:
        payload = [result.to_dict() for result in results]
        if args.summary:
            for item in payload:
                item.pop("mistakes")
                for group in item["groups"].values():
                    group.pop("mistakes")
        print(json.dumps(payload, indent=1))
        return 0
    for number, result in enumerate(results):
        if len(results) > 1:
            print(("\n" if number else "") + f"== {result.name} ==")
        print(format_evaluation(result, mistakes=not args.summary and result.name != "all"))
        if args.by and any(name.startswith(f"{args.by}=") for name in result.groups):
            print("")
            print(format_groups(result, args.by))
    return 0


if __name__ == "__main__":
    sys.exit(main())
