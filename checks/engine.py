"""Checking pages: decode, parse once, read the facts, run the rules, score.

`check_html` checks one page in memory; `check_pages` checks many targets (files, directories,
sitemaps, URLs), optionally in several processes. Neither raises because of a page: a page that
cannot be read or parsed gets an error entry with the reason, and a rule that fails on a page
leaves a note instead of taking the other rules down with it.

`check_pages` checks pages as they arrive and then lets them go: only a few pages' bytes are
in memory at any time (being fetched, queued for a worker, or being checked), whatever the
number of pages. Every report is made printable (no control characters from the page) before
it is returned, so no output format can be corrupted by a page.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from defenceline.checks import (  # noqa: F401 - importing registers the rules
    accessibility,
    cart_rules,
    dark_patterns,
    product_rules,
)
from defenceline.checks.config import CheckConfig
from defenceline.checks.decoding import NotHtmlError, decode_page
from defenceline.checks.facts import extract_facts
from defenceline.checks.page import Page
from defenceline.checks.pagetypes import PAGE_TYPES, detect_type
from defenceline.checks.registry import RULES, Context, Rule
from defenceline.checks.report import Finding, PageReport, Report, Severity, page_score
from defenceline.checks.sources import Source, iter_sources, plan_targets, read_source
from defenceline.checks.treebuilder import release
from defenceline.policy import Policy

__all__ = [
    "Suppression",
    "check_documents",
    "check_html",
    "check_pages",
    "check_source",
    "suppressions",
]

_DISABLE = re.compile(
    r"^\s*defenceline-disable\s+(?P<rules>[a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*)"
    r"\s*(?::\s*(?P<reason>.*?))?\s*$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Suppression:
    rule: str
    reason: str


def suppressions(page: Page) -> tuple[list[Suppression], list[str]]:
    """The page's `<!-- defenceline-disable RULE[, RULE]: reason -->` comments, and notes."""
    found: list[Suppression] = []
    notes: list[str] = []
    for comment in page.comments:
        match = _DISABLE.match(comment)
        if match is None:
            if "defenceline-disable" in comment:
                notes.append(
                    f"ignored malformed suppression {comment.strip()[:80]!r}; write "
                    "<!-- defenceline-disable RULE: reason -->"
                )
            continue
        reason = (match.group("reason") or "").strip()
        for rule in (r.strip().lower() for r in match.group("rules").split(",")):
            if rule not in RULES:
                notes.append(f"suppression names unknown rule {rule!r}")
                continue
            if not reason:
                notes.append(f"suppression of {rule} gives no reason; add one after a colon")
            found.append(Suppression(rule, reason))
    return found, notes


def _active_rules(config: CheckConfig, page_type: str, policy: Policy | None) -> list[Rule]:
    rules = []
    for rule in RULES.values():
        if config.setting(rule.id) == "off":
            continue
        if page_type not in rule.page_types:
            continue
        if rule.needs_policy and policy is None:
            continue
        rules.append(rule)
    return rules


def _help_url(config: CheckConfig, rule_id: str) -> str:
    base = config.help_base_url
    return f"{base}{'' if base.endswith('/') else '/'}{rule_id}.md"


