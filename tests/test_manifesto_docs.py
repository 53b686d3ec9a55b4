"""The examples in docs/manifesto/ work as documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from defenceline import Policy
from defenceline.cli import main
from defenceline.manifesto import check_manifesto, load_manifesto, parse_manifesto

from .conftest import DEMO_POLICY

DOCS = Path(__file__).resolve().parent.parent / "docs" / "manifesto"
EXAMPLES = Path(__file__).resolve().parent.parent / "manifesto" / "examples" / "trapkracht"


def fenced(path: Path, language: str) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    return re.findall(rf"^(`{{3,}}){language}\n(.*?)\n\1$", text, re.MULTILINE | re.DOTALL)


def manifesto_examples() -> list[str]:
    return [body for _, body in fenced(DOCS / "format.md", "markdown")]


def test_format_doc_has_complete_examples_in_dutch_english_and_hebrew() -> None:
    languages = [parse_manifesto(body).language for body in manifesto_examples()]
    assert languages == ["nl", "en", "he"]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_format_doc_examples_pass_check_against_the_demo_policy(
    index: int, demo_policy: Policy
) -> None:
    manifesto = parse_manifesto(manifesto_examples()[index], f"format.md example {index}")
    assert check_manifesto(manifesto, demo_policy) == []


def test_format_doc_examples_are_the_shipped_example_files() -> None:
    dutch, english, _ = manifesto_examples()
    for body, path in (
        (dutch, EXAMPLES / "manifesto.nl.md"),
        (english, EXAMPLES / "manifesto.en.md"),
    ):
        shipped = re.sub(r"<!--.*?-->\n\n", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        assert body == shipped.rstrip("\n")


def test_readme_answers_file_makes_a_manifesto_that_passes(tmp_path: Path) -> None:
    ((_, answers),) = fenced(DOCS / "README.md", "toml")
    answers_file = tmp_path / "answers.toml"
    answers_file.write_text(answers, encoding="utf-8")
    target = tmp_path / "manifesto.en.md"
    result = CliRunner().invoke(
        main,
        [
            "manifesto",
            "init",
            str(target),
            "--answers",
            str(answers_file),
            "--policy",
            str(DEMO_POLICY),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no warnings either
    assert load_manifesto(target).title == "Our promise"
