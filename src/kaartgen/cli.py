"""The command line: parses arguments, calls the pipeline, prints results. Nothing else."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import click

from kaartgen import build as pipeline
from kaartgen import messages as msg
from kaartgen import products, sets
from kaartgen.errors import KaartgenError, Problem, Reporter
from kaartgen.impose import DUPLEX_MODES
from kaartgen.output import output_folder, write_atomically
from kaartgen.printers import load_printer
from kaartgen.project import CHECKLIST, Project, select


def _project() -> Project:
    return Project(Path.cwd())


def _reporter() -> Reporter:
    return click.get_current_context().find_root().obj


def _warn(warnings) -> None:
    _reporter().warnings(warnings)


class Kaartgen(click.Group):
    """Every failure of every command goes through one Reporter, in the user's language."""

    def main(self, args=None, prog_name=None, standalone_mode=True, **extra):
        reporter = Reporter(msg.language_from(os.environ))
        try:
            code = super().main(args, prog_name, standalone_mode=False, obj=reporter, **extra)
        except Exception as exc:  # noqa: BLE001 - every failure ends in one reported line
            code = _report_failure(reporter, exc)
        sys.exit(code if isinstance(code, int) else 0)


def _report_failure(reporter: Reporter, exc: Exception) -> int:
    if isinstance(exc, KaartgenError):
        reporter.errors(exc.problems)
    elif isinstance(exc, click.UsageError):
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
        reporter.fail(msg.USAGE(text=exc.format_message(), command=exc.ctx.command_path if exc.ctx else "kaartgen"))
    elif isinstance(exc, click.ClickException):
        reporter.fail(exc.format_message())
    elif isinstance(exc, click.Abort):
        reporter.fail(msg.ABORTED())
        return 130
    else:  # a bug of ours: one line for the user, not a traceback
        reporter.fail(msg.INTERNAL(kind=exc.__class__.__name__, text=str(exc)))
        if os.environ.get("KAARTGEN_DEBUG"):
            raise exc
        return 2
    return exc.exit_code


def _set_language(ctx: click.Context, _param, value: str | None) -> None:
    if value:
        ctx.find_root().obj.language = value


def output_options(command):
    """Options shared by every command that writes PDFs."""
    for option in reversed([
        click.option("--printer", help="Office printer profile: a name from printers/ or a .yaml file "
                                       "(duplex turn, back offset, cut marks)."),
        click.option("--duplex", type=click.Choice(DUPLEX_MODES), default=None,
                     help="How the office printer turns the sheet for the backs [default: long-edge, "
                          "or the printer profile's]."),
        click.option("--cmyk", is_flag=True, help="Print-shop PDF in DeviceCMYK (ink ≤ 300 %); "
                                                  "the office PDF stays RGB."),
        click.option("--icc", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                     help="The print shop's ICC output profile for --cmyk (implies --cmyk) "
                          "[default: the shipped FOGRA39L coated offset profile]."),
        click.option("--guides", is_flag=True, help="Draw trim (magenta), bleed (cyan) and safe zone (green)."),
        click.option("--strict", is_flag=True, help="Treat warnings (contrast, image resolution) as errors."),
    ]):
        command = option(command)
    return command


def _options(project, out: Path, printer: str | None, duplex: str | None, cmyk: bool, icc: Path | None,
             guides: bool, strict: bool) -> pipeline.Options:
    profile = load_printer(printer, project.printers)
    if duplex:
        profile = dataclasses.replace(profile, duplex=duplex)
    return pipeline.Options(out=out, printer=profile, cmyk=cmyk or icc is not None, icc=icc, guides=guides,
                            strict=strict)


