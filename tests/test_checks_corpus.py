"""The checker against labelled pages: the hand-written corpus and the web corpus.

`tests/checks_corpus/` holds pages written and labelled by hand in six languages: server-rendered
and JavaScript-framework dumps, pages with JSON-LD, microdata, only Open Graph or nothing, good
pages and pages with each dark pattern. `heldout/`, `heldout_2/` and `heldout_3/` are rounds of
pages labelled before the checker first ran on them.

`tests/checks_corpus/web/` holds batches of product pages generated from ports of real shop
platforms' templates (see its generator/), labelled from the generator's data before the
checker first saw them; docs/checks/accuracy.md keeps their first-sight figures. The floors
below are the figures measured at the end of the session that built them, not targets.

Print the tables with ``python -m defenceline.checks.evaluation tests/checks_corpus``.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from defenceline.checks.evaluation import (
    Evaluation,
    evaluate,
    evaluate_corpus,
    format_evaluation,
    main,
)

CORPUS = Path(__file__).resolve().parent / "checks_corpus"
WEB = CORPUS / "web"
WEB_BATCHES = sorted(path.parent for path in WEB.glob("batch_*/labels.json"))
HAND_WRITTEN = ["main", "heldout", "heldout_2", "heldout_3"]


def _hand_labels() -> list[dict[str, object]]:
    found = []
    for labels in sorted(CORPUS.rglob("labels.json")):
        if WEB in labels.parents:
            continue
        found.extend(json.loads(labels.read_text(encoding="utf-8"))["pages"].values())
    return found


# --- the hand-written corpus ------------------------------------------------------------------


@pytest.fixture(scope="module", params=HAND_WRITTEN)
def evaluation(request: pytest.FixtureRequest) -> Evaluation:
    folder = CORPUS if request.param == "main" else CORPUS / request.param
    return evaluate(folder)


def test_every_page_type_and_fact_is_read_as_labelled(evaluation: Evaluation) -> None:
    fact_mistakes = [m for m in evaluation.mistakes if "reported" not in m]
    assert fact_mistakes == [], format_evaluation(evaluation)
    assert evaluation.page_types_right == evaluation.pages


def test_rules_report_what_is_labelled_and_nothing_else(evaluation: Evaluation) -> None:
    assert evaluation.overall_precision() == 1.0, format_evaluation(evaluation)
    assert evaluation.overall_recall() == 1.0, format_evaluation(evaluation)


def test_hand_written_corpus_covers_six_languages_and_every_dark_pattern() -> None:
    names: list[str] = []
    dark: set[str] = set()
    for labels in sorted(CORPUS.rglob("labels.json")):
        if WEB in labels.parents:
            continue
        pages = json.loads(labels.read_text(encoding="utf-8"))["pages"]
        names.extend(pages)
        for label in pages.values():
            dark.update(rule for rule in label["findings"] if rule.startswith("dark-"))
    assert {name[:2] for name in names} == {"nl", "en", "de", "fr", "it", "es"}
    assert len(names) >= 47
    assert {
        "dark-countdown-timer", "dark-scarcity-claim", "dark-social-proof",
        "dark-preselected-addon", "dark-confirmshaming", "dark-hidden-costs",
    } <= dark  # fmt: skip


# --- the web corpus ---------------------------------------------------------------------------


def _web_labels() -> dict[str, dict[str, object]]:
    pages: dict[str, dict[str, object]] = {}
    for folder in WEB_BATCHES:
        data = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        pages.update({f"{folder.name}/{name}": label for name, label in data["pages"].items()})
    return pages


def test_web_corpus_has_the_pages_languages_currencies_and_platforms_it_promises() -> None:
    labels = _web_labels()
    products = [label for label in labels.values() if label["page_type"] == "product"]
    assert len(products) >= 110 * len(WEB_BATCHES)
    assert len({label["currency"] for label in products}) >= 10
    languages = {label["language"] for label in products}
    assert len(languages) >= 8 and {"he", "ru", "el", "ja"} <= languages
    assert len({label["platform"] for label in products}) >= 13
    states = {label["availability"][0] for label in products}  # type: ignore[index]
    assert {"InStock", "LimitedAvailability", "OutOfStock", "PreOrder", "BackOrder"} <= states
    for name in labels:
        path = WEB / name
        assert path.suffix == ".gz" and path.read_bytes()[:2] == b"\x1f\x8b", name


def test_web_pages_weigh_what_real_pages_weigh() -> None:
    sizes = [
        len(gzip.decompress(path.read_bytes()))
        for folder in WEB_BATCHES
        for path in folder.glob("*.html.gz")
    ]
    assert min(sizes) > 100_000
    assert sum(sizes) / len(sizes) > 250_000


def _generator() -> ModuleType:
    path = WEB / "generator" / "generate.py"
    spec = importlib.util.spec_from_file_location("web_corpus_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


def _visible(html: str) -> str:
    """The page without its inline bundles: what does not depend on installed asset versions."""
    html = re.sub(r"(?is)<(script|style)\b[^>]*>.*?</\1\s*>", "", html)
    return re.sub(r"\s+", " ", html)


@pytest.mark.parametrize("folder", WEB_BATCHES, ids=lambda folder: folder.name)
def test_stored_labels_are_the_generators_data(folder: Path) -> None:
    generate = _generator()
    number = int(folder.name.removeprefix("batch_"))
    specs = generate.draw_batch(number)
    stored = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(generate.batch_labels(number, specs))) == stored
    # Two pages rendered again are the stored pages (bundles aside, which come from installed
    # packages whose versions may move).
    env = generate.environment()
    for spec in (specs[0], specs[len(specs) // 2]):
        again = generate.render(spec, env)
        kept = gzip.decompress((folder / spec.name).read_bytes()).decode("utf-8")
        assert _visible(again) == _visible(kept), spec.name


@pytest.fixture(scope="module")
def web_evaluations() -> list[Evaluation]:
    # Every other page: half the corpus keeps the run short; the full figures are in the docs.
    return evaluate_corpus(WEB, jobs=2, every=2)


# Measured on this sample (every other page of batches 1-4) after the fact fixes for batches 3
# and 4 (checker e52724e: every fact 1.000; rules 1.000 precision and 0.992 recall; full
# figures in docs/checks/accuracy.md), less one or two points: the checker must not fall back.
# Raise them when it improves.
FACT_F1_FLOORS = {"page_type": 0.98, "price": 0.98, "currency": 0.98, "availability": 0.98}
RULE_FLOORS = {"precision": 0.98, "recall": 0.97}


def test_web_corpus_facts_stay_at_or_above_their_measured_f1(
    web_evaluations: list[Evaluation],
) -> None:
    total = web_evaluations[-1]
    assert total.unreadable == 0, format_evaluation(total)
    for key, floor in FACT_F1_FLOORS.items():
        f1 = total.facts[key].f1
        assert f1 is not None and f1 >= floor, f"{key}: F1 {f1}\n" + format_evaluation(total)


def test_web_corpus_rules_stay_at_or_above_their_measured_precision_and_recall(
    web_evaluations: list[Evaluation],
) -> None:
    total = web_evaluations[-1]
    precision, recall = total.overall_precision(), total.overall_recall()
    assert precision is not None and precision >= RULE_FLOORS["precision"], format_evaluation(total)
    assert recall is not None and recall >= RULE_FLOORS["recall"], format_evaluation(total)
    # Only the labelled rules are scored: the product rules never show up in the table.
    assert set(total.rules) <= {
        rule
        for folder in WEB_BATCHES
        for rule in json.loads((folder / "labels.json").read_text(encoding="utf-8"))["scored_rules"]
    }


# --- how the evaluation scores --------------------------------------------------------------

PAGE = """<!doctype html><html lang="nl"><head><title>Fietstas Noord</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",
"name":"Fietstas Noord","image":"https://x.example/a.jpg","offers":{"@type":"Offer",
"price":"49.95","priceCurrency":"EUR","availability":"https://schema.org/InStock"}}</script>
</head><body><h1>Fietstas Noord</h1><p class="price">€ 49,95</p><p>Op voorraad</p>
<form action="/cart/add" method="post"><button type="submit">In winkelwagen</button></form>
<p>Nog maar 2 op voorraad – 14 mensen bekijken dit product nu!</p></body></html>"""


def _tiny_corpus(folder: Path, label: dict[str, object], scored: list[str] | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page.html.gz").write_bytes(gzip.compress(PAGE.encode("utf-8"), mtime=0))
    data: dict[str, object] = {"pages": {"page.html.gz": label}}
    if scored is not None:
        data["scored_rules"] = scored
    (folder / "labels.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_a_gzipped_page_read_right_scores_true_positives(tmp_path: Path) -> None:
    label = {"page_type": "product", "price": "49.95", "currency": "EUR",
             "availability": ["InStock", "LimitedAvailability"], "findings": []}  # fmt: skip
    result = evaluate(_tiny_corpus(tmp_path / "a", label, scored=[]))
    assert result.unreadable == 0
    for key in ("page_type", "price", "currency", "availability"):
        score = result.facts[key]
        assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 0, 0)
    assert result.rules == {}  # nothing scored: no rule counts either way


def test_a_wrong_fact_is_a_false_positive_and_a_miss(tmp_path: Path) -> None:
    label = {"page_type": "product", "price": "39.95", "currency": "GBP", "findings": []}
    result = evaluate(_tiny_corpus(tmp_path / "b", label, scored=[]))
    for key in ("price", "currency"):
        score = result.facts[key]
        assert (score.true_positives, score.false_positives, score.false_negatives) == (0, 1, 1)
        assert score.f1 == 0.0


def test_only_the_scored_rules_count(tmp_path: Path) -> None:
    label = {"page_type": "product", "findings": ["dark-social-proof"]}
    result = evaluate(_tiny_corpus(tmp_path / "c", label, scored=["dark-social-proof"]))
    assert set(result.rules) == {"dark-social-proof"}
    everything = evaluate(_tiny_corpus(tmp_path / "d", label, scored=None))
    assert len(everything.rules) > 10  # without scored_rules every rule is scored


def test_the_command_prints_json_per_folder_and_in_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    label = {"page_type": "product", "price": "49.95", "findings": []}
    _tiny_corpus(tmp_path / "one", label, scored=[])
    _tiny_corpus(tmp_path / "two", label, scored=[])
    assert main([str(tmp_path), "--json", "--summary"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [Path(r["name"]).name for r in results] == ["one", "two", "all"]
    assert results[-1]["facts"]["price"]["tp"] == 2


def test_scores_are_also_kept_per_platform_and_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    label = {"page_type": "product", "price": "49.95", "findings": [],
             "platform": "hand_made", "language": "nl"}  # fmt: skip
    result = evaluate(_tiny_corpus(tmp_path / "g", label, scored=[]))
    assert result.groups["platform=hand_made"].facts["price"].true_positives == 1
    assert result.groups["language=nl"].pages == 1
    assert main([str(tmp_path / "g"), "--summary", "--by", "platform"]) == 0
    assert re.search(r"^hand_made\s+1\s+100%\s+100%", capsys.readouterr().out, re.MULTILINE)


def test_the_command_names_a_bad_labels_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "labels.json").write_text('{"pages": ["not", "a", "mapping"]}', encoding="utf-8")
    assert main([str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "labels.json" in error and '"pages"' in error
