"""`kaartgen tally`: read every returned copy, decide which count, count them, and write
summary.pdf, summary.csv, antwoorden.csv and summary.xlsx into the output folder.

A file that cannot be counted never stops the others: it becomes a Note (why, in English
and Dutch), printed as a warning and listed on the summary's last page. Nothing is written
when no copy counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kaartgen import messages as msg
from kaartgen.cmyk import load_converter
from kaartgen.errors import KaartgenError, Problem
from kaartgen.forms.counting import Note, Tally, count, count_per, select
from kaartgen.forms.export import answer_rows, summary_rows, write_csv, write_xlsx
from kaartgen.forms.reading import Skipped, expand, known_checklists, read_copy
from kaartgen.forms.sheet import Sheet
from kaartgen.forms.summary import write_pdf
from kaartgen.output import write_atomically
from kaartgen.project import Project

OUTPUTS = ("summary.pdf", "summary.csv", "antwoorden.csv", "summary.xlsx")


@dataclass
class Outcome:
    files: list[Path]
    tallies: list[Tally]  # the overall ones; --per sections are only in the PDF
    notes: list[Note]
    warnings: list[Problem]  # about the layout (contrast)

    @property
    def skipped(self) -> list[Note]:
        return [n for n in self.notes if not n.counted]


def run(inputs: list[Path], out: Path, project_root: Path, per: str | None = None,
        cmyk: bool = False, guides: bool = False, strict: bool = False) -> Outcome:
    """Read every copy, count, write the summary files; bad files are listed, not fatal."""
    known = known_checklists(Project(project_root))
    copies, notes = [], []
    for path in expand(inputs):
        try:
            copies.append(read_copy(path, known))
        except Skipped as exc:
            notes.append(Note(path, exc.said))
    counted, remarks = select(copies)
    notes += remarks
    if not counted:
        raise KaartgenError([note.problem() for note in notes]
                            + [Problem("", None, None, "", msg.NO_COPIES())])
    order = list(known.values())
    tallies = count(counted, order)
    sections = tallies + (count_per(counted, order, per) if per else [])
    sheet = Sheet.open(tallies[0].checklist.layout, project_root, "tally", guides=guides, strict=strict,
                       converter=load_converter(None) if cmyk else None)
    targets = [out / name for name in OUTPUTS]

    def write(temps):
        write_pdf(sections, notes, temps[0], sheet)
        summary, answers = summary_rows(tallies), answer_rows(tallies)
        write_csv(summary, temps[1])
        write_csv(answers, temps[2])
        write_xlsx({"samenvatting": summary, "antwoorden": answers}, temps[3])

    try:
        out.mkdir(parents=True, exist_ok=True)
        write_atomically(targets, write)
    except OSError as exc:  # a file where the folder should be, a full disk, no permission
        raise KaartgenError(Problem(str(exc.filename or out), None, None, "",
                                    msg.TALLY_CANNOT_WRITE(reason=msg.os_reason(exc))))
    return Outcome(targets, tallies, notes, list({str(w): w for w in sheet.warnings}.values()))
