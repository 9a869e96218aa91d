"""Preview latency of `kaartgen serve`: from a card text edit to the new card image.

    python benchmarks/preview_latency.py [--edits 60] [--no-browser]

Starts the page in-process on a copy of the project and edits the title of one gesprekskaart
again and again:

- server: POST of the edited form to the card's preview endpoint until the PNG (in JSON) has
  arrived: loading, checking, drawing (the same code as `kaartgen preview`) and HTTP.
- browser (Debian's chromium, if present): from the edit of the title field (input event) to
  the new image's load event, timed inside the page. This includes the page's 60 ms wait after
  the last keystroke, which keeps the page from rendering on every letter of a word.

Target (issue 11): median ≤ 150 ms, 95th percentile ≤ 300 ms. Writes the figures to
benchmarks/preview_latency.md and prints them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from kaartgen.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
SET, DECK, CARD = "opleidingsschool-de-brug", "gesprekskaarten", "informeren-nieuw-2"
CHROMIUM = "/usr/bin/chromium"
FORM = {"step": "1", "audience": "nieuw", "source": "Eigen tekst",
        "questions": "Welke taken en rollen horen bij een opleidingsschool?\nHoeveel studenten kan je school begeleiden?",
        "aandachtspunten": "Wees open over wat meedoen kost."}


def start(root: Path):
    import uvicorn

    app = create_app(root)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, app, port


def post_preview(port: int, secret: str, title: str) -> float:
    import http.client

    boundary = uuid.uuid4().hex
    fields = {**FORM, "title": title, "csrf": secret}
    body = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                   for k, v in fields.items()) + f"--{boundary}--\r\n"
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", f"/sets/{SET}/kaart/{DECK}/{CARD}/voorbeeld", body=body.encode(),
                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json",
                          "Origin": f"http://127.0.0.1:{port}"})
    result = json.loads(conn.getresponse().read())
    conn.close()
    assert result["image"], result
    return time.perf_counter() - started


def browser_latencies(port: int, edits: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"]
    out = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/sets/{SET}?deck={DECK}&kaart={CARD}")
        # Timed inside the page: from the edit (input event) to the new image's load event, so
        # Playwright's own round trips are not counted.
        page.evaluate("""() => {
            window.edits = [];
            document.addEventListener('input', () => { window.editedAt = performance.now(); }, true);
            document.addEventListener('load', (e) => {
                if (e.target.tagName === 'IMG' && e.target.src.startsWith('data:') && window.editedAt)
                    window.edits.push(performance.now() - window.editedAt);
            }, true);
        }""")
        field = f"#k-{CARD}-title"
        for i in range(edits + 3):
            page.fill(field, f"Wat vraagt meedoen van school {i}?")
            page.wait_for_function("n => window.edits.length >= n", arg=i + 1)
        out = [ms / 1000 for ms in page.evaluate("window.edits")[3:]]  # the first edits warm up caches
        browser.close()
    return out


def summary(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kaartgen-bench-web-"))
    for name in ("cards", "layouts", "printers"):
        shutil.copytree(ROOT / name, work / name)
    server, app, port = start(work)
    try:
        secret = app.site.secret
        for i in range(3):
            post_preview(port, secret, f"Opwarmen {i}")
        server_times = [post_preview(port, secret, f"Wat vraagt meedoen van de school {i}?") for i in range(args.edits)]
        rows = [("server: edit → PNG received", *summary(server_times), len(server_times))]
        if not args.no_browser and Path(CHROMIUM).exists():
            times = browser_latencies(port, max(10, args.edits // 3))
            rows.append(("browser: edit → new image loaded (incl. 60 ms wait)", *summary(times), len(times)))
    finally:
        server.should_exit = True
        shutil.rmtree(work, ignore_errors=True)
    report(rows)


def report(rows) -> None:
    lines = ["# Preview latency of `kaartgen serve`", "",
             f"`python benchmarks/preview_latency.py`, {time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()},"
             f" Python {platform.python_version()}. One gesprekskaart (90×130 mm, 150 dpi PNG, 531×768 px),",
             "its title edited again and again. Target: median ≤ 150 ms, 95th percentile ≤ 300 ms.",
             f"Load average when the run ended: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.", "",
             "| path | median | 95th percentile | edits |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {median:.0f} ms | {p95:.0f} ms | {n} |" for name, median, p95, n in rows]
    text = "\n".join(lines) + "\n"
    (Path(__file__).resolve().parent / "preview_latency.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