def check_page(
    page: Page,
    config: CheckConfig | None = None,
    policy: Policy | None = None,
    page_type: str = "auto",
) -> PageReport:
    """Run every applicable rule on a parsed page."""
    config = config or CheckConfig()
    detected = detect_type(page) if page_type == "auto" else page_type
    facts = extract_facts(page, config.selectors.as_dict())
    context = Context(page=page, facts=facts, config=config, policy=policy, page_type=detected)
    facts_dict = facts.to_dict()
    if detected != "product":
        # Price, stock and photos describe one product; on other pages they mean nothing.
        facts_dict.update(name=None, price=None, availability=None, image_count=0)
        for key in ("name", "price", "availability"):
            facts_dict["sources"].pop(key, None)
            facts_dict["provenance"].pop(key, None)
    report = PageReport(target=page.target, page_type=detected, facts=facts_dict)
    suppressed_rules, notes = suppressions(page)
    report.notes.extend(notes)
    by_rule = {s.rule: s for s in suppressed_rules}
    suppressed_counts: dict[str, int] = {}
    for rule in _active_rules(config, detected, policy):
        report.checked_rules.append(rule.id)
        try:
            hits = list(rule.check(context))
        except Exception as exc:  # a rule bug must not hide the other rules' findings
            report.notes.append(f"rule {rule.id} failed on this page: {type(exc).__name__}: {exc}")
            continue
        for hit in hits:
            if rule.id in by_rule:
                suppressed_counts[rule.id] = suppressed_counts.get(rule.id, 0) + 1
                continue
            override = config.setting(rule.id)
            severity: Severity = hit.severity or rule.severity
            if override == "error" or override == "warning" or override == "info":
                severity = override
            element = hit.element
            snippet = (
                hit.snippet
                if hit.snippet is not None
                else (page.snippet(element) if element is not None else None)
            )
            if snippet is not None:
                snippet = " ".join(snippet.split())
                if len(snippet) > 200:
                    snippet = snippet[:199] + "…"
            report.findings.append(
                Finding(
                    rule=rule.id,
                    severity=severity,
                    message=hit.message,
                    selector=page.selector(element) if element is not None else None,
                    evidence=snippet,
                    help=_help_url(config, rule.id),
                )
            )
    report.suppressed = [
        {"rule": rule, "reason": by_rule[rule].reason, "findings": count}
        for rule, count in suppressed_counts.items()
    ]
    report.score = page_score(report.findings)
    return report.make_printable()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while one page is parsed and checked, then one
    young-generation pass that frees the page.

    A parsed page is a few hundred thousand linked objects; with the collector on, the
    allocations of the parse and of the rules start full collections that walk the whole tree
    again and again (a fifth of the check's time on large pages). The tree is a web of cycles
    that only the collector can free, so the pass afterwards is what lets it go: with the
    collector off no collection promotes the page's objects, and the youngest generation holds
    them all. Only the caller that switched the collector off switches it on again, so
    concurrent checks in threads cannot leave it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)


def check_html(
    html: str | bytes,
    target: str = "<page>",
    config: CheckConfig | None = None,
    policy: Policy | None = None,
    page_type: str = "auto",
    url: str | None = None,
    charset: str | None = None,
) -> PageReport:
    """Check one page given as text or bytes; never raises because of the page."""
    with _collector_paused():
        return _check_html(html, target, config, policy, page_type, url, charset)


def _check_html(
    html: str | bytes,
    target: str,
    config: CheckConfig | None,
    policy: Policy | None,
    page_type: str,
    url: str | None,
    charset: str | None,
) -> PageReport:
    config = config or CheckConfig()
    notes: list[str] = []
    try:
        if isinstance(html, bytes):
            if len(html) > config.max_page_bytes:
                return PageReport(
                    target=target,
                    error=f"the page is {len(html) / 1_000_000:.1f} MB; the limit is "
                    f"{config.max_page_bytes / 1_000_000:.1f} MB (max_page_bytes in [checks])",
                )
            decoded = decode_page(html, charset)
            text = decoded.text
            if decoded.note:
                notes.append(f"encoding: {decoded.note}")
        else:
            if not html.strip():
                raise NotHtmlError("the page is empty")
            text = html
        page = Page(text, target, url)
        report = check_page(page, config, policy, page_type)
        # The report holds text only: the tree can go now, without the collector's walk.
        release(page.soup)
    except NotHtmlError as exc:
        return PageReport(target=target, error=str(exc)).make_printable()
    except RecursionError:
        return PageReport(target=target, error="the page is nested too deeply to parse")
    except MemoryError:
        return PageReport(target=target, error="not enough memory to parse the page")
    except Exception as exc:  # never crash the run on one page
        return PageReport(
            target=target, error=f"could not check the page: {type(exc).__name__}: {exc}"
        ).make_printable()
    report.notes[:0] = notes
    return report.make_printable()