@click.group(cls=Kaartgen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kaartgen")
@click.option("--taal", type=click.Choice(msg.LANGUAGES), callback=_set_language, expose_value=False,
              is_eager=True, help="Language of messages: nl or en [default: from LANGUAGE/LANG, else en].")
def cli() -> None:
    """Print-ready conversation cards, posters and checklists from YAML.

    Run in a project folder with cards/ and layouts/; PDFs go to output/.
    """


@cli.command()
@click.argument("decks", nargs=-1)
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for the PDFs.")
@click.option("--set", "set_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A partnership set (cards/sets/<slug>.yaml): writes output/<slug>/<deck>/.")
@output_options
def build(decks: tuple[str, ...], out: Path, set_file: Path | None, **output) -> None:
    """Build DECKS (deck or checklist names, variants such as dialoogkaart-po, or .yaml files;
    default: every deck and checklist in cards/).

    Each deck gives output/<deck>/<deck>-drukwerk.pdf for a print shop and an office PDF
    (e.g. <deck>-a4.pdf) with several cards per sheet for duplex printing.
    """
    project = _project()
    options = _options(project, out, **output)
    if set_file is not None and decks:
        raise KaartgenError(Problem("", None, None, "", msg.SET_WITH_DECKS()))
    selection = select(project, list(decks), [set_file] if set_file else [])
    if not selection:
        raise KaartgenError(Problem("", None, None, "", msg.NOTHING_TO_BUILD(folder=project.cards)))
    failed = _run(products.build_jobs(project, selection, options), _report)
    _reporter().errors([problem for problems in failed.values() for problem in problems])
    if failed:
        raise KaartgenError(Problem("", None, None, "", msg.NOT_BUILT(count=len(failed), names=list(failed))))


def _run(jobs, show) -> dict[str, list]:
    """Run every job and show each result; returns the problems of the jobs that failed, by name."""
    failed = {}
    for job in jobs:
        try:
            for result in job.run():
                show(result)
        except KaartgenError as exc:  # one broken product does not stop the others
            failed[job.name] = exc.problems
    return failed


def _report(result) -> None:
    _warn(result.warnings)
    _reporter().say(msg.BUILT(deck=result.deck, pages=result.pages, seconds=round(result.seconds, 2),
                              files=", ".join(str(f) for f in result.files)))


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Each set goes to OUT/<slug>/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes to use (default: all cores).")
@output_options
def batch(folder: Path | None, out: Path, jobs: int | None, **output) -> None:
    """Build every partnership set in FOLDER (default: cards/sets/).

    A broken set is reported and the others still build; the exit code is 1 if any failed.
    """
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    project = _project()
    folder = folder or project.cards / "sets"
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise KaartgenError(Problem("", None, None, "", msg.NO_SET_FILES(folder=folder)))
    jobs = jobs or os.cpu_count() or 1
    options = _options(project, out, **output)
    console = Console(stderr=True)
    outcomes = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"{len(paths)} sets, {jobs} jobs", total=len(paths))
        for outcome in sets.batch(paths, project, options, jobs):
            outcomes.append(outcome)
            progress.advance(task)
    table = Table(title="kaartgen batch")
    for column in ("set", "decks", "pages", "seconds", "result"):
        table.add_column(column, justify="right" if column in ("decks", "pages", "seconds") else "left")
    failed = 0
    for outcome in sorted(outcomes, key=lambda o: o.path.name):
        ok = not outcome.problems
        failed += not ok
        table.add_row(outcome.path.stem, str(len(outcome.results)), str(sum(r.pages for r in outcome.results)),
                      f"{outcome.seconds:.2f}", "ok" if ok else "[red]failed[/red]")
        for result in outcome.results:
            _warn(result.warnings)
        _reporter().errors(outcome.problems)
    Console().print(table)
    if failed:
        raise KaartgenError(Problem("", None, None, "", msg.SETS_FAILED(failed=failed, total=len(outcomes))))


@cli.command()
@click.option("--printer", help="Printer profile whose duplex turn the page is made for.")
@click.option("--duplex", type=click.Choice(DUPLEX_MODES), default=None)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("output/kalibratie.pdf"), show_default=True)
def calibrate(printer: str | None, duplex: str | None, out: Path) -> None:
    """Write an A4 page that shows, printed double-sided, how far the printer shifts the backs."""
    from kaartgen.calibrate import write_calibration
    profile = load_printer(printer, _project().root / "printers")
    if duplex:
        profile = dataclasses.replace(profile, duplex=duplex)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically([out], lambda temps: write_calibration(temps[0], profile))
    _reporter().say(msg.WROTE_CALIBRATION(file=str(out), duplex=profile.duplex))


