"""Rules and findings: one shape for every part that checks something.

The page checker, the manifesto linter and the help centre's checks each report problems. Each
problem is a `Finding` of a `Rule`, and every rule — like ruff's and axe-core's — has a stable
kebab-case id, a default severity, a one-line summary, why it matters, a failing and a passing
example and a help link to its reference page. A part collects its rules in a `RuleSet` and
registers the set under the ``defenceline.rules`` entry point (``pyproject.toml``), the way it
registers its commands, so the core finds every part's rules without importing a part.

The reference in ``docs/rules/`` is generated from the rules by one generator::

    python -m defenceline.rules docs/rules           # write every registered set's pages
    python -m defenceline.rules docs/rules --check   # exit 1 when a page is out of date

Each set gets a folder of its own (``docs/rules/manifesto/``, ``docs/rules/helpcentre/``): a
``README.md`` index and one page per rule, which is where the rule's help link points.

A rule's metadata is data, not code: each part ships it in a TOML file in its package
(``checks/rules.toml``, ``manifesto/rules.toml``, ``helpcentre/rules.toml``) with a ``[set]``
table for the set and one ``[rules.<id>]`` table per rule, and loads it with
`RuleSet.from_toml`, the one loader, which refuses an unknown, missing or mistyped key with the
file, the rule and what was expected. Code holds only what decides: the checks themselves. This is
axe-core's split (rules as JSON, checks as code), and Vale's and semgrep's: the texts can be read,
reviewed and translated without reading Python, and no two parts spell a rule's shape twice.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from importlib.metadata import entry_points
from importlib.resources import files
from pathlib import Path
from typing import Any, Generic, Literal, Self, TypeVar

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from defenceline.inputfiles import InputFileError, Problem, key_problems, parse_toml

__all__ = [
    "ENTRY_POINT_GROUP",
    "SEVERITIES",
    "SEVERITY_RANK",
    "Finding",
    "Rule",
    "RuleFileError",
    "RuleSet",
    "Severity",
    "main",
    "reference_pages",
    "registered_rule_sets",
    "render_index",
    "render_rule",
    "stale_pages",
    "write_reference",
]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
ENTRY_POINT_GROUP = "defenceline.rules"

_ID = re.compile(r"^[a-z]+(?:-[a-z]+)*$")


@dataclass(frozen=True)
class Rule:
    """What a rule checks and how its reference page explains it.

    `failing` and `passing` are examples in `example_syntax` (a code-fence language: html,
    markdown, yaml, text); a part's tests run both. `fix` says how to fix a finding, `notes`
    add lines to the reference page (what the rule needs, where it applies). `help` is the
    link to the reference page; the rule's `RuleSet` fills it in.
    """

    id: str
    severity: Severity
    summary: str
    why: str
    failing: str
    passing: str
    fix: str = ""
    example_syntax: str = "text"
    notes: tuple[str, ...] = ()
    help: str = ""

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"rule id {self.id!r}: expected kebab-case, e.g. 'missing-part'")
        if self.severity not in SEVERITIES:
            raise ValueError(
                f"rule {self.id!r}: severity {self.severity!r}; expected one of "
                f"{', '.join(SEVERITIES)}"
            )
        for name in ("summary", "why", "failing", "passing"):
            if not getattr(self, name).strip():
                raise ValueError(f"rule {self.id!r}: {name} is empty")


@dataclass(frozen=True)
class Finding:
    """One problem, with the rule that found it and where and why.

    `file` and `line` say where (a page, a manifesto, a store policy); `selector` points into
    an HTML page; `evidence` quotes what triggered the rule; `policy_field` names the
    store.toml field the text disagrees with; `help` links to the rule's reference page.
    """

    rule: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    evidence: str | None = None
    selector: str | None = None
    policy_field: str | None = None
    help: str = ""

    @classmethod
    def of(cls, rule: Rule, message: str, **where: Any) -> Self:
        """A finding of `rule` at its default severity, with its help link; `where` sets the
        other fields (file, line, evidence, selector, policy_field, and a part's own)."""
        return cls(rule.id, rule.severity, message, help=rule.help, **where)

    def where(self, file: str | None = None) -> str:
        """``file:line`` (or just the file) for editors and CI logs; `file` overrides."""
        name = file if file is not None else (self.file or "")
        return f"{name}:{self.line}" if self.line else name

    def format(self, file: str | None = None) -> str:
        """``file:line: severity: message [rule]``, then the evidence quoted on a line of its
        own: the shape editors and CI logs understand."""
        text = f"{self.where(file)}: {self.severity}: {self.message} [{self.rule}]"
        if self.evidence:
            text += f"\n    > {self.evidence}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """The core's fields by name, in the order above (a part's subclass may add its own)."""
        return {f.name: getattr(self, f.name) for f in fields(Finding)}


R = TypeVar("R", bound=Rule)


@dataclass(frozen=True)
class RuleSet(Generic[R]):
    """A part's rules in reference order, with where their reference pages live.

    `name` is the entry-point name and, unless `docs` says otherwise, the folder under
    ``docs/rules/`` that holds the reference; `tool` the command that reports the findings;
    `intro` opens the index page; `turn_off` tells how a user turns one rule off (a Markdown
    sentence with ``{id}`` for the rule id), if they can.
    """

    name: str
    title: str
    tool: str
    intro: str
    rules: tuple[R, ...]
    turn_off: str = ""
    docs: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        docs = self.docs or f"docs/rules/{self.name}"
        object.__setattr__(self, "docs", docs)
        seen: set[str] = set()
        linked: list[R] = []
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule set {self.name!r}: rule id {rule.id!r} appears twice")
            seen.add(rule.id)
            linked.append(rule if rule.help else replace(rule, help=f"{docs}/{rule.id}.md"))
        object.__setattr__(self, "rules", tuple(linked))

    def __iter__(self) -> Iterator[R]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return any(rule.id == rule_id for rule in self.rules)

    def __getitem__(self, rule_id: str) -> R:
        """The rule called `rule_id`; KeyError naming the set for an unknown id."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"no rule {rule_id!r} in the {self.name} rules")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules)

    def finding(self, rule_id: str, message: str, **where: Any) -> Finding:
        """A `Finding` of rule `rule_id` at its default severity, with its help link;
        `where` sets the other fields (file, line, evidence, selector, policy_field)."""
        return Finding.of(self[rule_id], message, **where)

    @classmethod
    def from_toml(cls, package: str, resource: str, rule_class: type[R]) -> RuleSet[R]:
        """The rule set that `resource` in `package` describes: a ``[set]`` table with the
        set's fields (name, title, tool, intro, and maybe turn_off, docs), then one
        ``[rules.<id>]`` table per rule in reference order, each built as `rule_class`.

        Every problem in the file is reported at once in a `RuleFileError` that names the file,
        the table and key (``rules.<id>.<key>``) and what was expected, the way every file the
        project reads is reported (`defenceline.inputfiles`); the rule's own checks (kebab-case
        id, texts written) run as they do for a rule made in code.
        """
        source = files(package) / resource
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleFileError(str(source), [Problem(f"cannot read the file: {exc}")]) from None
        return _rule_set_from(parse_toml(text, str(source), RuleFileError), str(source), rule_class)


