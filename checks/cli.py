"""`defenceline check TARGET...`: check pages against the defence-line checklist.

Exit codes: 0 when nothing is at or above `--fail-on`, 1 when something is, 2 for a usage or
input error (bad option, unreadable policy, config or baseline, a page that could not be read
or a URL that was refused — the report is still written, the page has an error entry — or
targets that name no page at all).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from defenceline.checks.baseline import (
    BaselineError,
    apply_baseline,
    read_baseline,
    write_baseline,
)
from defenceline.checks.config import CheckConfig, ConfigError, config_from_mapping, load_config
from defenceline.checks.engine import check_pages
from defenceline.checks.formats import render_json, render_junit, render_sarif, render_text
from defenceline.checks.htmlreport import render_html
from defenceline.checks.report import Report
from defenceline.cli import file_option, read_policy
from defenceline.outputfiles import OutputFileError, write_text
from defenceline.policy import Policy

__all__ = ["check"]

_PROGRESS_FROM = 5


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < _PROGRESS_FROM:
            return
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\rchecking [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def _write_output(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_text(output, text)
    except OutputFileError as exc:
        _cannot_write(exc)


def _cannot_write(exc: OutputFileError) -> NoReturn:
    # An input or usage error (exit 2), as the docs say: exit 1 would read as "findings".
    click.echo(f"defenceline check: {exc}", err=True)
    sys.exit(2)


def _config(
    config_path: Path | None, policy: Policy | None, policy_path: Path | None
) -> CheckConfig:
    try:
        if config_path is not None:
            return load_config(config_path)
        if policy is not None and policy.checks:
            return config_from_mapping(policy.checks, str(policy_path))
    except ConfigError as exc:
        click.echo(exc.format(), err=True)
        sys.exit(2)
    return CheckConfig()


@click.command()
@click.argument("targets", nargs=-1, required=True, metavar="TARGET...")
@file_option(
    "--policy",
    "policy_path",
    help="The shop's store.toml: enables policy-consistency and reads its [checks] table.",
)
@click.option(
    "--page-type",
    type=click.Choice(["auto", "product", "cart", "checkout"]),
    default="auto",
    show_default=True,
    help="Treat every page as this type instead of detecting it.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "junit", "sarif", "html"]),
    default="text",
    show_default=True,
)
@file_option("--output", help="Write the report here.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding (not in the baseline) is at or above this severity.",
)
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes."
)
@file_option(
    "--config",
    "config_path",
    help="A TOML file with a [checks] table (instead of the one in --policy).",
)
@file_option(
    "--baseline",
    "baseline_path",
    help="Findings recorded here are reported as baselined and do not fail the run.",
)
@file_option(
    "--write-baseline",
    "write_baseline_path",
    help="Record every current finding in this file.",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Also fetch loopback and private-network addresses (a shop running on this machine "
    "or your own network). Off by default: a page or redirect must not reach internal services.",
)
@click.option("--verbose", "-v", is_flag=True, help="Text format: show info findings too.")
def check(
    targets: tuple[str, ...],
    policy_path: Path | None,
    page_type: str,
    output_format: str,
    output: Path | None,
    fail_on: str,
    jobs: int,
    config_path: Path | None,
    baseline_path: Path | None,
    write_baseline_path: Path | None,
    allow_private: bool,
    verbose: bool,
) -> None:
    """Check product, cart and checkout pages against the defence-line checklist.

    TARGET is an HTML file (or .html.gz), a directory (searched recursively for .html
    files), an http(s) or file:// URL, or a sitemap.xml or sitemap.xml.gz (file or URL).
    Loopback and private-network addresses are refused unless --allow-private is given.
    """
    policy = read_policy(policy_path) if policy_path is not None else None
    config = _config(config_path, policy, policy_path)
    if allow_private:
        fetch = config.fetch.model_copy(update={"allow_private": True})
        config = config.model_copy(update={"fetch": fetch})
    baseline = None
    if baseline_path is not None:
        try:
            baseline = read_baseline(baseline_path)
        except BaselineError as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)
    progress = _Progress()
    try:
        report = check_pages(
            targets,
            policy=policy,
            config=config,
            page_type=page_type,
            jobs=jobs,
            progress=progress,
        )
    finally:
        progress.close()
    if baseline is not None:
        apply_baseline(report, baseline)
    if write_baseline_path is not None:
        try:
            count = write_baseline(report, write_baseline_path)
        except OutputFileError as exc:
            _cannot_write(exc)
        click.echo(f"wrote {count} findings to {write_baseline_path}", err=True)
    _write_output(_render(report, output_format, fail_on, verbose), output)
    if not any(page.error is None for page in report.pages):
        click.echo(
            "defenceline check: no page was checked (the report holds only error entries)"
            if report.pages
            else "defenceline check: the targets name no page to check",
            err=True,
        )
        sys.exit(2)
    if any(page.error is not None for page in report.pages):
        sys.exit(2)
    if write_baseline_path is None and report.fails(fail_on):
        sys.exit(1)


def _render(report: Report, output_format: str, fail_on: str, verbose: bool) -> str:
    if output_format == "json":
        return render_json(report)
    if output_format == "junit":
        return render_junit(report, fail_on)
    if output_format == "sarif":
        return render_sarif(report)
    if output_format == "html":
        return render_html(report)
    return render_text(report, verbose=verbose)