@cli.command()
@click.argument("decks", nargs=-1)
@click.option("--set", "set_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Check a partnership set (cards/sets/<slug>.yaml) and the decks it makes.")
def check(decks: tuple[str, ...], set_file: Path | None) -> None:
    """Validate DECKS (and checklists, or a set) and their layouts without writing PDFs; also checks
    that text fits."""
    project = _project()
    if set_file is not None and decks:
        raise KaartgenError(Problem("", None, None, "", msg.SET_CHECK_WITH_DECKS()))
    selection = select(project, list(decks), [set_file] if set_file else [])
    checked = []
    failed = _run(products.check_jobs(project, selection, pipeline.Options(out=Path("output"))),
                  lambda result: (_warn(result.warnings), checked.append(result)))
    if failed:
        raise KaartgenError([problem for problems in failed.values() for problem in problems])
    decks_checked = [c for c in checked if c.kind != CHECKLIST]
    _reporter().say(msg.CHECKED(decks=len(decks_checked), cards=sum(c.cards for c in decks_checked),
                                checklists=len(checked) - len(decks_checked)))


@cli.command("preview")
@click.argument("deck")
@click.option("--card", "card_id", metavar="ID", help="Render only this card (the contact sheet is left as it is).")
@click.option("--dpi", type=click.IntRange(min=10, max=600), default=150, show_default=True,
              help="Resolution of the PNGs.")
@click.option("--bleed", is_flag=True, help="Include the bleed around each face (default: cut to the trim).")
@click.option("--set", "set_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Preview the deck as this partnership set makes it (output/<slug>/<deck>/preview/).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="PNGs go to OUT/<deck>/preview/.")
@output_options
def preview_command(deck: str, card_id: str | None, dpi: int, bleed: bool, set_file: Path | None,
                    out: Path, **output) -> None:
    """PNG previews of DECK: one PNG per face and a contact sheet <deck>-overzicht.png."""
    from kaartgen import preview as previews

    project = _project()
    decks, options = previews.select_decks(project, deck, _options(project, out, **output), set_file)
    for chosen in decks:
        folder = output_folder(options.out, chosen.name, "preview", create=False)
        result = previews.preview_deck(chosen, project, options, folder, dpi=dpi, bleed=bleed, card_id=card_id)
        sheet = msg.CONTACT_SHEET(file=str(result.sheet)) if result.sheet else ""
        _reporter().say(msg.PREVIEWED(deck=result.deck, count=len(result.files), dpi=dpi,
                                      seconds=round(result.seconds, 2), folder=str(result.folder), sheet=sheet))


@cli.command("watch")
@click.option("--preview", "with_preview", is_flag=True, help="Also refresh the PNG previews of rebuilt decks.")
@click.option("--dpi", type=click.IntRange(min=10, max=600), default=150, show_default=True,
              help="Resolution of the previews.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True)
@output_options
def watch_command(with_preview: bool, dpi: int, out: Path, **output) -> None:
    """Rebuild what changes in cards/ and layouts/ as you save; Ctrl-C stops.

    A deck file rebuilds that deck, a layout the decks that use it, a set file that set,
    an image or logo everything. Sets already in OUT/ are kept up to date too.
    """
    from kaartgen import watch as watcher

    project = _project()
    watcher.run(project, _options(project, out, **output), preview_dpi=dpi if with_preview else None,
                reporter=_reporter())


@cli.command("schema")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("schema"),
              show_default=True, help="Folder for the *.schema.json files.")
def schema_command(out: Path) -> None:
    """Write JSON Schemas of the YAML formats, so editors can check and complete them.

    Decks get one schema per layout (deck-<layout>.schema.json) with the fields of its templates.
    With the YAML extension in VS Code, a first line such as
    `# yaml-language-server: $schema=../schema/deck-gesprekskaart.schema.json` links a file to its schema.
    """
    from kaartgen import schemas

    for path in schemas.write_schemas(out, _project().root):
        _reporter().say(msg.WROTE(files=str(path)))


@cli.command("export-cards")
@click.argument("deck")
@click.option("--xlsx", "xlsx", is_flag=True, required=True, help="Write an Excel workbook (.xlsx).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write [default: output/<deck>.xlsx].")
def export_cards_command(deck: str, xlsx: bool, out: Path | None) -> None:
    """Write the cards of DECK to a spreadsheet (one row per card, one column per field, lists in
    numbered columns), to hand to content owners; `cards: {from: FILE.xlsx}` in a deck reads it back."""
    from kaartgen import sheets

    project = _project()
    loaded = pipeline.load_all(project, select(project, [deck]).decks)
    if not loaded:
        raise KaartgenError(Problem(deck, None, None, "", msg.EXPORT_NOT_A_DECK(name=deck)))
    chosen = next((d for d in loaded if d.name == deck), loaded[0])
    fields = {name: spec for template in chosen.layout.templates.values() for name, spec in template.fields.items()}
    out = out or Path("output") / f"{chosen.name}.xlsx"
    out.parent.mkdir(parents=True, exist_ok=True)
    header = sheets.columns(chosen.cards, fields, chosen.file)
    write_atomically([out], lambda temps: sheets.write_xlsx(chosen.cards, header, temps[0],
                                                            chosen.meta.get("title", chosen.name)))
    click.echo(f"wrote {out} ({len(chosen.cards)} cards)")


@cli.command("migrate-layout")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def migrate_layout_command(files: tuple[Path, ...]) -> None:
    """Rewrite layouts (layouts/*.yaml) and printer profiles (printers/*.yaml) from layout language 1
    in language 2, in place. Comments are lost: look over the result and put back the ones you need."""
    from kaartgen import migrate
    from kaartgen.yamlio import load_file

    for path in files:
        data = load_file(path).data or {}
        first = path.read_text(encoding="utf-8").splitlines()[0]
        convert = migrate.migrate_printer if path.parent.name == "printers" else migrate.migrate_layout
        path.write_text(migrate.dump(convert(data), first if first.startswith("# yaml-language-server") else ""),
                        encoding="utf-8")
        click.echo(f"migrated {path}")


@cli.command("tally")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE_OR_DIR...")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("output/tally"),
              show_default=True, help="Folder for summary.pdf, summary.csv, antwoorden.csv and summary.xlsx.")
