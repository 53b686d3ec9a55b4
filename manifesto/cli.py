"""`defenceline manifesto`: write, check and render the shop's manifesto.

Exit codes: 0 success; 1 the manifesto has errors (``check``; warnings too with ``--strict``)
or init's answers make an invalid manifesto; 2 bad usage or input — a file that is missing, not
UTF-8, has broken front matter or an unknown section id — reported by file and line, never with
a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from defenceline.cli import policy_option, read_policy
from defenceline.manifesto.check import check_manifesto
from defenceline.manifesto.findings import Finding
from defenceline.manifesto.model import Manifesto
from defenceline.manifesto.questionnaire import (
    LANGUAGES,
    QUESTIONS,
    compose_manifesto,
    compose_statement,
    read_answers,
)
from defenceline.manifesto.reader import (
    ManifestoError,
    Problem,
    load_manifesto,
    parse_manifesto,
)
from defenceline.manifesto.render import render_html, render_json, render_markdown
from defenceline.manifesto.rules import RULES
from defenceline.manifesto.words import WORD_LIMIT, count_words
from defenceline.outputfiles import OutputFileError, write_text
from defenceline.policy import Policy
from defenceline.rules import render_index

__all__ = ["manifesto"]

_PATH = click.Path(dir_okay=False, path_type=Path)


def _fail(error: ManifestoError) -> NoReturn:
    click.echo(error.format(), err=True)
    sys.exit(2)


def _load(path: Path) -> Manifesto:
    try:
        return load_manifesto(path)
    except ManifestoError as exc:
        _fail(exc)


def _write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` in one step (see `defenceline.outputfiles`): a reader sees the
    old file or the new, never half. A file that cannot be written is reported (exit 2)
    without a traceback.
    """
    try:
        write_text(path, text)
    except OutputFileError as exc:
        _fail(ManifestoError(str(path), [Problem(f"cannot write the file: {exc.reason}")]))


def _summary(findings: list[Finding]) -> tuple[int, int]:
    errors = sum(f.severity == "error" for f in findings)
    return errors, len(findings) - errors


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


@click.group()
def manifesto() -> None:
    """Write, check and render the shop's manifesto (its written promise)."""


# --- init --------------------------------------------------------------------------------------


@manifesto.command()
@click.argument("path", required=False, type=_PATH)
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    help="Language of the questions and headings [default: the policy's, else en].",
)
@click.option(
    "--answers",
    "answers_path",
    type=_PATH,
    metavar="FILE",
    help="Read the answers from a TOML or JSON file instead of asking.",
)
@policy_option(required=False)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def init(
    path: Path | None,
    language: str | None,
    answers_path: Path | None,
    policy_path: Path | None,
    force: bool,
) -> None:
    """Ask the manifesto template's questions one by one and write the manifesto to PATH
    (default manifesto.<language>.md).

    With --answers FILE nothing is asked: FILE holds the answers (keys: shop, gap, passion,
    belief, price, product, service, delivery, strength, compliment, ambition; optional
    language and title). With --policy the shop's name and language come from store.toml and
    the result is checked against it.
    """
    policy = read_policy(policy_path) if policy_path else None
    answers: dict[str, str] = {}
    if answers_path is not None:
        try:
            answers = read_answers(answers_path)
        except ManifestoError as exc:
            _fail(exc)
    language = language or answers.get("language") or _policy_language(policy)
    target = path or Path(f"manifesto.{language}.md")
    if target.exists() and not force:
        raise click.UsageError(f"{target} already exists; pass --force to overwrite it")
    if not target.parent.is_dir() and str(target.parent):
        raise click.UsageError(f"{target.parent} is not a folder; cannot write {target.name}")
    if policy and not answers.get("shop"):
        answers["shop"] = policy.shop.name
    statements: dict[str, str] = {}
    if answers_path is None:
        answers, statements = _ask(language, answers)
    elif not answers.get("shop"):
        raise click.UsageError(
            f"{answers_path}: missing answer 'shop' (or pass --policy store.toml for the name)"
        )
    text = compose_manifesto(answers, language, target.name, statements)
    try:
        written = parse_manifesto(text, str(target))
    except ManifestoError as exc:  # escaped answers always parse; this guards the template
        _fail(exc)
    findings = check_manifesto(written, policy)
    errors, _ = _summary(findings)
    for finding in findings:
        click.echo(finding.format(str(target)), err=True)
    if errors:
        click.echo(f"{target}: not written: {_plural(errors, 'error')} in the answers", err=True)
        sys.exit(1)
    _write_atomically(target, text)
    click.echo(f"Wrote {target}. Check it any time with: defenceline manifesto check {target}")


def _policy_language(policy: Policy | None) -> str:
    if policy is not None:
        for locale in (policy.shop.default_locale, *policy.shop.locales):
            if locale.split("_")[0] in LANGUAGES:
                return locale.split("_")[0]
    return "en"


