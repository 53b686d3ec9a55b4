"""The help centre's checks, in plain Python.

The MkDocs plugin reports these as warnings (so ``mkdocs build --strict`` fails) and
`defenceline helpcentre check DIR` prints them; neither owns them, so they survive a change of
site engine. The rules and findings have the core's shape (`defenceline.rules`): every rule has
a stable id, a severity, a one-line summary, why it matters, how to fix it and a failing and a
passing example (`RULES`, from which ``docs/rules/helpcentre/`` is generated), and every
finding names the file and line. Those texts are data, in ``rules.toml`` beside this module, which
the core's one loader (`RuleSet.from_toml`) validates; the checks below are code.

The six policy basics every shop's FAQ must cover, each in one click from the home page, are
marked by front matter ``faq: <basic>`` on the page that answers it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from defenceline.helpcentre.knowledge import KnowledgeBase, knowledge_base, load_stats
from defenceline.helpcentre.literals import PolicyLiterals, masked
from defenceline.helpcentre.source import Page, SiteSource, SourceError, load_site
from defenceline.policy import Policy
from defenceline.policyfile import PolicyError, load_policy
from defenceline.promises import VALUE_KINDS, read_passage, split_sentences
from defenceline.rules import Finding as CoreFinding
from defenceline.rules import Rule, RuleSet, Severity

__all__ = [
    "FAQ_BASICS",
    "RULES",
    "CheckReport",
    "Finding",
    "Rule",
    "Severity",
    "check_site",
    "run_checks",
]

FAQ_BASICS: dict[str, str] = {
    "product": "product FAQ (materials, ingredients, guarantees)",
    "order-status": "order status (track & trace)",
    "payment": "payment (methods, surcharges, security)",
    "shipping": "shipping (countries, carriers, costs, delivery times)",
    "returns": "returns (window, conditions, costs)",
    "privacy": "privacy (what you keep and never share)",
}
"""The six policy basics (front matter `faq:` value -> what the page must answer)."""


# What each rule reports, why, how to fix it and its examples are data (rules.toml, beside this
# module), validated by the core's loader when this module is imported.
RULES: RuleSet[Rule] = RuleSet.from_toml("defenceline.helpcentre", "rules.toml", Rule)


@dataclass(frozen=True)
class Finding(CoreFinding):
    """A help-centre finding: the core's, printed the way the help centre always has
    (``file:line: message [rule]``; the CLI puts the severity first, MkDocs logs it)."""

    def format(self, file: str | None = None) -> str:
        return f"{self.where(file)}: {self.message} [{self.rule}]"


def _finding(rule_id: str, file: str, line: int | None, message: str) -> Finding:
    """A finding of the help-centre rule `rule_id`, at its severity and with its help link."""
    return Finding.of(RULES[rule_id], message, file=file, line=line)


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    site: SiteSource | None = None
    policy: Policy | None = None
    knowledge: KnowledgeBase | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def _source_finding(error: SourceError | PolicyError, rule: str = "source-invalid") -> Finding:
    if isinstance(error, PolicyError):
        return _finding("policy-invalid", error.file, None, error.format())
    return _finding(rule, error.file, error.line, error.message)


# --- options -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """The defenceline plugin's settings that the checks read (see config.py)."""

    policy: str | None = None
    knowledge_base: str = "kb"
    stats: str | None = None
    manifesto: str | None = None
    manifesto_page: str = "manifesto.md"

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> Options:
        known = {k: values[k] for k in cls.__dataclass_fields__ if values.get(k) is not None}
        return cls(**known)


# --- entry points ------------------------------------------------------------------------------