def check_source(
    source: Source, config: CheckConfig, policy: Policy | None, page_type: str
) -> PageReport:
    """Check one source (file or fetched URL); reading problems become an error entry."""
    try:
        data, charset = read_source(source, config.max_page_bytes)
    except ValueError as exc:
        return PageReport(target=source.target, error=str(exc)).make_printable()
    return check_html(
        data, source.target, config, policy, page_type, url=source.url, charset=charset
    )


# --- many pages, maybe in parallel -------------------------------------------------------------

_WORKER: tuple[CheckConfig, Policy | None, str] | None = None


def _init_worker(config: CheckConfig, policy: Policy | None, page_type: str) -> None:
    global _WORKER
    _WORKER = (config, policy, page_type)


def _work(item: tuple[int, Source]) -> tuple[int, PageReport]:
    assert _WORKER is not None
    config, policy, page_type = _WORKER
    index, source = item
    return index, check_source(source, config, policy, page_type)


# Local files for `_file_worker`, set in the parent just before the workers are forked (each
# worker reads its own copy of the list, so no task is ever pickled).
_FILES: list[tuple[int, Source]] = []


def _file_worker(
    counter: Any,
    results: Connection,
    config: CheckConfig,
    policy: Policy | None,
    page_type: str,
) -> None:
    """Check files from `_FILES` until none is left, taking the next one from `counter`."""
    try:
        while True:
            with counter.get_lock():
                position = counter.value
                counter.value = position + 1
            if position >= len(_FILES):
                break
            index, source = _FILES[position]
            results.send((index, check_source(source, config, policy, page_type)))
    except BaseException as exc:  # a bug, not a page problem (those are error entries)
        results.send(exc)
    finally:
        results.close()


def _check_files_in_processes(
    files: list[tuple[int, Source]],
    jobs: int,
    config: CheckConfig,
    policy: Policy | None,
    page_type: str,
) -> Iterator[tuple[int, PageReport]]:
    """(plan index, report) for every local file, as `jobs` forked processes finish them.

    A multiprocessing pool would pass every page through its own threads in the parent (a
    task handler, a result handler, a callback): on a two-core machine that costs the parent
    about a millisecond a page, taken from the workers. Here each worker takes the next file
    (largest first) from a shared counter and sends its report down its own pipe; the parent
    only waits for reports. A worker that dies (killed for memory, say) leaves an error entry
    for each page it did not report, and the others go on.
    """
    global _FILES
    context = multiprocessing.get_context("fork")
    counter = context.Value("l", 0)
    workers: list[tuple[Any, Connection]] = []
    # See the pool below: the parent's objects are frozen while the workers are forked.
    _FILES = files
    gc.freeze()
    try:
        for _ in range(min(jobs, len(files))):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_file_worker,
                args=(counter, sender, config, policy, page_type),
                daemon=True,
            )
            process.start()
            sender.close()  # the worker holds the sending end now
            workers.append((process, receiver))
    finally:
        gc.unfreeze()
        _FILES = []
    reported: set[int] = set()
    try:
        open_pipes = [receiver for _, receiver in workers]
        while open_pipes:
            for ready in wait(open_pipes):
                assert isinstance(ready, Connection)
                try:
                    message = ready.recv()
                except EOFError:  # the worker has finished (or died)
                    open_pipes.remove(ready)
                    continue
                if isinstance(message, BaseException):
                    raise message
                index, report = message
                reported.add(index)
                yield index, report
    finally:
        for process, receiver in workers:
            if process.is_alive() and len(reported) < len(files):
                process.terminate()
            process.join()
            receiver.close()
    codes = sorted({process.exitcode for process, _ in workers if process.exitcode})
    for index, source in files:
        if index not in reported:
            yield (
                index,
                PageReport(
                    target=source.target,
                    error=f"the process checking this page ended unexpectedly (exit code {codes})",
                ),
            )


