"""Fixtures for the web page tests (imported by the test modules): a copy of the project, the server in-process on a free port, and
Debian's chromium driven by Playwright (a Playwright browser download is impossible here)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kaartgen.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def required(reason: str):
    """Skip without the tool, except in CI (KAARTGEN_REQUIRE_TOOLS) where it must be there."""
    if os.environ.get("KAARTGEN_REQUIRE_TOOLS"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def web_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("webproject")
    for name in ("cards", "layouts", "printers"):
        shutil.copytree(ROOT / name, root / name)
    return root


class Server:
    def __init__(self, root: Path, token: str | None = None):
        import uvicorn

        self.root = root
        self.app = create_app(root, token=token)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="error", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("kaartgen serve did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=20)

    @property
    def csrf(self) -> str:
        return self.app.site.secret

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(status, headers, body text) of one plain HTTP request."""
        parts = urlsplit(self.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def post(self, path: str, fields: dict | None = None, files: dict | None = None, origin: str | None = "same",
             csrf: bool = True, accept_json: bool = False):
        fields = dict(fields or {})
        if csrf:
            fields.setdefault("csrf", self.csrf)
        body, content_type = multipart(fields, files or {})
        headers = {"Content-Type": content_type}
        if origin == "same":
            headers["Origin"] = self.url
        elif origin:
            headers["Origin"] = origin
        if accept_json:
            headers["Accept"] = "application/json"
        return self.request("POST", path, body, headers)

    def get_json(self, path: str) -> dict:
        status, _, text = self.request("GET", path, headers={"Accept": "application/json"})
        assert status == 200, text
        return json.loads(text)


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body; `files` maps a field to (file name, bytes) or a list of them."""
    boundary = uuid.uuid4().hex
    out = bytearray()
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{one}\r\n").encode()
    for name, value in files.items():
        for filename, data in value if isinstance(value, list) else [value]:
            out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


@pytest.fixture(scope="module")
def server(web_project):
    with Server(web_project) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        required("chromium is not installed (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core from npm, installed into tests/web/axe on first use."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            required("npm is needed to install axe-core for the accessibility check")
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR)], check=False,
                       capture_output=True, timeout=300)
        if not AXE.exists():
            required("axe-core could not be installed with npm")
    return AXE.read_text(encoding="utf-8")


def serious_violations(page, axe_source: str) -> list[str]:
    """axe-core's serious and critical findings on the page, one readable line each."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
