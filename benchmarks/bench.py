"""Speed benchmark for kaartgen (issue 7, item 5).  Run: `python benchmarks/bench.py [--quick]`.

What it measures (PRODUCT.md, "Speed"):

* Synthetic decks of 100, 1 000 and 10 000 cards (63×88 mm: a coloured band with a bleed,
  a bold title, two hyphenated body paragraphs; no back) in a temporary project with its own
  layout. Each size is built by kaartgen in-process (load_all + build_deck) and by a plain
  reportlab script doing the same drawing, each in a fresh subprocess so that the peak RSS
  (ru_maxrss) belongs to that one build.
* Fairness: kaartgen writes two PDFs per deck (print-shop: one face per page with trim/bleed
  boxes and crop marks; office: A4 9-up sheets with cut marks and a footer line).  The baseline
  writes the same two PDFs with the same page counts: it builds each card's Paragraphs once
  (same TTF family, Source Sans Pro from font_source_sans_pro, same styles incl. Dutch
  hyphenation, embedded subsets, page compression) and draws them on both canvases, directly
  rather than through Form XObjects.  The baseline does no shrink-to-fit: the synthetic texts
  fit at the styles' largest size, so kaartgen's fitting loop also lays out every box once.
  kaartgen breaks its lines itself (typeset.py); the baseline uses reportlab's Paragraph, as a
  plain script would. The ratio compares the drawing+writing phase of both ("build");
  the end-to-end ratio also counts reading the deck YAML (kaartgen: its position-tracking,
  validating loader; baseline: yaml.safe_load).  Timers start after imports in both.
* Marginal cost: the end-to-end CPU time per extra card between the two largest decks (start-up
  costs cancel out), kaartgen against the baseline; the target is 1.1×.
* Linearity: kaartgen's end-to-end time at 10 000 cards / time at 1 000 cards.
* The shipped `kaartgen build` (subprocess in the repository root, --out to a temp dir).
* `kaartgen batch` over 100 partnership sets with --jobs 1 and 2, when the command exists.

The 10 000-card deck file is about 4 MB; kaartgen refuses deck files over
yamlio.MAX_FILE_BYTES (2 MB), so the benchmark raises that limit in its child process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
KAARTGEN = str(Path(PYTHON).with_name("kaartgen"))

TARGETS = {
    "marginal": 1.1,       # kaartgen's extra CPU per card ≤ 1.1× plain reportlab's, YAML loading included
    "linearity": 11.0,     # time(10 000) ≤ 11 × time(1 000)
    "peak_mb": 300.0,      # peak memory at 10 000 cards
    "shipped_s": 2.0,      # whole shipped set, wall
    "batch_s": 30.0,       # 100 sets with --jobs 2
}

LAYOUT_YAML = """\
# Benchmark layout: a 63×88 mm card with a coloured band, a title and two paragraphs.
size: {width: 63mm, height: 88mm}
bleed: 3mm
safe: 4mm
fonts: {family: source-sans-pro}
colors:
  ink: "#1b1b1f"
  paper: "#ffffff"
  c1: "#1f6fb2"
  c2: "#b83c0d"
  c3: "#187a3c"
  c4: "#6b2fa3"
styles:
  title: {size: 13pt, min_size: 9pt, leading: 1.1, bold: true, color: paper, hyphenate: false}
  body: {size: 9pt, min_size: 7pt, leading: 1.25, color: ink, space_after: 3pt}
marks: {length: 5mm, offset: 3mm, stroke_width: 0.25pt}
sheet: {paper: A4, orientation: auto, margin: 8mm}
templates:
  card:
    fields:
      colour: {type: choice, choices: [1, 2, 3, 4], required: true}
      title: {type: text, required: true}
      intro: {type: text, required: true}
      text: {type: text, required: true}
    front:
      band: {type: rect, x: 0mm, y: 0mm, width: 100%, height: 20mm, fill: "c{colour}", bleed: true}
      title: {type: text, x: 5mm, y: 4mm, width: 53mm, height: 13mm, content: "{title}", style: title, valign: bottom}
      body: {type: text, x: 5mm, y: 25mm, width: 53mm, height: 58mm, content: "{intro}\\n{text}", style: body}