class RuleFileError(InputFileError, ValueError):
    """A rules file that does not describe a rule set; each problem names its table and key."""

    def heading(self) -> str:
        return f"{self.file}: {self.count()} in the rule set"


def _keys(cls: type[Any], leave_out: frozenset[str]) -> tuple[list[str], set[str]]:
    """The keys a table for dataclass `cls` may hold (sorted, as an error lists them), and
    those it must hold."""
    init = [f for f in fields(cls) if f.init and f.name not in leave_out]
    required = {f.name for f in init if f.default is MISSING and f.default_factory is MISSING}
    return sorted(f.name for f in init), required


def _validation_problem(where: str, error: ErrorDetails) -> Problem:
    """One of pydantic's errors as a problem at the table's key, saying what was expected."""
    key = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] != "value_error":
        message += f", got {error['input']!r}"
    return Problem(message, path=f"{where}.{key}" if key else where)


def _rule_set_from(data: Mapping[str, Any], source: str, rule_class: type[R]) -> RuleSet[R]:
    problems = key_problems(data, ("rules", "set"), ("rules", "set"))
    set_table, rule_tables = data.get("set", {}), data.get("rules", {})
    for where, table in (("set", set_table), ("rules", rule_tables)):
        if not isinstance(table, dict):
            problems.append(Problem(f"expected a table, got {table!r}", path=where))
    if problems:
        raise RuleFileError(source, problems)
    problems = key_problems(set_table, *_keys(RuleSet, frozenset({"rules"})), "set")
    problems += [
        Problem(f"expected a string, got {value!r}", path=f"set.{key}")
        for key, value in set_table.items()
        if not isinstance(value, str)
    ]
    rule_keys = _keys(rule_class, frozenset({"id", "help"}))
    adapter = TypeAdapter(rule_class)
    rules: list[R] = []
    for rule_id, table in rule_tables.items():
        where = f"rules.{rule_id}"
        if not isinstance(table, dict):
            problems.append(
                Problem(f"expected a table of the rule's keys, got {table!r}", path=where)
            )
            continue
        table_problems = key_problems(table, *rule_keys, where)
        if table_problems:
            problems += table_problems
            continue
        # Strictly, as JSON: a TOML file says what it means, so "yes" or 0 is no boolean and 4
        # no text, while an array stands for a tuple (JSON's and TOML's only sequence).
        try:
            document = json.dumps({"id": rule_id, **table})
        except TypeError:
            problems.append(Problem("a date or time where text was expected", path=where))
            continue
        try:
            rules.append(adapter.validate_json(document, strict=True))
        except ValidationError as exc:
            problems += [_validation_problem(where, error) for error in exc.errors()]
    if problems:
        raise RuleFileError(source, problems)
    return RuleSet(rules=tuple(rules), **set_table)


