"""The help centre: real sites scaffolded and built with MkDocs, asserted on their HTML."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from defenceline import Policy, load_policy
from defenceline.cli import main
from defenceline.helpcentre import build_site, check_site, create_help_centre
from defenceline.helpcentre.checks import RULES
from defenceline.helpcentre.facts import site_facts
from defenceline.helpcentre.literals import PolicyLiterals
from defenceline.helpcentre.scaffold import ScaffoldError
from defenceline.rules import render_index

ROOT = Path(__file__).resolve().parent.parent
DEMO_POLICY = ROOT / "examples" / "demo-shop" / "store.toml"


def _soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "lxml")


def _text(site: Path, page: str) -> str:
    article = _soup(site, page).select_one("article")
    assert article is not None, page
    for isolate in article.select("bdi"):  # inline, not a word boundary
        isolate.unwrap()
    article.smooth()
    return " ".join(article.get_text(" ").split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, demo_policy: Policy) -> dict[str, Path]:
    """The scaffold in nl, en and he, each built once for the whole module."""
    sites: dict[str, Path] = {}
    for language in ("nl", "en", "he"):
        base = tmp_path_factory.mktemp(f"helpcentre-{language}")
        create_help_centre(base / "src", demo_policy, DEMO_POLICY, language=language)
        result = build_site(base / "src", base / "site")
        assert result.ok, result.messages
        sites[language] = base / "site"
    return sites


@pytest.fixture
def make_site(tmp_path: Path, demo_policy: Policy) -> Callable[..., Path]:
    """A fresh scaffold to break on purpose."""

    def make(language: str = "nl", policy_path: Path = DEMO_POLICY) -> Path:
        target = tmp_path / f"src-{language}"
        create_help_centre(target, load_policy(policy_path), policy_path, language=language)
        return target

    return make


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- facts in pages -----------------------------------------------------------------------------


def test_dutch_faq_shows_policy_facts_formatted_for_dutch(built: dict[str, Path]) -> None:
    shipping = _text(built["nl"], "faq/verzending/index.html")
    assert "€ 4,95 verzendkosten" in shipping
    assert "gratis vanaf € 50,00" in shipping
    assert "vóór 16:00 op maandag t/m donderdag en 15:00 op vrijdag" in shipping
    assert "PostNL" in shipping and "2–3 werkdagen" in shipping
    assert "30 dagen" in _text(built["nl"], "faq/retourneren/index.html")
    assert "Creditcard (toeslag € 1,50)" in _text(built["nl"], "faq/betalen/index.html")


def test_english_faq_shows_policy_facts_formatted_for_english(built: dict[str, Path]) -> None:
    shipping = _text(built["en"], "faq/shipping/index.html")
    assert "shipping costs €4.95 and is free from €50.00" in shipping
    assert "4:00 PM on Monday to Thursday" in shipping
    assert "30 days" in _text(built["en"], "faq/returns/index.html")
    assert _soup(built["en"], "index.html").html["lang"] == "en"  # type: ignore[index]


def test_hebrew_help_centre_is_right_to_left(built: dict[str, Path]) -> None:
    home = _soup(built["he"], "index.html")
    assert home.html["lang"] == "he"  # type: ignore[index]
    assert home.body["dir"] == "rtl"  # type: ignore[index]
    assert "30 ימים" in _text(built["he"], "faq/returns/index.html")


def test_changing_the_policy_changes_the_page(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    policy = tmp_path / "store.toml"
    text = DEMO_POLICY.read_text(encoding="utf-8")
    text = text.replace('rate = "4.95"', 'rate = "5.45"').replace(
        "window_days = 30", "window_days = 60"
    )
    policy.write_text(text, encoding="utf-8")
    source = make_site("nl", policy)
    result = build_site(source, tmp_path / "site")
    assert result.ok, result.messages
    shipping = _text(tmp_path / "site", "faq/verzending/index.html")
    assert "€ 5,45 verzendkosten" in shipping and "€ 4,95" not in shipping
    assert "60 dagen" in _text(tmp_path / "site", "faq/retourneren/index.html")


def test_facts_are_formatted_per_locale(demo_policy: Policy) -> None:
    assert site_facts(demo_policy, "nl")["shipping"]["rate"] == "€\u00a04,95"
    assert site_facts(demo_policy, "en")["shipping"]["rate"] == "€4.95"
    assert site_facts(demo_policy, "de")["returns"]["window"] == "30 Tage"
    assert site_facts(demo_policy, "nl")["payment"]["names"] == "iDEAL, PayPal en Creditcard"


# --- structured data, widgets -------------------------------------------------------------------


def test_home_page_carries_the_shops_online_store_json_ld(built: dict[str, Path]) -> None:
    scripts = _soup(built["nl"], "index.html").select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data = json.loads(scripts[0].string or "")
    assert data["@type"] == "OnlineStore" and data["name"] == "Trapkracht"
    returns = data["hasMerchantReturnPolicy"]
    assert returns["merchantReturnDays"] == 30
    assert returns["returnFees"] == "https://schema.org/FreeReturn"
    netherlands = data["hasShippingService"]["shippingConditions"]
    assert {"@type": "MonetaryAmount", "value": "4.95", "currency": "EUR"} in [
        c["shippingRate"] for c in netherlands
    ]
    assert any(c.get("orderValue", {}).get("minValue") == "50.00" for c in netherlands)
    assert not _soup(built["nl"], "faq/verzending/index.html").select(
        'script[type="application/ld+json"]'
    )


def test_feedback_is_hidden_without_the_plugin_url(built: dict[str, Path]) -> None:
    block = _soup(built["nl"], "kb/bezorging/ander-adres/index.html").select_one(".dl-feedback")
    assert block is not None and block.has_attr("hidden")
    config = json.loads(_soup(built["nl"], "index.html").select_one("#dl-helpcentre-config").string)  # type: ignore[union-attr,arg-type]
    assert config["feedback_url"] is None
    assert config["nudge_seconds"] == 45
    chat = next(c for c in config["channels"] if c["kind"] == "chat")
    assert chat["hours"]["0"] == {
        "opens": "09:00",
        "closes": "21:00",
        "closes_text": "21:00",
        "opens_text": "09:00",
    }


def test_feedback_posts_to_the_configured_plugin(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    result = build_site(make_site(), tmp_path / "site", plugin_url="https://shop.example/dl/")
    assert result.ok, result.messages
    page = _soup(tmp_path / "site", "faq/retourneren/index.html")
    block = page.select_one(".dl-feedback")
    assert block is not None and not block.has_attr("hidden")
    assert block["data-dl-page"] == "faq/retourneren.md"
    config = json.loads(page.select_one("#dl-helpcentre-config").string)  # type: ignore[union-attr,arg-type]
    assert config["feedback_url"] == "https://shop.example/dl/api/v1/feedback"


# --- knowledge base -----------------------------------------------------------------------------


def _nav_links(site: Path, page: str) -> set[str]:
    return {a.get("href", "") for a in _soup(site, page).select("nav.md-nav--primary a")}  # type: ignore[misc]


def test_articles_are_listed_on_category_pages_not_in_the_navigation(
    built: dict[str, Path],
) -> None:
    site = built["nl"]
    for page in ("index.html", "kb/index.html", "kb/bezorging/ander-adres/index.html"):
        assert not any("ander-adres" in href for href in _nav_links(site, page)), page
    category = _soup(site, "kb/bezorging/index.html").select("article li a")
    assert [a.get_text() for a in category] == [
        "Bezorgen op een ander adres",
        "Mijn pakket is beschadigd aangekomen",
    ]
    assert "Laatst nagekeken op" in _text(site, "kb/bezorging/index.html")
    # a category without its own index.md gets a generated one
    assert "Je product lang mooi houden" in _text(site, "kb/producten/index.html")


def test_category_pages_order_articles_by_views_and_votes(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    stats = tmp_path / "stats.json"
    stats.write_text(
        json.dumps(
            {
                "pages": {
                    "kb/bezorging/pakket-beschadigd.md": {"views": 40, "helpful": 3},
                    "kb/bezorging/ander-adres.md": {"views": 50, "not_helpful": 2},
                    "kb/bestellen/factuur.md": {"views": 500},
                }
            }
        ),
        encoding="utf-8",
    )
    result = build_site(make_site(), tmp_path / "site", stats_path=stats)
    assert result.ok, result.messages
    links = _soup(tmp_path / "site", "kb/bezorging/index.html").select("article li a")
    assert [a.get_text() for a in links][:2] == [
        "Mijn pakket is beschadigd aangekomen",  # 40 + 10*3 = 70
        "Bezorgen op een ander adres",  # 50 - 10*2 = 30
    ]
    popular = _soup(tmp_path / "site", "index.html").select("article ul")[1].select("a")
    assert popular[0].get_text() == "Een factuur met btw downloaden"


# --- checks -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en", "he"])
def test_the_scaffold_passes_every_check(make_site: Callable[..., Path], language: str) -> None:
    report = check_site(make_site(language))
    assert report.findings == []


def _rules(source: Path, today: dt.date | None = None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in check_site(source, today=today).findings:
        found.setdefault(finding.rule, []).append(finding.format())
    return found


def test_missing_faq_basic_is_reported(make_site: Callable[..., Path]) -> None:
    source = make_site()
    (source / "docs" / "faq" / "privacy.md").unlink()
    found = _rules(source)
    assert list(found) == ["faq-basic-missing"]
    assert "'privacy'" in found["faq-basic-missing"][0]


def test_empty_faq_basic_is_reported(make_site: Callable[..., Path]) -> None:
    source = make_site()
    (source / "docs" / "faq" / "betalen.md").write_text(
        "---\nfaq: payment\n---\n\n# Betalen\n\n## Hoe kan ik betalen?\n", encoding="utf-8"
    )
    found = _rules(source)
    assert list(found) == ["faq-basic-empty"]
    assert found["faq-basic-empty"][0].startswith(f"{source}/docs/faq/betalen.md:5:")


def test_faq_basic_not_one_click_from_home_is_reported(make_site: Callable[..., Path]) -> None:
    source = make_site()
    _edit(source / "docs" / "index.md", "- [Privacy](faq/privacy.md)\n", "")
    found = _rules(source)
    assert list(found) == ["faq-basic-unreachable"]
    assert "'privacy'" in found["faq-basic-unreachable"][0]


def test_article_without_review_date_is_reported(make_site: Callable[..., Path]) -> None:
    source = make_site()
    article = source / "docs" / "kb" / "bezorging" / "ander-adres.md"
    article.write_text(re.sub(r"review_by: .*\n", "", article.read_text()), encoding="utf-8")
    found = _rules(source)
    assert list(found) == ["kb-review-missing"]
    assert "kb/bezorging/ander-adres.md" in found["kb-review-missing"][0]


def test_article_past_its_review_date_is_reported(make_site: Callable[..., Path]) -> None:
    source = make_site()
    article = source / "docs" / "kb" / "bestellen" / "factuur.md"
    article.write_text(
        re.sub(r"review_by: .*", "review_by: 2026-01-10", article.read_text()), encoding="utf-8"
    )
    found = _rules(source, today=dt.date(2026, 1, 20))
    assert list(found) == ["kb-review-overdue"]
    assert "factuur.md:5:" in found["kb-review-overdue"][0]
    assert "2026-01-10 passed 10 days ago" in found["kb-review-overdue"][0]


def test_hand_written_policy_value_is_reported_with_the_variable(
    make_site: Callable[..., Path],
) -> None:
    source = make_site()
    _edit(
        source / "docs" / "faq" / "verzending.md",
        "## Wanneer wordt",
        "Verzending kost € 4,95, bestel vóór 16:00.\n\n## Wanneer wordt",
    )
    found = _rules(source)
    assert list(found) == ["hard-coded-fact"]
    cutoff, rate = sorted(found["hard-coded-fact"], key=lambda line: "€" in line)
    assert "verzending.md:18: '€ 4,95'" in rate and "{{ shipping.rate }}" in rate
    assert "'16:00'" in cutoff and "{{ cutoff_sentence() }}" in cutoff


def test_invalid_manifesto_is_reported(make_site: Callable[..., Path]) -> None:
    source = make_site()
    _edit(
        source / "mkdocs.yml", "  - defenceline:\n", "  - defenceline:\n      manifesto: gone.md\n"
    )
    found = _rules(source)
    assert list(found) == ["manifesto-invalid"]
    assert "gone.md" in found["manifesto-invalid"][0]


MANIFESTO = ROOT / "manifesto" / "examples" / "trapkracht" / "manifesto.nl.md"


def test_manifesto_page_shows_the_checked_manifesto(tmp_path: Path, demo_policy: Policy) -> None:
    source = tmp_path / "src"
    create_help_centre(source, demo_policy, DEMO_POLICY, manifesto_path=MANIFESTO)
    assert check_site(source).findings == []
    result = build_site(source, tmp_path / "site")
    assert result.ok, result.messages
    page = _soup(tmp_path / "site", "manifesto/index.html")
    assert page.select_one("h2#brand") is not None
    assert "Wie in Nederland fietst" in _text(tmp_path / "site", "manifesto/index.html")


def test_manifesto_with_a_missing_part_is_reported(tmp_path: Path, demo_policy: Policy) -> None:
    manifesto = tmp_path / "manifest.md"
    text = MANIFESTO.read_text(encoding="utf-8")
    manifesto.write_text(text[: text.index("{#ambition}")].rsplit("\n", 1)[0], encoding="utf-8")
    source = tmp_path / "src"
    create_help_centre(source, demo_policy, DEMO_POLICY, manifesto_path=manifesto)
    found = _rules(source)
    assert list(found) == ["manifesto-invalid"]
    assert "manifest.md:" in found["manifesto-invalid"][0]
    assert "missing-part" in found["manifesto-invalid"][0]


def test_lenient_macros_configuration_is_reported(make_site: Callable[..., Path]) -> None:
    source = make_site()
    _edit(source / "mkdocs.yml", "      on_undefined: strict\n", "")
    assert list(_rules(source)) == ["macros-config"]


def test_check_warnings_fail_a_strict_build_only(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    source = make_site()
    _edit(
        source / "docs" / "faq" / "betalen.md", "## Is betalen", "Toeslag: € 1,50.\n\n## Is betalen"
    )
    strict = build_site(source, tmp_path / "strict")
    assert not strict.ok
    assert any("hard-coded-fact" in line and "betalen.md" in line for line in strict.messages)
    assert not (tmp_path / "strict").exists()
    assert build_site(source, tmp_path / "lenient", strict=False).ok


def test_literal_detection_covers_the_usual_spellings(demo_policy: Policy) -> None:
    literals = PolicyLiterals(demo_policy)
    text = (
        "€4.95, 4,95 euro, EUR 75.00, €50,-, a 30-day window, 30 dagen, 4 PM, 15.00 uur\n"
        "Not policy values: € 3,95, 14 dagen, 12:30, {{ shipping.rate }}, `€ 4,95`.\n"
    )
    found = [(literal.line, literal.text) for literal in literals.find(text)]
    assert found == [
        (1, "15.00"),
        (1, "30 dagen"),
        (1, "30-day"),
        (1, "4 PM"),
        (1, "4,95 euro"),
        (1, "EUR 75.00"),
        (1, "€4.95"),
        (1, "€50,-"),
    ]


def test_literals_are_read_paragraph_by_paragraph_on_their_own_lines(demo_policy: Policy) -> None:
    literals = PolicyLiterals(demo_policy)
    text = (
        "# Stap 1: je pakket\n"
        "\n"
        "Geen bedragen in deze alinea,\n"
        "ook niet op de tweede regel.\n"
        "\n"
        "Verzending kost\n"
        "€ 4,95 per bestelling.\n"
        "\n"
        "Retourneren kan binnen 30\n"
        "\n"
        "dagen.\n"
    )
    # the amount wrapped onto the next line of its paragraph is found on that line; a number
    # and a unit in two paragraphs are not one value
    found = [(literal.line, literal.text) for literal in literals.find(text, first_line=5)]
    assert found == [(11, "€ 4,95")]


def test_rule_reference_is_generated_from_the_rules() -> None:
    reference = (ROOT / "docs" / "rules" / "helpcentre" / "README.md").read_text(encoding="utf-8")
    assert reference == render_index(RULES)
    assert all(f"[`{rule.id}`]({rule.id}.md)" in reference for rule in RULES)


# --- bad input ----------------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_malformed_front_matter_fails_the_build_naming_file_and_line(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    source = make_site()
    _edit(
        source / "docs" / "kb" / "bezorging" / "ander-adres.md",
        "description: Werk, buren of een afhaalpunt.",
        "description: [Werk, buren",
    )
    code, output = _cli("helpcentre", "build", str(source), "--site-dir", str(tmp_path / "out"))
    assert code == 1
    assert "kb/bezorging/ander-adres.md:4: front matter is not valid YAML" in output
    assert not (tmp_path / "out").exists()


def test_impossible_date_fails_the_build_naming_file_and_line(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    source = make_site()
    article = source / "docs" / "kb" / "bestellen" / "factuur.md"
    article.write_text(re.sub(r"review_by: .*", "review_by: 2026-13-45", article.read_text()))
    code, output = _cli("helpcentre", "build", str(source), "--site-dir", str(tmp_path / "out"))
    assert code == 1
    assert "factuur.md:5: review_by: '2026-13-45' is not a date; expected YYYY-MM-DD" in output


def test_unknown_macro_variable_fails_the_build_naming_file_and_line(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    source = make_site()
    _edit(source / "docs" / "faq" / "verzending.md", "{{ shipping.rate }}", "{{ shipping.rte }}")
    code, output = _cli("helpcentre", "build", str(source), "--site-dir", str(tmp_path / "out"))
    assert code == 1
    assert "faq/verzending.md:14: unknown variable 'shipping.rte'" in output


def test_missing_policy_fails_the_build_naming_the_file(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    source = make_site()
    missing = tmp_path / "nowhere" / "store.toml"
    code, output = _cli(
        "helpcentre", "build", str(source), "--site-dir", str(tmp_path / "out"),
        "--policy", str(missing),
    )  # fmt: skip
    assert code == 1
    assert f"{missing}: cannot read the file" in output
    code, output = _cli("helpcentre", "check", str(source), "--policy", str(missing))
    assert code == 1 and "policy-invalid" in output


def test_failed_build_leaves_the_published_site_untouched(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    source = make_site()
    out = tmp_path / "public"
    assert build_site(source, out).ok
    before = (out / "faq" / "verzending" / "index.html").read_text(encoding="utf-8")
    _edit(source / "docs" / "faq" / "verzending.md", "{{ shipping.rate }}", "{{ nope }}")
    (source / "docs" / "faq" / "extra.md").write_text("# Extra\n", encoding="utf-8")
    result = build_site(source, out)
    assert not result.ok
    assert (out / "faq" / "verzending" / "index.html").read_text(encoding="utf-8") == before
    assert not (out / "faq" / "extra").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "src-nl"]


def test_successful_build_replaces_the_published_site(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    source = make_site()
    out = tmp_path / "public"
    out.mkdir()
    (out / "stale.html").write_text("old", encoding="utf-8")
    code, output = _cli("helpcentre", "build", str(source), "--site-dir", str(out))
    assert code == 0, output
    assert not (out / "stale.html").exists() and (out / "index.html").exists()


# --- scaffold -----------------------------------------------------------------------------------


def test_new_creates_a_help_centre_in_the_shops_language(tmp_path: Path) -> None:
    code, output = _cli("helpcentre", "new", str(tmp_path / "help"), "--policy", str(DEMO_POLICY))
    assert code == 0, output
    config = (tmp_path / "help" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "language: nl" in config and "store.toml" in config
    assert (tmp_path / "help" / "docs" / "faq" / "verzending.md").exists()


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path, demo_policy: Policy) -> None:
    (tmp_path / "help").mkdir()
    (tmp_path / "help" / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="not empty"):
        create_help_centre(tmp_path / "help", demo_policy, DEMO_POLICY)
    assert (tmp_path / "help" / "notes.md").read_text(encoding="utf-8") == "mine"


def test_new_names_the_languages_it_has(tmp_path: Path) -> None:
    code, output = _cli(
        "helpcentre", "new", str(tmp_path / "h"), "--policy", str(DEMO_POLICY), "--language", "fr"
    )
    assert code == 2 and "available: en, he, nl" in output
    assert not (tmp_path / "h").exists()


def test_every_variable_in_the_facts_reference_exists(demo_policy: Policy) -> None:
    from jinja2 import Environment, StrictUndefined

    from defenceline.helpcentre import facts

    reference = (ROOT / "docs" / "helpcentre" / "facts.md").read_text(encoding="utf-8")
    expressions = re.findall(r"`\{\{ (.+?) \}\}`", reference)
    assert len(expressions) > 30
    env = Environment(undefined=StrictUndefined)
    variables = facts.site_facts(demo_policy, "nl")
    for name in ("shipping_table", "cutoff_sentence", "contact_hours", "payment_list"):
        function = getattr(facts, name)
        variables[name] = lambda *a, f=function: f(demo_policy, "nl", *a)
    for expression in expressions:
        assert env.from_string("{{ " + expression + " }}").render(**variables), expression


# --- hardening: values from store.toml are text, contact links only with safe schemes ---------


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[Trapkracht](javascript:alert(1))",
    ],
)
def test_shop_name_with_markup_shows_as_text_not_as_html_in_the_faq(
    tmp_path: Path, demo_policy_text: str, make_site: Callable[..., Path], name: str
) -> None:
    policy_path = tmp_path / "store.toml"
    policy_path.write_text(
        demo_policy_text.replace('name = "Trapkracht"', f"name = {json.dumps(name)}", 1),
        encoding="utf-8",
    )
    source = make_site("en", policy_path)
    result = build_site(source, tmp_path / "site")
    assert result.ok, result.messages
    soup = _soup(tmp_path / "site", "faq/payment/index.html")
    article = soup.select_one("article")
    assert article is not None
    # The FAQ says the name as written: as text, never as an element or a link.
    assert name in " ".join(article.get_text(" ").split())
    assert not article.select("script, img")
    assert not [a for a in soup.select("a[href]") if "javascript" in a["href"].lower()]


def _with_chat(policy: Policy, value: str) -> Policy:
    """`policy` with its chat channel's address replaced, skipping the policy file's validation
    (the help centre must be safe even when handed a value the validator would refuse)."""
    contact = [
        channel.model_copy(update={"value": value}) if channel.kind == "chat" else channel
        for channel in policy.contact
    ]
    return policy.model_copy(update={"contact": contact})


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_javascript_contact_address_never_becomes_a_link(demo_policy: Policy, value: str) -> None:
    from markdown import markdown

    from defenceline.helpcentre.facts import contact_hours
    from defenceline.helpcentre.widgets import client_config

    policy = _with_chat(demo_policy, value)
    chat = next(c for c in site_facts(policy, "nl")["contact"]["channels"] if c["kind"] == "chat")
    assert chat["href"] is None
    html = markdown(contact_hours(policy, "nl"), extensions=["tables"])
    links = [a["href"] for a in BeautifulSoup(html, "lxml").select("a[href]")]
    assert links == ["mailto:service@trapkracht.example", "tel:+31201234567"]
    # The browser widget gets no address to link to either.
    widget = next(
        c for c in client_config(policy, "nl", None, 45)["channels"] if c["kind"] == "chat"
    )
    assert widget["href"] is None


def test_web_mail_and_phone_contact_addresses_stay_links(demo_policy: Policy) -> None:
    channels = site_facts(demo_policy, "nl")["contact"]["channels"]
    assert [c["href"] for c in channels] == [
        "mailto:service@trapkracht.example",
        "tel:+31201234567",
        "https://trapkracht.example/chat",
    ]


def test_hebrew_contact_page_keeps_the_phone_number_left_to_right(built: dict[str, Path]) -> None:
    soup = _soup(built["he"], "contact/index.html")
    phone = soup.select_one("a[href^='tel:'] bdi[dir=ltr]")
    assert phone is not None and phone.get_text() == "+31 20 123 4567"
    # Amounts, times and dates are isolated too, so they cannot swap places with the text.
    assert soup.select("td bdi:not([dir])")


def test_site_name_is_in_the_help_centres_language(built: dict[str, Path]) -> None:
    titles = {
        language: _soup(site, "index.html").select_one("title").get_text()  # type: ignore[union-attr]
        for language, site in built.items()
    }
    assert titles["nl"].endswith("Trapkracht klantenservice")
    assert titles["en"].endswith("Trapkracht help centre")
    assert titles["he"].endswith("מרכז העזרה של Trapkracht")
    assert "help" not in titles["nl"].lower() and "help" not in titles["he"].lower()


def test_dutch_pages_name_the_search_dialog_and_landmarks_in_dutch(built: dict[str, Path]) -> None:
    home = _soup(built["nl"], "index.html")
    dialog = home.select_one(".md-search[role=dialog]")
    assert dialog is not None and dialog["aria-label"] == "Zoeken in de klantenservice"
    labels = {str(nav.get("aria-label")) for nav in home.select("[aria-label]")}
    assert {"Paginakop", "Tabbladen"} <= labels and not {"Header", "Tabs"} & labels
    # "Was this helpful?" is a region named by its question inside main, not a nested aside.
    article = _soup(built["nl"], "faq/verzending/index.html")
    block = article.select_one("main .dl-feedback")
    assert block is not None and block.name == "section"
    assert article.select_one(f"#{block['aria-labelledby']}").get_text() == "Was dit nuttig?"  # type: ignore[union-attr]
    assert not article.select("main aside")


def test_404_page_gets_the_same_accessibility_fixes_and_widgets(built: dict[str, Path]) -> None:
    # MkDocs renders 404.html as a template, which on_post_page never sees.
    missing = _soup(built["nl"], "404.html")
    dialog = missing.select_one(".md-search[role=dialog]")
    assert dialog is not None and dialog["aria-label"] == "Zoeken in de klantenservice"
    assert missing.select_one("script#dl-helpcentre-config") is not None