"""

# Geometry of the layout above, in mm, for the baseline (y from the top of the card).
CARD_W, CARD_H, BLEED = 63, 88, 3
BAND_H = 20
TITLE_BOX = (5, 4, 53, 13)
BODY_BOX = (5, 25, 53, 58)
COLOURS = {1: "#1f6fb2", 2: "#b83c0d", 3: "#187a3c", 4: "#6b2fa3"}

WORDS = """samen opleiden professionaliseren school opleidingsschool partnerschap student begeleider
schoolopleider instituutsopleider leidinggevende bestuur afspraken kwaliteit onderzoek ontwikkeling
gesprek team leerling docent werkplek leeromgeving verantwoordelijkheid eigenaarschap urgentie
implementeren informeren facilitering taakverdeling professionele leergemeenschap samenwerking
begeleidingsgesprek praktijkervaring lerarenopleiding zij-instromer inductieprogramma
beroepsontwikkeling kennisdeling evaluatie planning terugkoppeling we het de een en van met voor
over in op naar bij om dat die wat hoe waarom wanneer ook nog al meer goed duidelijk samen
vooral echt graag elke nieuwe eigen belangrijke concrete heldere gezamenlijke structurele""".split()


# ---------------------------------------------------------------------------------------------
# The synthetic project

def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return (" ".join(words)).capitalize() + "."


def card_texts(rng: random.Random) -> tuple[str, str, str]:
    """A title and two paragraphs that fit their boxes at the styles' largest size (as the
    baseline, which does not shrink text, assumes): at most 2 title lines, ~12 body lines."""
    while True:
        title = sentence(rng, rng.randint(2, 4))[:-1]
        if len(title) <= 28:
            break
    while True:
        intro = sentence(rng, rng.randint(9, 11)) + " " + sentence(rng, rng.randint(6, 8))
        text = sentence(rng, rng.randint(11, 13)) + " " + sentence(rng, rng.randint(8, 10))
        if len(intro) + len(text) <= 380:
            return title, intro, text


def write_project(root: Path, sizes: list[int]) -> dict[int, Path]:
    (root / "layouts").mkdir(parents=True, exist_ok=True)
    (root / "cards").mkdir(exist_ok=True)
    (root / "layouts" / "bench.yaml").write_text(LAYOUT_YAML, encoding="utf-8")
    decks = {}
    for n in sizes:
        rng = random.Random(n)
        lines = [f"deck:\n  title: Benchmark {n}\n  layout: bench\ncards:\n"]
        for i in range(n):
            title, intro, text = card_texts(rng)
            lines.append(f"  - id: c{i:05d}\n    colour: {i % 4 + 1}\n"
                         f"    title: {json.dumps(title, ensure_ascii=False)}\n"
                         f"    intro: {json.dumps(intro, ensure_ascii=False)}\n"
                         f"    text: {json.dumps(text, ensure_ascii=False)}\n")
        path = root / "cards" / f"bench-{n}.yaml"
        path.write_text("".join(lines), encoding="utf-8")
        decks[n] = path
    return decks


# ---------------------------------------------------------------------------------------------
# Children: one build each, in a fresh process

def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def spans(t0, t1, t2) -> dict:
    """Wall and CPU seconds of the load (t0→t1) and build (t1→t2) phases."""
    return {"load": t1[0] - t0[0], "build": t2[0] - t1[0], "total": t2[0] - t0[0],
            "load_cpu": t1[1] - t0[1], "build_cpu": t2[1] - t1[1], "total_cpu": t2[1] - t0[1]}


def child_kaartgen(deck: Path, out: Path) -> dict:
    from kaartgen import build as pipeline, yamlio
    yamlio.MAX_FILE_BYTES = 100_000_000  # see the module docstring
    project = pipeline.Project(deck.parent.parent)
    base = rss_mb()
    t0 = clock()
    decks = pipeline.load_all(project, [deck])
    t1 = clock()
    result = pipeline.build_deck(decks[0], project, pipeline.Options(out=out))
    t2 = clock()
    return {"cards": len(decks[0].cards), **spans(t0, t1, t2), "pages": result.pages, "files": [str(f) for f in result.files],
            "bytes": sum(f.stat().st_size for f in result.files), "rss_start": base, "peak": peak_mb()}


def child_baseline(deck: Path, out: Path) -> dict:
    import yaml
    from font_source_sans_pro import __file__ as fonts_init
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.fonts import addMapping
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    base = rss_mb()
    t0 = clock()
    data = yaml.safe_load(deck.read_text(encoding="utf-8"))
    t1 = clock()

    font_dir = Path(fonts_init).parent / "files"
    faces = {"R": "SourceSansPro-Regular", "B": "SourceSansPro-Bold",
             "I": "SourceSansPro-It", "BI": "SourceSansPro-BoldIt"}
    for key, stem in faces.items():
        pdfmetrics.registerFont(TTFont(f"bl-{key}", str(font_dir / f"{stem}.ttf")))
    for bold, italic, key in ((0, 0, "R"), (1, 0, "B"), (0, 1, "I"), (1, 1, "BI")):
        addMapping("bl-R", bold, italic, f"bl-{key}")
        addMapping("bl-B", bold, italic, f"bl-{key}")
    ink, paper = HexColor("#1b1b1f"), HexColor("#ffffff")
    title_style = ParagraphStyle("title", fontName="bl-B", fontSize=13, leading=13 * 1.1, textColor=paper,
                                 alignment=TA_LEFT, splitLongWords=0)
    body_style = ParagraphStyle("body", fontName="bl-R", fontSize=9, leading=9 * 1.25, textColor=ink,
                                alignment=TA_LEFT, hyphenationLang="nl_NL", embeddedHyphenation=1,
                                splitLongWords=0)
    W, H, bleed = CARD_W * mm, CARD_H * mm, BLEED * mm
    mark_off, mark_len, mark_w = 3 * mm, 5 * mm, 0.25
    margin = mark_off + mark_len + 2 * mm
    page_w, page_h = W + 2 * margin, H + 2 * margin

    def new(path, size):
        c = Canvas(str(path), pagesize=size, invariant=1, pageCompression=1, lang="nl-NL",
                   initialFontName="bl-R", initialFontSize=9)
        c.setTitle(data["deck"]["title"])
        c.setAuthor("baseline")
        c.setCreator("baseline")
        return c

    folder = out / "baseline"
    folder.mkdir(parents=True, exist_ok=True)
    shop = new(folder / "drukwerk.pdf", (page_w, page_h))
    a4w, a4h = 210 * mm, 297 * mm
    office = new(folder / "a4.pdf", (a4w, a4h))
    cols, rows = 3, 3
    x0, y0 = (a4w - cols * W) / 2, (a4h - rows * H) / 2
    pages = 0

    def face(c, card, parts):
        """Band (to the bleed on three sides), title at the bottom of its box, two paragraphs."""
        c.saveState()
        c.setFillColor(HexColor(COLOURS[card["colour"]]))
        c.rect(-bleed, H - BAND_H * mm, W + 2 * bleed, BAND_H * mm + bleed, stroke=0, fill=1)
        c.restoreState()
        (title, th), body = parts
        tx, ty, tw, tht = (v * mm for v in TITLE_BOX)
        title.drawOn(c, tx, H - ty - tht)
        bx, by, bw, bh = (v * mm for v in BODY_BOX)
        cursor = H - by
        for para, h in body:
            cursor -= h
            para.drawOn(c, bx, cursor)
            cursor -= 3

    def crop_marks(c):
        xa, ya, xb, yb = margin, margin, margin + W, margin + H
        c.saveState()
        c.setLineWidth(mark_w)
        for x in (xa, xb):
            for y, s in ((ya, -1), (yb, 1)):
                c.line(x, y + s * mark_off, x, y + s * (mark_off + mark_len))
        for y in (ya, yb):
            for x, s in ((xa, -1), (xb, 1)):
                c.line(x + s * mark_off, y, x + s * (mark_off + mark_len), y)
        c.restoreState()

    def cut_marks(c):
        xs = [x0 + i * W for i in range(cols + 1)]
        ys = [y0 + j * H for j in range(rows + 1)]
        c.saveState()
        c.setLineWidth(mark_w)
        for x in xs:
            c.line(x, y0 - 2 * mm, x, y0 - 2 * mm - 3 * mm)
            c.line(x, ys[-1] + 2 * mm, x, ys[-1] + 5 * mm)
        for y in ys:
            c.line(x0 - 2 * mm, y, x0 - 5 * mm, y)
            c.line(xs[-1] + 2 * mm, y, xs[-1] + 5 * mm, y)
        c.restoreState()

    def flush(pending, sheet):
        nonlocal pages
        for slot, (card, parts) in enumerate(pending):
            col, row = slot % cols, slot // cols
            office.saveState()
            office.translate(x0 + col * W, y0 + (rows - 1 - row) * H)
            clip = office.beginPath()
            clip.rect(0, 0, W, H)
            office.clipPath(clip, stroke=0, fill=0)
            face(office, card, parts)
            office.restoreState()
        cut_marks(office)
        office.setFont("bl-R", 6.5)
        office.drawString(x0, 3.2 * mm, f"{data['deck']['title']} – vel {sheet}, voorkant")
        office.showPage()
        pages += 1

    pending, sheet = [], 0
    for card in data["cards"]:
        tw, th = TITLE_BOX[2] * mm, TITLE_BOX[3] * mm
        title = Paragraph(card["title"], title_style)
        _, title_h = title.wrap(tw, th)
        body = []
        for text in (card["intro"], card["text"]):
            para = Paragraph(text, body_style)
            _, h = para.wrap(BODY_BOX[2] * mm, 1e6)
            body.append((para, h))
        parts = ((title, title_h), body)
        shop.setTrimBox((margin, margin, margin + W, margin + H))
        shop.setBleedBox((margin - bleed, margin - bleed, margin + W + bleed, margin + H + bleed))
        shop.saveState()
        shop.translate(margin, margin)
        face(shop, card, parts)
        shop.restoreState()
        crop_marks(shop)
        shop.showPage()
        pages += 1
        pending.append((card, parts))
        if len(pending) == cols * rows:
            sheet += 1
            flush(pending, sheet)
            pending = []
    if pending:
        sheet += 1
        flush(pending, sheet)
    shop.save()
    office.save()
    t2 = clock()
    files = [folder / "drukwerk.pdf", folder / "a4.pdf"]
    return {"cards": len(data["cards"]), **spans(t0, t1, t2), "pages": pages,
            "files": [str(f) for f in files], "bytes": sum(f.stat().st_size for f in files),
            "rss_start": base, "peak": peak_mb()}


def run_child(kind: str, deck: Path, out: Path) -> dict:
    proc = subprocess.run([PYTHON, __file__, "--child", kind, str(deck), str(out)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} child failed on {deck.name}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Shipped build and batch

def timed(cmd: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, CPU seconds (user + system of the command and its workers), result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc


def shipped_build(tmp: Path, repeat: int) -> dict:
    times, cpus, proc = [], [], None
    for i in range(repeat):
        seconds, cpu, proc = timed([KAARTGEN, "build", "--out", str(tmp / f"shipped-{i}")], ROOT)
        times.append(seconds)
        cpus.append(cpu)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error")]
    info = {"min": min(times), "median": statistics.median(times), "cpu": min(cpus), "rc": proc.returncode,
            "errors": errors,
            "pages": sum(int(m) for m in re.findall(r": (\d+) pages", proc.stdout))}
    if proc.returncode != 0:
        # Time what does build, so there is still a figure: the decks whose files load.
        sys.path.insert(0, str(ROOT / "src"))
        from kaartgen import build as pipeline
        from kaartgen.errors import KaartgenError
        from kaartgen.project import deck_files
        project = pipeline.Project(ROOT)
        good = []
        for path in deck_files(project):
            try:
                pipeline.load_all(project, [path])
                good.append(path.stem)
            except KaartgenError:
                pass
        sub = []
        for i in range(repeat):
            seconds, _, p = timed([KAARTGEN, "build", *good, "--out", str(tmp / f"subset-{i}")], ROOT)
            sub.append(seconds)
        info["subset"] = {"decks": good, "min": min(sub), "median": statistics.median(sub), "rc": p.returncode,
                          "pages": sum(int(m) for m in re.findall(r": (\d+) pages", p.stdout))}
    return info


def batch_available() -> tuple[bool, str]:
    proc = subprocess.run([KAARTGEN, "--help"], capture_output=True, text=True)
    if not re.search(r"^\s+batch\b", proc.stdout, re.M):
        return False, ""
    return True, subprocess.run([KAARTGEN, "batch", "--help"], capture_output=True, text=True).stdout


def batch_runs(tmp: Path, count: int, batch_help: str) -> dict:
    examples = sorted((ROOT / "cards" / "sets").glob("*.yaml")) if (ROOT / "cards" / "sets").is_dir() else []
    if not examples:
        return {"error": "no example sets in cards/sets/"}
    project = tmp / "batch-project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "output", "__pycache__",
                                                                 "*.egg-info", ".pytest_cache"))
    sets = project / "cards" / "sets"
    for path in sets.glob("*.yaml"):
        path.unlink()
    for i in range(count):
        src = examples[i % len(examples)]
        text = src.read_text(encoding="utf-8")
        slug = f"{src.stem}-{i:03d}"
        text, n = re.subn(r"^(\s*slug:\s*).*$", lambda m: m.group(1) + slug, text, count=1, flags=re.M)
        (sets / f"{slug}.yaml").write_text(text, encoding="utf-8")
    results = {"sets": count, "examples": [p.name for p in examples]}
    for jobs in (1, 2):
        cmd = [KAARTGEN, "batch", "cards/sets", "--jobs", str(jobs)]
        if "--out" in batch_help:
            cmd += ["--out", str(tmp / f"batch-out-{jobs}")]
        seconds, cpu, proc = timed(cmd, project)
        results[jobs] = {"seconds": seconds, "cpu": cpu, "rc": proc.returncode,
                         "tail": (proc.stderr or proc.stdout).strip().splitlines()[-3:]}
    return results


# ---------------------------------------------------------------------------------------------
# Report

def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    import reportlab
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    return (f"{model}, {cores} cores available, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, reportlab {reportlab.Version}; kaartgen at {commit}")


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def marginal_check(rows: dict) -> tuple[str, str, bool | None]:
    """Extra CPU time per card between the two largest decks (the slope: start-up costs such as
    imports, fonts and the layout cancel out), YAML loading included, kaartgen against the baseline."""
    if len(rows) < 2:
        return "marginal cost per card", "not measured (needs two sizes)", None
    small, large = sorted(rows)[-2:]

    def slope(kind: str) -> float:
        return (rows[large][kind]["total_cpu"] - rows[small][kind]["total_cpu"]) / (large - small)

    ratio = slope("kaartgen") / slope("baseline")
    return (f"marginal cost per card from {small:,} to {large:,} cards, YAML loading included, "
            f"≤ {TARGETS['marginal']}× the baseline",
            f"{ratio:.2f}× ({slope('kaartgen') * 1000:.3f} ms against {slope('baseline') * 1000:.3f} ms)",
            ratio <= TARGETS["marginal"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each: a smoke test")
    parser.add_argument("--sizes", type=int, nargs="+", help="deck sizes (default 100 1000 10000)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per size below 10 000 (best is kept)")
    parser.add_argument("--markdown", type=Path, help="also write the report as Markdown to this file")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "DECK", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, deck, out = args.child
        fn = child_kaartgen if kind == "kaartgen" else child_baseline
        print(json.dumps(fn(Path(deck), Path(out))))
        return 0

    sizes = args.sizes or ([50, 200] if args.quick else [100, 1000, 10000])
    repeat = args.repeat or (1 if args.quick else 3)
    batch_count = 10 if args.quick else 100
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="kaartgen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        decks = write_project(tmp / "project", sizes)
        rows = {}
        for n in sizes:
            runs = repeat if n < 10000 else 1
            results = {"kaartgen": [], "baseline": []}
            for r in range(runs):  # alternate, so a busy moment on the machine hits both
                for kind in results:
                    results[kind].append(run_child(kind, decks[n], tmp / f"out-{kind}-{n}-{r}"))
            best = {}
            for kind, runs_of_kind in results.items():
                best[kind] = min(runs_of_kind, key=lambda r: r["total_cpu"])
                best[kind]["peak"] = max(r["peak"] for r in runs_of_kind)
            k, b = best["kaartgen"], best["baseline"]
            if k["pages"] != b["pages"]:
                say(f"warning: {n} cards: kaartgen wrote {k['pages']} pages, the baseline {b['pages']}")
            rows[n] = best
            print(f"  {n} cards: kaartgen {k['total']:.2f} s, baseline {b['total']:.2f} s", file=sys.stderr)

        shipped = shipped_build(tmp, repeat)
        has_batch, batch_help = batch_available()
        batch = batch_runs(tmp, batch_count, batch_help) if has_batch else None

    say(f"# kaartgen benchmark ({time.strftime('%Y-%m-%d')})")
    say()
    load_after = os.getloadavg()
    say(f"Machine: {machine()}; load average (1 min) {load_before[0]:.2f} before the run, "
        f"{load_after[0]:.2f} after (other work on the machine slows every figure)")
    say()
    say("Synthetic 63×88 mm cards (band, title, two paragraphs), two PDFs per deck (print-shop + A4 9-up); "
        "the baseline draws the same faces into two canvases. s/card is CPU time (process_time, steadier than "
        "wall time on a shared machine): build = drawing + writing both PDFs; load = reading and validating "
        "the deck YAML; the wall-clock build ratio is shown too. Best of "
        f"{repeat} run(s) below 10 000 cards, one run at 10 000. Peak MB: ru_maxrss of the process "
        "(interpreter and imports included; 'at start' is the RSS after imports).")
    say()
    say("| cards | kaartgen load s/card | kaartgen build s/card | baseline build s/card | ratio (build) "
        "| ratio (end-to-end) | ratio (build, wall) | kaartgen peak MB (at start) | baseline peak MB | pages |")
    say("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, best in rows.items():
        k, b = best["kaartgen"], best["baseline"]
        say(f"| {n:,} | {k['load_cpu'] / n * 1000:.3f} ms | {k['build_cpu'] / n * 1000:.3f} ms "
            f"| {b['build_cpu'] / n * 1000:.3f} ms | {k['build_cpu'] / b['build_cpu']:.2f}× "
            f"| {k['total_cpu'] / b['total_cpu']:.2f}× | {k['build'] / b['build']:.2f}× "
            f"| {k['peak']:.0f} ({k['rss_start']:.0f}) | {b['peak']:.0f} | {k['pages']} |")
    say()
    checks = [marginal_check(rows)]
    if 1000 in rows and 10000 in rows:
        lin = rows[10000]["kaartgen"]["total_cpu"] / rows[1000]["kaartgen"]["total_cpu"]
        lin_build = rows[10000]["kaartgen"]["build_cpu"] / rows[1000]["kaartgen"]["build_cpu"]
        lin_base = rows[10000]["baseline"]["total_cpu"] / rows[1000]["baseline"]["total_cpu"]
        checks.append((f"time(10 000) / time(1 000) ≤ {TARGETS['linearity']:g}",
                       f"{lin:.2f} (build only {lin_build:.2f}; baseline {lin_base:.2f})",
                       lin <= TARGETS["linearity"]))
        peak = rows[10000]["kaartgen"]["peak"]
        checks.append((f"peak memory at 10 000 cards < {TARGETS['peak_mb']:g} MB", f"{peak:.0f} MB",
                       peak < TARGETS["peak_mb"]))
    else:
        checks.append(("linearity, peak memory at 10 000 cards", "not measured (needs sizes 1000 and 10000)", None))
    ok = shipped["rc"] == 0
    figure = (f"{shipped['min']:.2f} s (median {shipped['median']:.2f} s; CPU {shipped['cpu']:.2f} s; "
              f"{shipped['pages']} pages)")
    if not ok:
        figure += f" — build FAILED (exit {shipped['rc']}, {len(shipped['errors'])} error(s))"
    checks.append((f"whole shipped `kaartgen build` < {TARGETS['shipped_s']:g} s wall", figure,
                   (shipped["min"] < TARGETS["shipped_s"]) if ok else False))
    if batch is None:
        checks.append(("batch: not available", "`kaartgen batch` does not exist yet", None))
    elif "error" in batch:
        checks.append(("batch", batch["error"], None))
    else:
        for jobs in (1, 2):
            r = batch[jobs]
            text = f"{r['seconds']:.2f} s (CPU {r['cpu']:.2f} s)" + ("" if r["rc"] == 0 else f" — FAILED (exit {r['rc']}): {' / '.join(r['tail'])}")
            target = f" < {TARGETS['batch_s']:g} s" if jobs == 2 and batch["sets"] == 100 else ""
            checks.append((f"{batch['sets']} sets, --jobs {jobs}{target}", text,
                           (r["rc"] == 0 and r["seconds"] < TARGETS["batch_s"]) if target else None))
    say("| figure | measured | target |")
    say("|---|---|---|")
    for name, value, good in checks:
        say(f"| {name} | {value} | {verdict(good)} |")
    if not ok:
        say()
        say("Shipped build errors:")
        for error in shipped["errors"]:
            say(f"    {error}")
        if "subset" in shipped:
            s = shipped["subset"]
            say(f"Decks that do load ({', '.join(s['decks'])}): {s['min']:.2f} s wall "
                f"(median {s['median']:.2f} s, {s['pages']} pages, exit {s['rc']}).")
    if batch is not None and "examples" in batch:
        say()
        say(f"Batch sets were copied from: {', '.join(batch['examples'])}")
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