@click.option("--per", type=click.Choice(["rol", "school"]), default=None,
              help="Also one section per role or per school/opleiding in summary.pdf.")
@click.option("--cmyk", is_flag=True, help="summary.pdf in DeviceCMYK.")
@click.option("--guides", is_flag=True, help="Draw the safe zone on every page.")
@click.option("--strict", is_flag=True, help="Treat warnings (contrast) as errors.")
def tally_command(inputs: tuple[Path, ...], out: Path, per: str | None, **options) -> None:
    """Combine filled-in checklist PDFs (files, or folders of PDFs) into summary.pdf,
    summary.csv, antwoorden.csv (one row per copy) and summary.xlsx.

    A copy counts when at least one item is answered. A file that is blank, a duplicate, not
    a copy of one of the checklists in cards/, damaged, protected with a password, or made
    with another form version is named with the reason and not counted; the others still
    are. Exit code 0: every file given was counted; 1: some were not (or none could be).
    """
    from kaartgen.forms import tally

    reporter = _reporter()
    outcome = tally.run(list(inputs), out, _project().root, per=per, **options)
    reporter.warnings([note.problem() for note in outcome.notes] + outcome.warnings)
    for result in outcome.tallies:
        n = result.respondents
        reporter.say(msg.TALLY_COUNTED_ONE(form=result.checklist.id) if n == 1
                     else msg.TALLY_COUNTED_MANY(form=result.checklist.id, count=n))
    reporter.say(msg.TALLY_WROTE(files=[f.name for f in outcome.files], folder=str(out)))
    if outcome.skipped:
        n = len(outcome.skipped)
        click.echo((msg.TALLY_SKIPPED_ONE() if n == 1 else msg.TALLY_SKIPPED_MANY(count=n)).render(reporter.language),
                   err=True)
        raise click.exceptions.Exit(1)


@cli.command("serve")
@click.option("--port", type=click.IntRange(min=1, max=65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this computer (127.0.0.1) needs the access token.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@click.option("--token", envvar="KAARTGEN_TOKEN", default=None,
              help="Access token for a non-local --host [default: a random one, printed at start].")
def serve_command(port: int, host: str, open_browser: bool, token: str | None) -> None:
    """A Dutch web page to make a partnership set, build and download it, and combine checklists."""
    from kaartgen.project import deck_files
    from kaartgen.web.app import serve

    project = _project()
    deck_files(project)  # outside a project folder: say so instead of serving an empty page
    serve(project.root, host, port, open_browser, token, click.echo)


def main() -> None:
    cli.main(prog_name="kaartgen")