def check_site(
    root: Path, *, policy_path: Path | None = None, today: dt.date | None = None
) -> CheckReport:
    """Run every check on the help centre in `root` (with its mkdocs.yml), as the
    `defenceline helpcentre check` command does. `policy_path` overrides mkdocs.yml's."""
    try:
        site = load_site(root)
    except SourceError as exc:
        return CheckReport([_source_finding(exc)])
    options = Options.from_mapping(site.plugin_options("defenceline") or {})
    path = policy_path or (site.root / options.policy if options.policy else None)
    report = CheckReport(site=site)
    if path is None:
        report.findings.append(
            _finding(
                "policy-invalid",
                site.config_file.as_posix(),
                None,
                "no store policy configured; expected `plugins: - defenceline: policy: "
                "path/to/store.toml`",
            )
        )
        policy = None
    else:
        try:
            policy = load_policy(path)
        except PolicyError as exc:
            report.findings.append(_source_finding(exc))
            policy = None
    return run_checks(site, policy, options, today=today, report=report)


def run_checks(
    site: SiteSource,
    policy: Policy | None,
    options: Options,
    *,
    today: dt.date | None = None,
    report: CheckReport | None = None,
    manifesto_check: Callable[[Path, Policy | None], list[Finding]] | None = None,
) -> CheckReport:
    """The checks on an already-read site; the MkDocs plugin calls this with its own config."""
    report = report or CheckReport(site=site)
    report.site, report.policy = site, policy
    today = today or dt.date.today()
    findings = report.findings
    findings.extend(_source_finding(e) for e in site.errors)
    findings.extend(_macros_config(site))

    stats_path = site.root / options.stats if options.stats else None
    try:
        stats = load_stats(stats_path)
    except SourceError as exc:
        findings.append(_source_finding(exc))
        stats = {}
    kb = knowledge_base(site.pages, options.knowledge_base, stats, site.display)
    report.knowledge = kb
    findings.extend(_source_finding(e) for e in kb.errors)

    findings.extend(_faq_basics(site))
    findings.extend(_reviews(site, kb, today))
    findings.extend(_blog_dates(site))
    if policy is not None:
        findings.extend(_hard_coded(site, policy))
        findings.extend(_contradictions(site, policy))
    if options.manifesto:
        check = manifesto_check or _manifesto_findings
        findings.extend(check(site.root / options.manifesto, policy))
    return report


# --- the rules ---------------------------------------------------------------------------------


def _ignored(page: Page, rule: str) -> bool:
    ignore = page.meta.get("ignore_checks") or []
    return isinstance(ignore, list) and rule in ignore


def _macros_config(site: SiteSource) -> list[Finding]:
    options = site.plugin_options("macros")
    file = site.config_file.as_posix()
    if options is None:
        return [
            _finding(
                "macros-config",
                file,
                None,
                "the macros plugin is not enabled, so no policy fact reaches the pages; add "
                "`- macros: {modules: [defenceline.helpcentre.facts], on_undefined: strict}` "
                "to plugins",
            )
        ]
    found = []
    if options.get("on_undefined") != "strict":
        found.append(
            _finding(
                "macros-config",
                file,
                None,
                "macros: expected `on_undefined: strict`, so a misspelt variable fails the "
                f"build (got {options.get('on_undefined', 'keep')!r})",
            )
        )
    if "defenceline.helpcentre.facts" not in (options.get("modules") or []):
        found.append(
            _finding(
                "macros-config",
                file,
                None,
                "macros: expected `modules: [defenceline.helpcentre.facts]`, which provides the "
                "policy's facts",
            )
        )
    return found


_WORD = re.compile(r"\w+", re.UNICODE)
_LINK = re.compile(
    r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|href=\"([^\"]+)\"|^\[[^\]]+\]:\s*(\S+)",
    re.MULTILINE,
)


def _answer_words(body: str) -> int:
    text = re.sub(r"(?s)<!--.*?-->", " ", body)
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s.*$", " ", text)  # headings are not answers
    macros = len(re.findall(r"\{\{.*?\}\}", text))
    text = re.sub(r"(?s)\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", text)
    return len(_WORD.findall(text)) + 5 * macros


