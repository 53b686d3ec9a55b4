"""``flask defenceline helpcentre-stats``: the help centre's page views and votes as its stats
file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from defenceline.outputfiles import OutputFileError, write_text
from defenceline.plugin.cliparams import day_option, state_or_exit
from defenceline.plugin.feedback.records import export_stats

__all__ = ["helpcentre_stats", "register"]


def register(group: AppGroup) -> None:
    """Add the feedback commands to the plugin's ``flask defenceline`` group."""
    group.add_command(helpcentre_stats)


@click.command("helpcentre-stats")
@with_appcontext
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the stats file here (default: print it).",
)
@click.option("--since", metavar="YYYY-MM-DD", callback=day_option, help="Count from this date on.")
def helpcentre_stats(output: Path | None, since: dt.date | None) -> None:
    """Export help-centre page views and "helpful" votes as the stats file the help centre
    orders its knowledge base by (its `stats` setting)."""
    st = state_or_exit()
    stats = export_stats(st.storage, since)
    text = json.dumps(stats, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_text(output, text)  # readers never see a half-written file
    except OutputFileError as exc:
        raise click.FileError(str(output), hint=exc.reason) from None
    click.echo(f"{output}: stats for {len(stats['pages'])} pages")