def check_pages(
    targets: Sequence[str] | Iterable[str],
    policy: Policy | None = None,
    config: CheckConfig | None = None,
    page_type: str = "auto",
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Check every page the targets name; `progress(done, total)` is called as pages finish.

    Reports come back in target order, whatever order the pages arrived in.
    """
    if page_type != "auto" and page_type not in PAGE_TYPES:
        raise ValueError(f"unknown page type {page_type!r}; expected auto or {PAGE_TYPES}")
    config = config or CheckConfig()
    plan = plan_targets(list(targets), config.fetch)
    total = len(plan)
    slots: list[PageReport | None] = [None] * total
    done = 0
    if (
        jobs > 1
        and total > 1
        and hasattr(os, "fork")  # the workers read the file list they inherit
        and all(isinstance(item, Source) for item in plan)
    ):
        # Local files only (the common run over a folder): the workers take the next file
        # themselves, so the parent only collects reports.
        files = list(iter_sources(plan, config.fetch, largest_first=True))
        for index, report in _check_files_in_processes(files, jobs, config, policy, page_type):
            slots[index] = report
            done += 1
            if progress is not None:
                progress(done, total)
    elif jobs > 1 and total > 1:
        # The workers are started before any fetch thread exists (forking a process with
        # running threads can copy a held lock). Largest local pages first, one page at a time:
        # no worker sits idle at the end while another finishes a batch of big pages. At most
        # two pages per worker wait in the queue, so fetched pages do not pile up in memory.
        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else None)
        results: queue.SimpleQueue[tuple[int, PageReport] | BaseException] = queue.SimpleQueue()
        # Everything the parent holds goes to the collector's permanent generation while the
        # workers are forked: their collections then never walk (and so never copy) the
        # parent's objects, which a caller may hold many of (pages, reports).
        gc.freeze()
        try:
            pool = context.Pool(
                processes=min(jobs, total),
                initializer=_init_worker,
                initargs=(config, policy, page_type),
            )
        finally:
            gc.unfreeze()
        with pool:
            in_flight = 0

            def collect() -> None:
                nonlocal in_flight, done
                result = results.get()
                if isinstance(result, BaseException):
                    raise result
                index, report = result
                slots[index] = report
                in_flight -= 1
                done += 1
                if progress is not None:
                    progress(done, total)

            for item in iter_sources(plan, config.fetch, largest_first=True):
                pool.apply_async(_work, (item,), callback=results.put, error_callback=results.put)
                in_flight += 1
                while in_flight >= 2 * jobs:
                    collect()
            while in_flight:
                collect()
    else:
        for index, source in iter_sources(plan, config.fetch):
            slots[index] = check_source(source, config, policy, page_type)
            del source  # the page's bytes go now, not when the next page replaces them
            done += 1
            if progress is not None:
                progress(done, total)
    return _report([report for report in slots if report is not None], config)


def _report(reports: list[PageReport], config: CheckConfig) -> Report:
    from defenceline import __version__

    rules = [{**rule.describe(), "help": _help_url(config, rule.id)} for rule in RULES.values()]
    return Report(pages=reports, rules=rules, tool_version=__version__)


def check_documents(
    documents: Iterable[tuple[str, str | bytes]],
    policy: Policy | None = None,
    config: CheckConfig | None = None,
    page_type: str = "auto",
) -> Report:
    """Check pages already in memory, given as (target, html) pairs, into one report.

    For a web app that renders its own pages (the demo shop's /_checks): no files, no HTTP.
    """
    config = config or CheckConfig()
    reports = [
        check_html(html, target, config, policy, page_type, url=target)
        for target, html in documents
    ]
    return _report(reports, config)
