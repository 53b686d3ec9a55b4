"""`defenceline helpcentre`: create, check, publish and audit (axe-core) a shop's help centre."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from defenceline.cli import policy_option, read_policy
from defenceline.helpcentre.checks import check_site
from defenceline.helpcentre.publish import build_site
from defenceline.helpcentre.scaffold import ScaffoldError, create_help_centre

__all__ = ["helpcentre"]


@click.group()
def helpcentre() -> None:
    """The shop's help centre: FAQ, knowledge base, blog and manifesto from Markdown."""


@helpcentre.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@policy_option()
@click.option(
    "--manifesto",
    "manifesto_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The shop's manifesto file, shown on the manifesto page.",
)
@click.option("--language", help="Language of the text, e.g. nl or en (default: the shop's).")
def new(
    directory: Path, policy_path: Path, manifesto_path: Path | None, language: str | None
) -> None:
    """Create a ready help centre in DIRECTORY for the shop in --policy."""
    policy = read_policy(policy_path)
    try:
        code = create_help_centre(
            directory, policy, policy_path, language=language, manifesto_path=manifesto_path
        )
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"Created the help centre of {policy.shop.name} in {directory} ({code}).")
    click.echo(f"  preview:  cd {directory} && mkdocs serve")
    click.echo(f"  check:    defenceline helpcentre check {directory}")
    click.echo(f"  publish:  defenceline helpcentre build {directory} --site-dir SITE")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; expected YYYY-MM-DD") from None


@helpcentre.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@policy_option(required=False)
@click.option("--today", callback=_date, help="Check review dates as on this day (YYYY-MM-DD).")
def check(directory: Path, policy_path: Path | None, today: dt.date | None) -> None:
    """Check the help centre in DIRECTORY: the six FAQ basics, review dates, hand-written
    policy values, the manifesto. Exit 1 when anything is found."""
    report = check_site(directory, policy_path=policy_path, today=today)
    for finding in report.findings:
        click.echo(f"{finding.severity}: {finding.format()}")
    errors, warnings = len(report.errors), len(report.warnings)
    if errors or warnings:
        click.echo(f"{directory}: {errors} error(s), {warnings} warning(s)", err=True)
        sys.exit(1)
    pages = len(report.site.pages) if report.site else 0
    click.echo(f"{directory}: {pages} pages checked, no problems")


@helpcentre.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--site-dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the site goes; replaced only when the build succeeds.",
)
@policy_option(required=False)
@click.option("--plugin-url", help="The storefront plugin's URL prefix (enables feedback).")
@click.option(
    "--stats",
    "stats_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Views and votes per page (JSON), ordering the knowledge base.",
)
@click.option("--strict/--no-strict", default=True, help="Fail on any warning (default: yes).")
def build(
    directory: Path,
    site_dir: Path,
    policy_path: Path | None,
    plugin_url: str | None,
    stats_path: Path | None,
    strict: bool,
) -> None:
    """Build the help centre in DIRECTORY and publish it to --site-dir, atomically."""
    result = build_site(
        directory,
        site_dir,
        policy_path,
        plugin_url=plugin_url,
        stats_path=stats_path,
        strict=strict,
    )
    for line in result.messages:
        click.echo(line, err=True)
    if not result.ok:
        click.echo(f"Build failed; {site_dir} was left as it was.", err=True)
        sys.exit(1)
    click.echo(f"Published the help centre to {site_dir}.")


@helpcentre.command()
@click.argument("site_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where the JSON report goes (default: $DEFENCELINE_A11Y_REPORT, else "
    "build/a11y/helpcentre-axe.json).",
)
@click.option("--chromium", help="The Chromium to use (default: `chromium` on PATH).")
def a11y(site_dir: Path, report_file: Path | None, chromium: str | None) -> None:
    """Audit the built help centre in SITE_DIR with axe-core (WCAG 2.0/2.1 A and AA) in
    Chromium, page by page, and write the report. Exit 1 on any violation. Needs the `dev`
    extra (playwright, axe-playwright-python) and Chromium."""
    from defenceline.helpcentre.audit import (
        AuditError,
        audit_site,
        explain,
        report_path,
        write_report,
    )

    try:
        audits = audit_site(site_dir, chromium=chromium)
    except AuditError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    path = report_path(report_file)
    report = write_report(audits, path)
    failing = [audit for audit in audits if audit.violations]
    for audit in failing:
        click.echo(explain(audit), err=True)
    click.echo(
        f"{site_dir}: {report['pages']} pages, {report['violations']} violation(s) "
        f"(axe-core {report['axe_version']}); report: {path}"
    )
    if failing:
        sys.exit(1)
