"""What the page refuses, and that it keeps serving afterwards: cross-site requests, slugs that
would leave cards/sets/, oversize uploads, decompression bombs, SVGs that reach outside."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from PIL import Image

from kaartgen.web.dutch import BadInput
from kaartgen.web.setfiles import SetStore
from kaartgen.web.uploads import check_svg, logo_type
from webserver import Server, server, web_project  # noqa: F401 (fixtures)

BRUG = "/sets/opleidingsschool-de-brug"


def still_serving(server) -> None:
    status, _, text = server.request("GET", "/")
    assert status == 200 and "Sets van partnerschappen" in text


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#0b6e4f").save(out, format="PNG")
    return out.getvalue()


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid 1-bit PNG header claiming 900 megapixels; its data compresses to almost nothing."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(200)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def test_a_cross_origin_post_is_refused_and_nothing_is_written(server):
    before = sorted(p.name for p in (server.root / "cards" / "sets").glob("*.yaml"))
    status, _, text = server.post("/sets", {"name": "Kwaadwillend Partnerschap"}, origin="http://evil.example")
    assert status == 403
    assert "andere website" in text
    status, _, _ = server.post("/sets", {"name": "Kwaadwillend Partnerschap"}, origin="null")
    assert status == 403
    assert sorted(p.name for p in (server.root / "cards" / "sets").glob("*.yaml")) == before
    still_serving(server)


def test_a_post_without_the_form_token_is_refused(server):
    status, _, text = server.post("/sets", {"name": "Zonder Token"}, csrf=False)
    assert status == 403
    assert "Laad de pagina opnieuw" in text
    status, _, _ = server.post("/sets", {"name": "Zonder Token", "csrf": "geraden"}, csrf=False)
    assert status == 403
    assert not (server.root / "cards" / "sets" / "zonder-token.yaml").exists()


@pytest.mark.parametrize("path", ["/sets/..%2F..%2Fpyproject", "/sets/.hidden", "/sets/UPPER",
                                  "/sets/a%00b", "/sets/..", "/sets/%2e%2e%2fcards%2fgesprekskaarten"])
def test_a_slug_that_could_leave_the_sets_folder_is_refused(server, path):
    status, _, text = server.request("GET", path)
    assert status in (400, 404), text
    assert "Traceback" not in text
    status, _, text = server.post(path, {"name": "x", "short_name": "x", "sector": "po", "decks": "netwerkkaart"})
    assert status in (400, 404, 405), text
    still_serving(server)


def test_the_store_itself_refuses_slugs_outside_its_folder(tmp_path):
    store = SetStore(tmp_path)
    for slug in ("../x", "a/b", "..", "", "x" * 100, "Hoofdletter", "a.yaml"):
        with pytest.raises(BadInput):
            store.path(slug)
    assert store.path("goed-1").parent == (tmp_path / "cards" / "sets").resolve()


def test_an_oversize_logo_gets_a_clear_message_and_the_server_stays_up(server):
    huge = b"\x89PNG\r\n\x1a\n" + b"\x00" * (10 * 1024 * 1024 + 10)
    status, _, text = server.post(BRUG, {"name": "Opleidingsschool De Brug", "short_name": "De Brug", "sector": "po",
                                         "decks": "netwerkkaart"}, files={"logo": ("groot.png", huge)})
    assert status == 400
    assert "Het logo is te groot: meer dan 10 MB" in text
    still_serving(server)


def test_a_decompression_bomb_is_refused_and_the_server_stays_up(server):
    status, _, text = server.post(BRUG, {"name": "Opleidingsschool De Brug", "short_name": "De Brug", "sector": "po",
                                         "decks": "netwerkkaart"}, files={"logo": ("bom.png", bomb_png())})
    assert status == 400
    assert "Het logo is te groot in pixels" in text
    still_serving(server)


def test_a_logo_is_judged_by_its_content_not_its_name():
    assert logo_type(png(20, 10)) == "png"
    with pytest.raises(BadInput, match="geen PNG-, JPEG- of SVG-bestand"):
        logo_type(b"MZ\x90\x00 not an image at all")
    with pytest.raises(BadInput, match="beschadigd"):
        logo_type(png(20, 10)[:40])
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 48 megapixels in a small file
    with pytest.raises(BadInput, match=r"te groot in pixels \(8000 × 6000\)"):
        logo_type(out.getvalue())


@pytest.mark.parametrize("svg, message", [
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     b'<image xlink:href="file:///etc/passwd"/></svg>', "verwijst naar een ander bestand"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="../../geheim.png"/></svg>', "verwijst naar een ander bestand"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(https://x.example/p)"/></svg>',
     "verwijst naar een ander bestand"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>', "entiteiten of een DTD"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "script"),
])
def test_an_svg_that_reaches_outside_itself_is_refused(svg, message):
    with pytest.raises(BadInput, match=message):
        check_svg(svg)


def test_a_plain_svg_with_internal_references_is_accepted():
    check_svg(b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
              b'<defs><circle id="c" r="4"/></defs><use xlink:href="#c"/></svg>')


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def test_junk_sent_to_tally_is_named_not_counted(server):
    status, _, text = server.post("/tally", files={"files": [("notities.txt", b"geen pdf"),
                                                             ("nep.pdf", b"ook geen pdf"),
                                                             ("brief.pdf", blank_pdf())]})
    assert status == 400
    assert "notities.txt" in text and "nep.pdf" in text
    assert "Geen PDF-bestand" in text
    assert re.search(r"<strong>brief.pdf</strong>: geen checklist-formulier van kaartgen", text)  # K920
    assert "geen ingevulde checklists om te tellen" in text  # K922 in the catalogue's Dutch
    still_serving(server)


def test_an_unknown_page_and_a_wrong_method_get_dutch_answers(server):
    status, _, text = server.request("GET", "/bestaat-niet")
    assert status == 404 and "Deze pagina bestaat niet" in text
    status, _, text = server.request("GET", "/bouwen/" + "0" * 32)
    assert status == 404 and "bestaat niet (meer)" in text


def test_a_non_local_host_needs_the_token(web_project):
    with Server(web_project, token="geheim-123") as guarded:
        status, _, text = guarded.request("GET", "/")
        assert status == 401 and "toegangscode" in text
        status, headers, _ = guarded.request("GET", "/?token=geheim-123")
        assert status == 303
        cookie = headers["set-cookie"].split(";")[0]
        status, _, text = guarded.request("GET", "/", headers={"Cookie": cookie})
        assert status == 200 and "Sets van partnerschappen" in text
        status, _, _ = guarded.request("GET", "/?token=fout")
        assert status == 401


def test_a_broken_hand_written_set_gets_a_dutch_message_with_its_line(server):
    (server.root / "cards" / "sets" / "kapot.yaml").write_text("set:\n  name: Kapot\n  primary: [#7a1f5c\n",
                                                              encoding="utf-8")
    status, _, text = server.request("GET", "/sets/kapot")
    assert status == 400
    assert "Het bestand cards/sets/kapot.yaml bevat een fout op regel" in text
    still_serving(server)
    status, _, text = server.request("GET", "/")
    assert "/sets/kapot" in text  # still listed, so it can be found and fixed


def test_a_malformed_upload_body_is_answered_not_crashed(server):
    status, _, text = server.request("POST", "/tally", b"--x\r\nContent-Disposition: form-data; name=\"files\"",
                                     {"Content-Type": "multipart/form-data; boundary=x", "Origin": server.url})
    assert status in (400, 403)
    assert "Traceback" not in text and 'lang="nl"' in text
    still_serving(server)


def test_serve_binds_locally_and_asks_a_token_for_any_other_host(web_project, monkeypatch):
    import uvicorn
    from kaartgen.web import app as web_app

    calls, said = [], []
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **kw: calls.append((app, host, port)))
    web_app.serve(web_project, "127.0.0.1", 8123, False, None, said.append)
    assert calls[-1][1:] == ("127.0.0.1", 8123) and calls[-1][0].token is None
    assert said == ["kaartgen serve: open http://127.0.0.1:8123/ in je browser (stoppen: Ctrl+C)"]
    said.clear()
    web_app.serve(web_project, "0.0.0.0", 8124, False, None, said.append)
    token = calls[-1][0].token
    assert token and len(token) >= 24
    assert said[0].startswith("Let op: de pagina is bereikbaar vanaf andere computers")
    assert said[1] == f"kaartgen serve: open http://127.0.0.1:8124/?token={token} in je browser (stoppen: Ctrl+C)"
