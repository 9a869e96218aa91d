"""Uploaded files checked by their content, never by their name: logos (PNG, JPEG, SVG) and
checklist PDFs. Every refusal is a Dutch sentence (BadInput)."""

from __future__ import annotations

import io
import re

from kaartgen.web.dutch import BadInput

MB = 1024 * 1024
LOGO_LIMIT = 10 * MB
CHECKLIST_LIMIT = 20 * MB
MAX_PIXELS = 40_000_000  # a 6000×6000 logo is plenty; more is a decompression bomb or a mistake
CHUNK = 256 * 1024


async def read_limited(upload, limit: int, what: str) -> bytes:
    """The upload's bytes, or a clear refusal as soon as it is larger than `limit`."""
    chunks, total = [], 0
    while True:
        chunk = await upload.read(CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise BadInput(f"{what} is te groot: meer dan {limit // MB} MB. "
                           f"Maak het bestand kleiner (maximaal {limit // MB} MB).", status=413)
        chunks.append(chunk)
    return b"".join(chunks)


LOGO_TYPES = ("png", "jpg", "svg")


def logo_type(data: bytes) -> str:
    """'png', 'jpg' or 'svg' (LOGO_TYPES) by content; anything else is refused."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_bitmap(data)
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        _check_bitmap(data)
        return "jpg"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--"):
        check_svg(data)
        return "svg"
    raise BadInput("Het logo is geen PNG-, JPEG- of SVG-bestand. Kies een ander bestand.")


def _check_bitmap(data: bytes) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise BadInput(f"Het logo is te groot in pixels ({width} × {height}); "
                               "maak het kleiner dan 6000 × 6000 pixels.")
            image.verify()
    except BadInput:
        raise
    except Image.DecompressionBombError:
        raise BadInput("Het logo is te groot in pixels; maak het kleiner dan 6000 × 6000 pixels.")
    except Exception:  # Pillow raises many kinds for broken files; all mean the same to the user
        raise BadInput("Het logo is beschadigd of geen echte afbeelding. Kies een ander bestand.")


_EXTERNAL = re.compile(r"url\(\s*['\"]?(?!#)|@import", re.I)


def check_svg(data: bytes) -> None:
    """Refuse entities, DTDs and any reference outside the file itself (href to a file or URL)."""
    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException

    try:
        root = safe_xml.fromstring(data)
    except DefusedXmlException:
        raise BadInput("Het SVG-logo bevat entiteiten of een DTD; dat is niet toegestaan. "
                       "Sla het logo opnieuw op als gewone SVG.")
    except Exception:
        raise BadInput("Het SVG-logo is geen geldige SVG. Kies een ander bestand.")
    if not root.tag.endswith("svg"):
        raise BadInput("Het logo is geen SVG-afbeelding. Kies een ander bestand.")
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject"):
            raise BadInput("Het SVG-logo bevat een script of ingebedde HTML; dat is niet toegestaan.")
        for key, value in element.attrib.items():
            if key.rsplit("}", 1)[-1] == "href" and not value.startswith("#"):
                raise BadInput("Het SVG-logo verwijst naar een ander bestand of een website "
                               f"({value[:60]}); dat is niet toegestaan. Sla het logo op zonder koppelingen.")
            if _EXTERNAL.search(value):
                raise BadInput("Het SVG-logo verwijst naar een ander bestand of een website; dat is niet toegestaan.")
        if tag == "style" and _EXTERNAL.search(element.text or ""):
            raise BadInput("Het SVG-logo verwijst naar een ander bestand of een website; dat is niet toegestaan.")


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")
