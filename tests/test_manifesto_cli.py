"""`defenceline manifesto init | check | render | rules`, through the real `defenceline` group."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from defenceline.cli import main
from defenceline.manifesto import check_manifesto, load_manifesto

from .conftest import DEMO_POLICY

EXAMPLES = Path(__file__).resolve().parent.parent / "manifesto" / "examples" / "trapkracht"

ANSWERS = {
    "shop": "Trapkracht",
    "gap": "Goede fietsspullen voor slecht weer waren nergens te vinden",
    "passion": "We houden van fietsen, ook als het regent",
    "belief": "elke rit veilig en droog moet kunnen",
    "product": "Alles wat we verkopen, testen we zelf een winter lang",
    "delivery": "Op werkdagen vóór 16:00 besteld (vrijdag vóór 15:00), dan gaat het dezelfde "
    "dag de deur uit",
    "strength": "Ons assortiment",
    "compliment": "Klanten noemen ons behulpzaam en eerlijk",
    "ambition": "Op elke e-mail krijg je binnen 24 uur antwoord, en je hebt 30 dagen om gratis "
    "te retourneren",
}
# The answers as a TOML file (a JSON string is a valid TOML basic string).
ANSWERS_NL = "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in ANSWERS.items())


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["manifesto", *args], input=input)


def assert_usage_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for fragment in fragments:
        assert fragment in result.stderr


# --- init --------------------------------------------------------------------------------------


def test_init_with_answers_writes_a_file_that_passes_check(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(ANSWERS_NL, encoding="utf-8")
    target = tmp_path / "manifesto.nl.md"
    result = run("init", str(target), "--language", "nl", "--answers", str(answers))
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.stdout
    written = load_manifesto(target)
    assert written.language == "nl" and written.shop == "Trapkracht"
    brand = written.part("brand")
    assert brand is not None and brand.heading == "Waarom we bestaan"
    assert brand.body is not None and brand.body.text == (
        "Goede fietsspullen voor slecht weer waren nergens te vinden. We houden van fietsen, "
        "ook als het regent. Bij Trapkracht geloven we dat elke rit veilig en droog moet "
        "kunnen, en daarom doen we wat we doen."
    )
    value = written.part("value")
    assert value is not None and [s.id for s in value.statements] == [
        "product",
        "delivery",
        "strength",
    ]
    checked = run("check", str(target), "--policy", str(DEMO_POLICY))
    assert checked.exit_code == 0, checked.output
    assert "OK: 3 parts, 5 statements" in checked.stdout


def test_init_with_json_answers_takes_the_shop_name_from_the_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps(
            {
                "belief": "cycling should work in every weather",
                "price": "Fair prices, and shipping is free from €50.",
                "strength": "Our prices.",
                "ambition": "We answer every e-mail within 24 hours.",
                "language": "en",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["manifesto", "init", "--answers", str(answers), "--policy", str(DEMO_POLICY)]
    )
    assert result.exit_code == 0, result.output
    written = load_manifesto(tmp_path / "manifesto.en.md")
    assert written.shop == "Trapkracht"
    assert "At Trapkracht we believe that cycling should work in every weather" in (
        written.part("brand").body.text  # type: ignore[union-attr]
    )


def test_init_escapes_markdown_and_html_in_answers(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(
        ANSWERS_NL.replace('strength = "Ons assortiment"', 'strength = "<b>Alles</b> # *echt*"'),
        encoding="utf-8",
    )
    target = tmp_path / "m.md"
    assert run("init", str(target), "--language", "nl", "--answers", str(answers)).exit_code == 0
    strength = load_manifesto(target).part("value").statement("strength")  # type: ignore[union-attr]
    assert strength is not None and strength.text == "<b>Alles</b> # *echt*."


def test_init_with_answers_over_the_limit_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    long = " ".join(["heel"] * 60)
    answers.write_text(ANSWERS_NL.replace("Ons assortiment", long), encoding="utf-8")
    target = tmp_path / "manifesto.nl.md"
    result = run("init", str(target), "--language", "nl", "--answers", str(answers))
    assert result.exit_code == 1
    assert "the strongest point has 60 words; the limit is 50" in result.stderr
    assert "not written" in result.stderr
    assert not target.exists()


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(ANSWERS_NL, encoding="utf-8")
    target = tmp_path / "manifesto.nl.md"
    target.write_text("mine", encoding="utf-8")
    result = run("init", str(target), "--answers", str(answers))
    assert_usage_error(result, "already exists; pass --force")
    assert target.read_text(encoding="utf-8") == "mine"
    forced = run("init", str(target), "--language", "nl", "--answers", str(answers), "--force")
    assert forced.exit_code == 0 and load_manifesto(target).shop == "Trapkracht"


def test_init_answers_file_problems_are_listed_with_lines(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('shop = "X"\nbelief = 3\nslogan = "hi"\n', encoding="utf-8")
    result = run("init", str(tmp_path / "m.md"), "--answers", str(answers))
    assert_usage_error(
        result,
        f"{answers}:2: belief: expected text, got 3",
        f"{answers}:3: unknown answer 'slogan'",
        "missing answer 'strength'",
        "no advantage: answer at least one of price, product, service, delivery",
    )


def test_init_answers_file_that_is_not_toml_names_the_line(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('shop = "X"\nbelief = \n', encoding="utf-8")
    assert_usage_error(
        run("init", "--answers", str(answers)), f"{answers}:2: ", "(column 10); expected valid TOML"
    )


def test_interactive_init_asks_one_question_at_a_time(tmp_path: Path) -> None:
    target = tmp_path / "manifesto.en.md"
    replies = [
        "",  # shop: keep the policy's name
        "Rain-proof cycling gear was hard to find",  # gap
        "",  # passion: skipped
        "every ride should be safe and dry",  # belief
        "",  # price
        "We test every light on our own commute",  # product
        "",  # service
        "",  # delivery
        "Our products",  # strength
        "",  # compliment
        "We answer every e-mail within 24 hours",  # ambition
    ]
    result = CliRunner().invoke(
        main,
        ["manifesto", "init", str(target), "--language", "en", "--policy", str(DEMO_POLICY)],
        input="\n".join(replies) + "\n",
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    questions = [
        "What is your shop called? [Trapkracht]:",
        "What gap in the market made you start this shop?",
        "Finish the sentence: 'At Trapkracht we believe that …'",
        "What is your biggest product advantage?",
        "Where are you strongest? Name one or two.",
        "What can customers expect from you every time they buy?",
    ]
    positions = [out.index(q) for q in questions]
    assert positions == sorted(positions)
    written = load_manifesto(target)
    assert check_manifesto(written) == []
    assert written.part("ambition").body.text == "We answer every e-mail within 24 hours."  # type: ignore[union-attr]


def test_interactive_init_asks_again_for_a_statement_over_the_limit(tmp_path: Path) -> None:
    target = tmp_path / "manifesto.nl.md"
    too_long = " ".join(["heel"] * 55)
    replies = [
        "Trapkracht", "", "", "fietsen altijd moet kunnen",
        "", "", "", "Snelle levering",  # price, product, service, delivery
        too_long,  # strength: 55 words
        "Levering",  # the rewrite
        "", "Binnen 24 uur antwoord op elke e-mail",
    ]  # fmt: skip
    result = CliRunner().invoke(
        main,
        ["manifesto", "init", str(target), "--language", "nl"],
        input="\n".join(replies) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Dit zijn 55 woorden; het maximum is 50:" in result.stdout
    strength = load_manifesto(target).part("value").statement("strength")  # type: ignore[union-attr]
    assert strength is not None and strength.text == "Levering"


def test_interactive_init_insists_on_one_advantage(tmp_path: Path) -> None:
    target = tmp_path / "m.md"
    replies = [
        "Trapkracht",
        "",
        "",
        "fietsen moet kunnen",
        "",
        "",
        "",
        "",
        "Snel",
        "Snelheid",
        "",
        "Snel antwoord",
    ]
    result = CliRunner().invoke(
        main,
        ["manifesto", "init", str(target), "--language", "nl"],
        input="\n".join(replies) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Noem minstens één voordeel" in result.stdout
    delivery = load_manifesto(target).part("value").statement("delivery")  # type: ignore[union-attr]
    assert delivery is not None and delivery.text == "Snel."


# --- check -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_check_examples_exit_0(language: str) -> None:
    path = EXAMPLES / f"manifesto.{language}.md"
    result = run("check", str(path), "--policy", str(DEMO_POLICY))
    assert result.exit_code == 0
    assert result.stdout.strip().endswith(f"checked against {DEMO_POLICY}")


def test_check_errors_exit_1_with_file_line_and_rule(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text("---\nlanguage: nl\n---\n## Merk {#brand}\n\n## Waarde {#value}\n", "utf-8")
    result = run("check", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{path}:4: error: the brand statement under 'Merk' has no text [empty-part]" in lines
    assert lines[-1] == f"{path}: 4 errors, 0 warnings; promises not checked (no --policy)"


def test_check_warnings_exit_0_unless_strict(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    source = (EXAMPLES / "manifesto.en.md").read_text(encoding="utf-8")
    path.write_text(source.replace("24 hours", "4 hours"), encoding="utf-8")
    loose = run("check", str(path), "--policy", str(DEMO_POLICY))
    assert loose.exit_code == 0
    assert "warning: '4 hours' differs from the policy's response time of 24 hours" in loose.stdout
    assert "> We answer every e-mail within 4 hours." in loose.stdout
    assert run("check", str(path), "--policy", str(DEMO_POLICY), "--strict").exit_code == 1


def test_check_json_lists_findings(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    source = (EXAMPLES / "manifesto.nl.md").read_text(encoding="utf-8")
    path.write_text(source.replace("30 dagen", "14 dagen"), encoding="utf-8")
    result = run("check", str(path), "--policy", str(DEMO_POLICY), "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert (report["ok"], report["errors"], report["warnings"]) == (True, 0, 1)
    (finding,) = report["findings"]
    assert finding["rule"] == "returns-window-mismatch"
    assert finding["severity"] == "warning"
    assert finding["line"] == 42 and finding["part"] == "ambition"
    assert finding["policy_field"] == "returns.window_days"
    assert finding["help"]


def test_check_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "missing.md"
    assert_usage_error(run("check", str(path)), f"{path}: cannot read the file")


def test_check_not_utf8_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes(b"---\nlanguage: nl\n---\n## Caf\xe9 {#brand}\n")
    assert_usage_error(run("check", str(path)), f"{path}:4: this is not UTF-8 text")


def test_check_malformed_front_matter_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text("---\nlanguage: [nl\n---\n## X {#brand}\ntext\n", encoding="utf-8")
    assert_usage_error(run("check", str(path)), f"{path}:", "front matter is not valid YAML")


def test_check_unknown_section_exits_2_with_line(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text("---\nlanguage: nl\n---\n## X {#brnd}\ntext\n", encoding="utf-8")
    assert_usage_error(run("check", str(path)), f"{path}:4: unknown section id {{#brnd}}")


def test_check_bad_policy_exits_2(tmp_path: Path) -> None:
    policy = tmp_path / "store.toml"
    policy.write_text("[shop]\nname = 1\n", encoding="utf-8")
    result = run("check", str(EXAMPLES / "manifesto.nl.md"), "--policy", str(policy))
    assert_usage_error(result, f"{policy}:")


# --- render ------------------------------------------------------------------------------------


def test_render_html_is_a_fragment() -> None:
    result = run("render", str(EXAMPLES / "manifesto.nl.md"), "--format", "html")
    assert result.exit_code == 0
    page = BeautifulSoup(result.stdout, "lxml")
    assert page.find("section")["lang"] == "nl"  # type: ignore[index]
    assert "<html" not in result.stdout and "<body" not in result.stdout


def test_render_json_and_md(tmp_path: Path) -> None:
    data = json.loads(run("render", str(EXAMPLES / "manifesto.en.md"), "--format", "json").stdout)
    assert data["title"] == "Our manifesto"
    out = tmp_path / "page.md"
    result = run("render", str(EXAMPLES / "manifesto.en.md"), "--format", "md", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# Our manifesto\n\n## Why we exist {#brand}")


def test_render_to_a_missing_folder_exits_2_naming_the_file(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "page.html"
    result = run("render", str(EXAMPLES / "manifesto.en.md"), "-o", str(out))
    assert_usage_error(result, f"{out}: cannot write the file")


def test_render_unknown_format_is_a_usage_error() -> None:
    result = run("render", str(EXAMPLES / "manifesto.en.md"), "--format", "pdf")
    assert_usage_error(result, "'pdf' is not one of 'html', 'json', 'md'")


def test_rules_lists_every_rule_id() -> None:
    result = run("rules")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("missing-part")
    assert "free-returns-unbacked" in result.stdout