# --- the reference -----------------------------------------------------------------------------


def _generated(rule_set: RuleSet[Any]) -> str:
    return (
        f"<!-- Generated by `python -m defenceline.rules docs/rules` from the {rule_set.name} "
        "rules; edit the rule, not this file. -->"
    )


def _example(rule: Rule, text: str) -> list[str]:
    fence = "````" if "```" in text else "```"
    return [f"{fence}{rule.example_syntax}", *text.rstrip("\n").split("\n"), fence]


def render_rule(rule_set: RuleSet[Any], rule: Rule) -> str:
    """The reference page of one rule."""
    lines = [
        f"# `{rule.id}`",
        "",
        rule.summary,
        "",
        f"- **Default severity:** {rule.severity}",
        f"- **Reported by:** {rule_set.tool}",
    ]
    lines += [f"- {note}" for note in rule.notes]
    if rule_set.turn_off:
        lines.append(f"- **Turn off:** {rule_set.turn_off.format(id=rule.id)}")
    lines += ["", "## Why it matters", "", rule.why, ""]
    if rule.fix:
        lines += ["## How to fix", "", rule.fix, ""]
    lines += ["## Fails", "", *_example(rule, rule.failing), ""]
    lines += ["## Passes", "", *_example(rule, rule.passing), ""]
    lines += [_generated(rule_set), ""]
    return "\n".join(lines)


def render_index(rule_set: RuleSet[Any]) -> str:
    """The index page of a rule set: what reports the findings, and a table of the rules."""
    lines = [
        f"# {rule_set.title}",
        "",
        rule_set.intro,
        "",
        "| rule | severity | checks that |",
        "|---|---|---|",
    ]
    for rule in rule_set:
        lines.append(f"| [`{rule.id}`]({rule.id}.md) | {rule.severity} | {rule.summary} |")
    lines += ["", _generated(rule_set), ""]
    return "\n".join(lines)


def reference_pages(rule_set: RuleSet[Any]) -> dict[str, str]:
    """File name -> content for the set's folder: ``README.md`` and one page per rule."""
    pages = {"README.md": render_index(rule_set)}
    for rule in rule_set:
        pages[f"{rule.id}.md"] = render_rule(rule_set, rule)
    return pages


def stale_pages(rule_set: RuleSet[Any], directory: Path) -> list[str]:
    """Pages in `directory` that differ from the rules, are missing, or document no rule."""
    pages = reference_pages(rule_set)
    stale = [
        name
        for name, content in pages.items()
        if not (directory / name).is_file()
        or (directory / name).read_text(encoding="utf-8") != content
    ]
    if directory.is_dir():
        stale += sorted(p.name for p in directory.glob("*.md") if p.name not in pages)
    return stale


def write_reference(rule_set: RuleSet[Any], directory: Path) -> list[str]:
    """Bring `directory` up to date with the rules; returns the pages written or removed."""
    pages = reference_pages(rule_set)
    changed = stale_pages(rule_set, directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name in changed:
        if name in pages:
            (directory / name).write_text(pages[name], encoding="utf-8")
        else:
            (directory / name).unlink()
    return changed


def registered_rule_sets() -> dict[str, RuleSet[Any]]:
    """Every part's rule set, by name, from the ``defenceline.rules`` entry points."""
    found: dict[str, RuleSet[Any]] = {}
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        rule_set = point.load()
        if not isinstance(rule_set, RuleSet):
            raise TypeError(f"entry point {point.name} = {point.value}: expected a RuleSet")
        found[rule_set.name] = rule_set
    return found


def main(
    argv: Iterable[str] | None = None,
    rule_sets: Iterable[RuleSet[Any]] | None = None,
    prog: str = "python -m defenceline.rules",
) -> int:
    """Write the reference of `rule_sets` (every registered set unless given) into the folder
    named in `argv`, or with ``--check`` report the stale pages; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Generate the rule reference (one folder per part) from the rules.",
    )
    parser.add_argument("directory", type=Path, help="the reference folder, e.g. docs/rules")
    parser.add_argument("--check", action="store_true", help="report stale pages, write nothing")
    args = parser.parse_args(None if argv is None else list(argv))
    directory: Path = args.directory
    stale = 0
    for rule_set in registered_rule_sets().values() if rule_sets is None else rule_sets:
        # a set's pages live at its `docs` path; `directory` stands for docs/rules
        folder = directory / Path(rule_set.docs).relative_to("docs/rules")
        if args.check:
            for page in stale_pages(rule_set, folder):
                print(f"{folder / page}: out of date", file=sys.stderr)
                stale += 1
        else:
            changed = write_reference(rule_set, folder)
            print(f"{folder}: {len(changed)} page(s) written or removed")
    if stale:
        print(f"run `{prog} docs/rules` to update them", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    # Run as a script this file is `__main__`; the parts' rule sets are built with the
    # imported module's classes, so use that module's `main`.
    from defenceline.rules import main as registered_main

    sys.exit(registered_main())