def _ask(language: str, known: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Ask every question in turn; rewrite a statement that comes out over the word limit."""
    answers = dict(known)
    statements: dict[str, str] = {}
    intro = {
        "nl": "Beantwoord de vragen van het manifest-sjabloon. Elke uitspraak telt hoogstens "
        f"{WORD_LIMIT} woorden.",
        "en": f"Answer the manifesto template's questions. Each statement has {WORD_LIMIT} "
        "words at most.",
    }
    click.echo(intro[language])
    for index, question in enumerate(QUESTIONS):
        hint = question.hint[language]
        if hint:
            click.echo("")
            click.echo(hint)
        prompt = question.text[language].format(shop=answers.get("shop", ""))
        if question.required:
            default = answers.get(question.key) or None
            answer: str = click.prompt(prompt, default=default)
        else:
            answer = click.prompt(prompt, default="", show_default=False)
        answers[question.key] = answer.strip()
        if question.key == "delivery" and not any(
            answers.get(k) for k in ("price", "product", "service", "delivery")
        ):
            again = {
                "nl": "Noem minstens één voordeel: prijs, product, service of levering.",
                "en": "Name at least one advantage: price, product, service or delivery.",
            }
            click.echo(again[language])
            answers["delivery"] = click.prompt(question.text[language]).strip()
        following = QUESTIONS[index + 1].part if index + 1 < len(QUESTIONS) else None
        if question.part not in ("meta",) and following != question.part:
            statements[question.part] = _within_limit(question.part, answers, language)
    return answers, statements


def _within_limit(part: str, answers: dict[str, str], language: str) -> str:
    text = compose_statement(part, answers, language)
    while count_words(text) > WORD_LIMIT:
        note = {
            "nl": f"Dit zijn {count_words(text)} woorden; het maximum is {WORD_LIMIT}:",
            "en": f"That is {count_words(text)} words; the limit is {WORD_LIMIT}:",
        }
        ask = {"nl": "Schrijf het korter", "en": "Write it shorter"}
        click.echo(note[language])
        click.echo(f"  {text}")
        text = click.prompt(ask[language]).strip()
    return text


# --- check -------------------------------------------------------------------------------------


@manifesto.command()
@click.argument("path", type=_PATH)
@policy_option(required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check(path: Path, policy_path: Path | None, as_json: bool, strict: bool) -> None:
    """Check the manifesto at PATH: every part present and filled, each statement 50 words or
    fewer, and (with --policy) no number or promise that store.toml contradicts.

    Exits 0 when there are no errors, 1 when there are (with --strict: or warnings), 2 when
    PATH or the policy cannot be read.
    """
    loaded = _load(path)
    policy = read_policy(policy_path) if policy_path else None
    findings = check_manifesto(loaded, policy)
    errors, warnings = _summary(findings)
    failed = errors > 0 or (strict and warnings > 0)
    if as_json:
        report = {
            "file": str(path),
            "policy": str(policy_path) if policy_path else None,
            "language": loaded.language,
            "ok": not failed,
            "errors": errors,
            "warnings": warnings,
            "findings": [f.to_dict() for f in findings],
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(finding.format(str(path)))
        statements = [s for _, s in loaded.statements()]
        longest = max((s.words for s in statements), default=0)
        checked = (
            f"checked against {policy_path}"
            if policy_path
            else "promises not checked (no --policy)"
        )
        if findings:
            click.echo(
                f"{path}: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}; {checked}"
            )
        else:
            click.echo(
                f"{path}: OK: {_plural(len(loaded.parts), 'part')}, "
                f"{_plural(len(statements), 'statement')}, longest {longest} words "
                f"(limit {WORD_LIMIT}); {checked}"
            )
    sys.exit(1 if failed else 0)


# --- render ------------------------------------------------------------------------------------


@manifesto.command()
@click.argument("path", type=_PATH)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "json", "md"]),
    default="html",
    show_default=True,
    help="html: a fragment for an 'About us' page; json: for headless front ends; md: for "
    "the help centre.",
)
@click.option(
    "--heading-level",
    type=click.IntRange(1, 6),
    default=None,
    help="Level of the title heading [default: 2 for html, 1 for md].",
)
@click.option("--no-title", is_flag=True, help="Leave out the title heading.")
@click.option("-o", "--output", type=_PATH, help="Write to this file instead of stdout.")
def render(
    path: Path, fmt: str, heading_level: int | None, no_title: bool, output: Path | None
) -> None:
    """Render the manifesto at PATH as an HTML fragment, JSON or Markdown."""
    loaded = _load(path)
    if fmt == "html":
        text = str(render_html(loaded, heading_level=heading_level or 2, show_title=not no_title))
        text += "\n"
    elif fmt == "json":
        text = render_json(loaded) + "\n"
    else:
        text = render_markdown(loaded, heading_level=heading_level or 1, show_title=not no_title)
    if output is None:
        click.echo(text, nl=False)
    else:
        _write_atomically(output, text)


# --- rules -------------------------------------------------------------------------------------


@manifesto.command("rules")
@click.option(
    "--markdown",
    is_flag=True,
    help="Print the rule reference index (docs/rules/manifesto/README.md).",
)
def rules_command(markdown: bool) -> None:
    """List the checks `manifesto check` runs, with their ids and severities."""
    if markdown:
        click.echo(render_index(RULES), nl=False)
        return
    width = max(len(r.id) for r in RULES)
    for r in RULES:
        scope = " (with --policy)" if r.needs_policy else ""
        click.echo(f"{r.id:<{width}}  {r.severity:<7}  {r.summary}{scope}")
