"""The manifesto template's questions, and turning their answers into a manifesto file.

`defenceline manifesto init` asks these questions one by one (or reads the answers from a file)
and writes the Markdown with `compose_manifesto`. The questions follow the template a store
owner would fill in with pen and paper: first why the shop exists, then its advantages in price,
product, service and delivery and where it is strongest, and last what a customer may expect
every time. Answers are written for shoppers, as full sentences; the brand statement completes
the sentence "At <shop> we believe that …".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from defenceline.inputfiles import parse_toml, read_text
from defenceline.manifesto.model import VALUE_STATEMENTS
from defenceline.manifesto.reader import ManifestoError, Problem
from defenceline.manifesto.render import escape_markdown

__all__ = [
    "ANSWER_KEYS",
    "LANGUAGES",
    "QUESTIONS",
    "Question",
    "compose_manifesto",
    "compose_statement",
    "read_answers",
    "validate_answers",
]

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Question:
    key: str
    part: str  # the part or value statement the answer goes into
    required: bool
    text: dict[str, str]  # language -> the question
    hint: dict[str, str]  # language -> a line of guidance shown before it


QUESTIONS: tuple[Question, ...] = (
    Question(
        "shop",
        "meta",
        True,
        {"nl": "Hoe heet je winkel?", "en": "What is your shop called?"},
        {"nl": "", "en": ""},
    ),
    Question(
        "gap",
        "brand",
        False,
        {
            "nl": "Welk gat in de markt bracht je ertoe deze winkel te beginnen?",
            "en": "What gap in the market made you start this shop?",
        },
        {
            "nl": "Deel 1, waarom je bestaat. Een zin voor je klanten; leeg = overslaan.",
            "en": "Part 1, why you exist. Answer in a sentence for your shoppers; empty skips.",
        },
    ),
    Question(
        "passion",
        "brand",
        False,
        {
            "nl": "Waar ben je het meest gepassioneerd over?",
            "en": "What are you most passionate about?",
        },
        {"nl": "Een zin voor je klanten; leeg = overslaan.", "en": "One sentence; empty skips."},
    ),
    Question(
        "belief",
        "brand",
        True,
        {
            "nl": "Maak de zin af: 'Bij {shop} geloven we dat …'",
            "en": "Finish the sentence: 'At {shop} we believe that …'",
        },
        {
            "nl": "Je merkstatement eindigt met: '…, en daarom doen we wat we doen.'",
            "en": "Your brand statement ends: '…, and that's why we do what we do.'",
        },
    ),
    Question(
        "price",
        "price",
        False,
        {
            "nl": "Wat is je allergrootste prijsvoordeel?",
            "en": "What is your biggest price advantage?",
        },
        {
            "nl": "Deel 2, waarom bij jou kopen: prijs, product, service, levering. Noem er "
            "minstens één; leeg = overslaan.",
            "en": "Part 2, why buy from you: price, product, service, delivery. Answer at "
            "least one; empty skips.",
        },
    ),
    Question(
        "product",
        "product",
        False,
        {
            "nl": "Wat is je allergrootste productvoordeel?",
            "en": "What is your biggest product advantage?",
        },
        {"nl": "", "en": ""},
    ),
    Question(
        "service",
        "service",
        False,
        {
            "nl": "Wat is je allersterkste servicevoordeel?",
            "en": "What is your strongest service advantage?",
        },
        {"nl": "", "en": ""},
    ),
    Question(
        "delivery",
        "delivery",
        False,
        {
            "nl": "Wat is je allergrootste leveringsvoordeel?",
            "en": "What is your biggest delivery advantage?",
        },
        {
            "nl": "Noem alleen tijden en bedragen die in je store.toml staan.",
            "en": "Only name times and amounts that your store.toml states.",
        },
    ),
    Question(
        "strength",
        "strength",
        True,
        {
            "nl": "Waar ben je het allersterkst in? Noem er één of twee.",
            "en": "Where are you strongest? Name one or two.",
        },
        {"nl": "", "en": ""},
    ),
    Question(
        "compliment",
        "ambition",
        False,
        {
            "nl": "Waarover krijg je de meeste complimenten van klanten?",
            "en": "What do customers compliment you on most?",
        },
        {
            "nl": "Deel 3, wat klanten mogen verwachten. Een zin; leeg = overslaan.",
            "en": "Part 3, what customers may expect. One sentence; empty skips.",
        },
    ),
    Question(
        "ambition",
        "ambition",
        True,
        {
            "nl": "Wat mogen klanten elke keer van je verwachten?",
            "en": "What can customers expect from you every time they buy?",
        },
        {
            "nl": "Reactietijd, retouren, snel problemen oplossen, een persoonlijke aanpak… "
            "Beloof alleen wat je altijd waarmaakt.",
            "en": "Response time, returns, solving problems fast, a personal approach… Promise "
            "only what you keep every time.",
        },
    ),
)

ANSWER_KEYS: tuple[str, ...] = (*(q.key for q in QUESTIONS), "language", "title")

_TEXT = {
    "nl": {
        "title": "Ons manifest",
        "brand": "Waarom we bestaan",
        "value": "Waarom bij ons kopen",
        "price": "Prijs",
        "product": "Product",
        "service": "Service",
        "delivery": "Levering",
        "strength": "Waar we het sterkst in zijn",
        "ambition": "Wat je van ons mag verwachten",
        "belief": "Bij {shop} geloven we dat {belief}, en daarom doen we wat we doen.",
        "comment": "Geschreven met 'defenceline manifesto init'. Houd elke uitspraak op 50 "
        "woorden of minder en controleer met: defenceline manifesto check {file} --policy "
        "store.toml",
    },
    "en": {
        "title": "Our manifesto",
        "brand": "Why we exist",
        "value": "Why buy from us",
        "price": "Price",
        "product": "Product",
        "service": "Service",
        "delivery": "Delivery",
        "strength": "What we do best",
        "ambition": "What you can expect from us",
        "belief": "At {shop} we believe that {belief}, and that's why we do what we do.",
        "comment": "Written with 'defenceline manifesto init'. Keep each statement to 50 words "
        "or fewer and check it with: defenceline manifesto check {file} --policy store.toml",
    },
}


def _sentence(text: str) -> str:
    """One answer as a sentence: trimmed, single-spaced, ending in punctuation."""
    text = re.sub(r"\s+", " ", text).strip()
    if text and not re.search(r"[.!?…]$", text):
        text += "."
    return text


def compose_statement(part: str, answers: Mapping[str, str], language: str) -> str:
    """The text of one part or value statement from the answers (empty if unanswered)."""
    text = _TEXT[language]
    if part == "brand":
        sentences = [_sentence(answers.get("gap", "")), _sentence(answers.get("passion", ""))]
        belief = re.sub(r"\s+", " ", answers.get("belief", "")).strip().rstrip(".!…")
        if belief:
            shop = answers.get("shop", "").strip()
            sentences.append(text["belief"].format(shop=shop, belief=belief))
        return " ".join(s for s in sentences if s)
    if part == "ambition":
        return " ".join(
            s
            for s in (_sentence(answers.get("compliment", "")), _sentence(answers["ambition"]))
            if s
        )
    return _sentence(answers.get(part, ""))


def compose_manifesto(
    answers: Mapping[str, str],
    language: str,
    file_name: str,
    statements: Mapping[str, str] | None = None,
) -> str:
    """The manifesto Markdown for `answers` in `language` ("nl" or "en").

    `statements` maps a part or value statement id to text that replaces what the answers
    compose (used when the store owner rewrote a statement that came out too long).
    """
    overrides = statements or {}
    text = _TEXT[language]
    title = answers.get("title") or text["title"]
    shop = answers.get("shop", "").strip()
    lines = ["---", f"language: {language}", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if shop:
        lines.append(f"shop: {json.dumps(shop, ensure_ascii=False)}")
    lines += ["---", "", f"<!-- {text['comment'].format(file=file_name)} -->", ""]

    def section(level: int, heading: str, section_id: str, content: str) -> None:
        lines.extend([f"{'#' * level} {heading} {{#{section_id}}}", ""])
        if content:
            lines.extend([escape_markdown(content), ""])

    def body(key: str) -> str:
        return overrides.get(key) or compose_statement(key, answers, language)

    section(2, text["brand"], "brand", body("brand"))
    section(2, text["value"], "value", "")
    for key in (*VALUE_STATEMENTS, "strength"):
        if body(key):
            section(3, text[key], key, body(key))
    section(2, text["ambition"], "ambition", body("ambition"))
    return "\n".join(lines).rstrip("\n") + "\n"


def read_answers(path: Path) -> dict[str, str]:
    """Answers from a TOML or JSON file (by its suffix; TOML otherwise), validated."""
    file = str(path)
    text = read_text(path, ManifestoError)
    data: object
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ManifestoError(
                file, [Problem(f"not valid JSON: {exc.msg}", exc.lineno)]
            ) from None
    else:
        data = parse_toml(text, file, ManifestoError)
    if not isinstance(data, dict):
        raise ManifestoError(file, [Problem('expected a table of answers (key = "text")')])
    return validate_answers(data, file, text)


def validate_answers(data: Mapping[str, object], file: str, text: str = "") -> dict[str, str]:
    """Check answer keys and types; raise `ManifestoError` listing every problem."""
    problems: list[Problem] = []

    def line_of(key: str) -> int | None:
        match = re.search(rf'^\s*"?{re.escape(key)}"?\s*[=:]', text, re.MULTILINE)
        return text[: match.start()].count("\n") + 1 if match else None

    answers: dict[str, str] = {}
    for key, value in data.items():
        if key not in ANSWER_KEYS:
            problems.append(
                Problem(
                    f"unknown answer {key!r} (expected: {', '.join(ANSWER_KEYS)})", line_of(key)
                )
            )
        elif not isinstance(value, str):
            problems.append(Problem(f"{key}: expected text, got {value!r}", line_of(key)))
        else:
            answers[key] = value.strip()
    language = answers.get("language", "")
    if language and language not in LANGUAGES:
        problems.append(
            Problem(
                f"language: expected one of {', '.join(LANGUAGES)}, got {language!r}",
                line_of("language"),
            )
        )
    for question in QUESTIONS:
        if question.required and question.key != "shop" and not answers.get(question.key):
            problems.append(Problem(f"missing answer {question.key!r}: {question.text['en']}"))
    if not any(answers.get(key) for key in VALUE_STATEMENTS):
        problems.append(
            Problem("no advantage: answer at least one of price, product, service, delivery")
        )
    if problems:
        raise ManifestoError(file, problems)
    return answers
