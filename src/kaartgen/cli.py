"""The command line: parses arguments, calls the pipeline, prints results. Nothing else."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kaartgen import build as pipeline
from kaartgen.errors import KaartgenError
from kaartgen.impose import DUPLEX_MODES


def _project() -> pipeline.Project:
    return pipeline.Project(Path.cwd())


def _warn(warnings) -> None:
    for warning in warnings:
        click.secho(f"warning: {warning}", err=True, fg="yellow")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kaartgen")
def cli() -> None:
    """Print-ready conversation cards, posters and checklists from YAML.

    Run in a project folder with cards/ and layouts/; PDFs go to output/.
    """


@cli.command()
@click.argument("decks", nargs=-1)
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for the PDFs.")
@click.option("--duplex", type=click.Choice(DUPLEX_MODES), default="long-edge", show_default=True,
              help="How the office printer turns the sheet for the backs.")
def build(decks: tuple[str, ...], out: Path, duplex: str) -> None:
    """Build DECKS (names or .yaml files; default: every deck in cards/).

    Each deck gives output/<deck>/<deck>-drukwerk.pdf for a print shop and an office PDF
    (e.g. <deck>-a4.pdf) with several cards per sheet for duplex printing.
    """
    project = _project()
    loaded = pipeline.load_all(project, pipeline.find_decks(project, list(decks)))
    options = pipeline.Options(out=out, duplex=duplex)
    failed = []
    for deck in loaded:
        try:
            result = pipeline.build_deck(deck, project, options)
        except KaartgenError as exc:
            exc.show()
            failed.append(deck.name)
            continue
        _warn(result.warnings)
        files = ", ".join(str(f) for f in result.files)
        click.echo(f"{deck.name}: {result.pages} pages in {result.seconds:.2f} s -> {files}")
    if failed:
        raise click.ClickException(f"{len(failed)} deck(s) not built: {', '.join(failed)}; "
                                   "their previous PDFs are unchanged")


@cli.command()
@click.argument("decks", nargs=-1)
def check(decks: tuple[str, ...]) -> None:
    """Validate DECKS and their layouts without writing PDFs (also checks that text fits)."""
    project = _project()
    loaded = pipeline.load_all(project, pipeline.find_decks(project, list(decks)))
    problems = []
    for deck in loaded:
        try:
            _warn(pipeline.check_deck(deck, project, pipeline.Options(out=Path("output"))))
        except KaartgenError as exc:
            problems += exc.problems
    if problems:
        raise KaartgenError(problems)
    click.echo(f"ok: {len(loaded)} deck(s), {sum(len(d.cards) for d in loaded)} cards")


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug of ours: one line for the user, not a traceback
        click.secho(f"internal error: {exc.__class__.__name__}: {exc} (please report this; "
                    "set KAARTGEN_DEBUG=1 for details)", err=True, fg="red")
        if os.environ.get("KAARTGEN_DEBUG"):
            raise
        sys.exit(2)