def _resolve_link(site: SiteSource, from_src: str, target: str) -> str | None:
    """The page (src) a link on page `from_src` points to, or None for external links."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("//"):
        return None
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target:
        return None
    base = "" if target.startswith("/") else posixpath.dirname(from_src)
    path = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
    candidates = [path]
    if not path.endswith(".md"):
        candidates += [f"{path}.md", f"{path}/index.md", f"{path}/README.md"]
    return next((c for c in candidates if c in site.pages), None)


def _one_click(site: SiteSource) -> set[str]:
    """Pages one click from the home page: linked from it, or at the top level of the nav."""
    reachable: set[str] = set()
    home = site.pages.get("index.md") or site.pages.get("README.md")
    if home is not None:
        for match in _LINK.finditer(home.body):
            target = next(g for g in match.groups() if g)
            page = _resolve_link(site, home.src, target)
            if page:
                reachable.add(page)
    nav = site.nav
    if nav is None:
        reachable.update(src for src in site.pages if "/" not in src)
    else:
        for item in nav:
            value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
            if isinstance(value, str):
                reachable.add(posixpath.normpath(value))
    return reachable


def _faq_basics(site: SiteSource) -> list[Finding]:
    found: list[Finding] = []
    pages_by_basic: dict[str, list[Page]] = {}
    for page in site.pages.values():
        basic = page.meta.get("faq")
        if basic is None:
            continue
        if basic not in FAQ_BASICS:
            hint = difflib.get_close_matches(str(basic), FAQ_BASICS, n=1)
            found.append(
                _finding(
                    "source-invalid",
                    site.display(page.src),
                    page.line_of("faq"),
                    f"faq: {basic!r} is not a policy basic"
                    + (f"; did you mean {hint[0]!r}?" if hint else "")
                    + f" (expected one of: {', '.join(FAQ_BASICS)})",
                )
            )
            continue
        pages_by_basic.setdefault(str(basic), []).append(page)
    reachable = _one_click(site)
    config = site.config_file.as_posix()
    for basic, what in FAQ_BASICS.items():
        pages = pages_by_basic.get(basic)
        if not pages:
            found.append(
                _finding(
                    "faq-basic-missing",
                    site.docs_dir.as_posix(),
                    None,
                    f"no FAQ page for the policy basic {basic!r}: {what}; add a page with "
                    f"front matter `faq: {basic}`",
                )
            )
            continue
        for page in pages:
            if _answer_words(page.body) < 5:
                found.append(
                    _finding(
                        "faq-basic-empty",
                        site.display(page.src),
                        page.body_line,
                        f"the {basic!r} FAQ page has no answer text; it must cover {what}",
                    )
                )
        if not any(page.src in reachable for page in pages):
            names = ", ".join(site.display(p.src) for p in pages)
            found.append(
                _finding(
                    "faq-basic-unreachable",
                    site.display(pages[0].src),
                    None,
                    f"the {basic!r} FAQ page ({names}) is not one click from the home page; "
                    f"link it from {site.display('index.md')} or list it at the top level of "
                    f"`nav` in {config}",
                )
            )
    return found


def _reviews(site: SiteSource, kb: KnowledgeBase, today: dt.date) -> list[Finding]:
    found: list[Finding] = []
    for category in kb.categories.values():
        for article in category.articles:
            page = site.pages[article.src]
            if "review_by" in page.meta and article.review_by is None:
                continue  # a malformed date is already reported as source-invalid
            if article.review_by is None:
                found.append(
                    _finding(
                        "kb-review-missing",
                        site.display(article.src),
                        1,
                        "knowledge-base article without `review_by`; add `review_by: "
                        "YYYY-MM-DD` to its front matter so someone checks it again",
                    )
                )
            elif article.review_by < today:
                days = (today - article.review_by).days
                found.append(
                    _finding(
                        "kb-review-overdue",
                        site.display(article.src),
                        page.line_of("review_by"),
                        f"review overdue: review_by {article.review_by.isoformat()} passed "
                        f"{days} day{'s' if days != 1 else ''} ago; review the article and move "
                        "`reviewed` and `review_by` forward",
                    )
                )
    return found


def _blog_dates(site: SiteSource) -> list[Finding]:
    options = site.plugin_options("blog")
    if options is None:
        return []
    blog_dir = str(options.get("blog_dir", "blog")).strip("/")
    post_dir = str(options.get("post_dir", "{blog}/posts")).replace("{blog}", blog_dir).strip("/")
    found: list[Finding] = []
    for src, page in site.pages.items():
        if not src.startswith(post_dir + "/"):
            continue
        value = page.meta.get("date")
        values = list(value.values()) if isinstance(value, dict) else [value]
        if value is None or not all(isinstance(v, dt.date) for v in values):
            found.append(
                _finding(
                    "source-invalid",
                    site.display(src),
                    page.line_of("date"),
                    f"blog post date: {value!r} is not a date; expected `date: YYYY-MM-DD`",
                )
            )
    return found


def _hard_coded(site: SiteSource, policy: Policy) -> list[Finding]:
    literals = PolicyLiterals(policy)
    found: list[Finding] = []
    for src, page in site.pages.items():
        if _ignored(page, "hard-coded-fact"):
            continue
        for literal in literals.find(page.body, page.body_line):
            names = [f"{{{{ {v} }}}}" for v in literal.variables[:3]]
            found.append(
                _finding(
                    "hard-coded-fact",
                    site.display(src),
                    literal.line,
                    f"{literal.text!r} is a value from the store policy; write "
                    f"{' or '.join(names)} instead, so the page follows the policy",
                )
            )
    return found


# A line that starts a block of its own: a heading, a list item, a table row, a quote.
_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|\||>)")
# Markdown and HTML marks that are not words: blanked, so offsets (and lines) stay put.
_MARKS = re.compile(r"<[^>\n]*>|^[ \t]*(?:#{1,6}|[-*+]|\d+[.)]|>)[ \t]|[*_|\[\]]", re.MULTILINE)


def _passages(markdown: str, first_line: int) -> list[tuple[int, str]]:
    """The page's prose as passages with the line each starts on: paragraphs, and each
    heading, list item and table row on its own. Macros, code and comments are left out."""
    source = masked(markdown)
    prose = _MARKS.sub(lambda m: " " * len(m.group(0)), source)
    passages: list[tuple[int, list[str]]] = []
    open_paragraph = False
    rows = zip(source.split("\n"), prose.split("\n"), strict=True)
    for number, (line, words) in enumerate(rows, start=first_line):
        if not words.strip():
            open_paragraph = False
        elif open_paragraph and not _BLOCK_START.match(line):
            passages[-1][1].append(words)
        else:
            passages.append((number, [words]))
            open_paragraph = True
    return [(start, "\n".join(texts)) for start, texts in passages]


def _contradictions(site: SiteSource, policy: Policy) -> list[Finding]:
    """Values in a page's prose that the policy contradicts, read by the core's promise reader
    (the one the manifesto linter uses). Only written values that differ count: a value the
    policy holds gets the `hard-coded-fact` advice instead, a macro stands for the policy's own
    value, and a promise without a number ("gratis retourneren") may sit in a template's branch
    that the policy switches off."""
    options = site.plugin_options("defenceline") or {}
    language = str(options.get("locale") or site.language or policy.shop.default_locale)
    found: list[Finding] = []
    for src, page in site.pages.items():
        if _ignored(page, "promise-contradicts-policy"):
            continue
        for start, passage in _passages(page.body, page.body_line):
            sentences = split_sentences(passage)
            lines = [start + passage[:offset].count("\n") for offset, _ in sentences]
            for item in read_passage([s for _, s in sentences], language, policy):
                if item.kind not in VALUE_KINDS or item.incomplete:
                    continue
                finding = _finding(
                    "promise-contradicts-policy",
                    site.display(src),
                    lines[item.sentence],
                    f"{item.message} (store.toml: {item.policy_field})",
                )
                found.append(
                    replace(finding, evidence=item.evidence, policy_field=item.policy_field)
                )
    return found


def _manifesto_findings(path: Path, policy: Policy | None) -> list[Finding]:
    from defenceline.helpcentre.manifestopage import manifesto_problems

    return [
        _finding("manifesto-invalid", file, line, message)
        for file, line, message in manifesto_problems(path, policy)
    ]
