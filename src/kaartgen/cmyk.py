"""Colour for the print shop: RGB to CMYK through an ICC output profile (LittleCMS, via Pillow).

Takes sRGB colours and images, gives DeviceCMYK values for an offset press:

- areas go through the profile, relative colorimetric with black-point compensation, so a
  step colour prints as the profile says it should (a large dark area keeps its rich black);
- black and nearly black text and thin rules print as pure K with overprint, grey ones as a
  K tint: four-colour black text fringes as soon as the plates are slightly off;
- every value stays under the total ink limit (300 %).

The default profile is built from the FOGRA39L characterisation data (ISO 12647-2 coated
offset), see README; a print shop's own profile can replace it (`--icc`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from kaartgen import messages as msg
from kaartgen.errors import KaartgenError, Problem
from kaartgen.model import Color

DEFAULT_PROFILE = Path(__file__).parent / "data" / "kaartgen-fogra39l.icc"
DEFAULT_CONDITION = "FOGRA39"  # the registered print condition the default profile characterises
MAX_INK = 3.0
BLACK_LIGHTNESS = 20.0  # L* at or below which neutral text and rules become 100 % K
NEUTRAL_CHROMA = 12.0  # C*ab below which text and rules count as grey (a K tint)
REGISTRATION = (1.0, 1.0, 1.0, 1.0)  # crop marks: on every plate


@dataclass
class Converter:
    """One output profile with its transforms; conversions are cached per colour."""

    path: Path
    condition: str  # the output condition the PDF's output intent names (FOGRA39, or Custom)
    profile: object = field(repr=False)  # the opened ImageCms profile
    _transforms: dict = field(default_factory=dict, repr=False)
    _cache: dict = field(default_factory=dict, repr=False)
    _k_ramp: list = field(default_factory=list, repr=False)

    @property
    def profile_bytes(self) -> bytes:
        return self.path.read_bytes()

    @property
    def description(self) -> str:
        from PIL import ImageCms
        return ImageCms.getProfileDescription(self.profile).strip()

    def area(self, color: Color) -> tuple[float, float, float, float]:
        """A fill: the profile's conversion (a CMYK colour from the layout is kept as it is)."""
        if color.cmyk is not None:
            return limit_ink(color.cmyk)
        key = ("area", color.rgb)
        if key not in self._cache:
            self._cache[key] = limit_ink(self._convert_rgb(color.rgb))
        return self._cache[key]

    def ink(self, color: Color) -> tuple[tuple[float, float, float, float], bool]:
        """Text or a thin rule: (CMYK, overprint). Neutral colours print on the black plate only."""
        if color.cmyk is not None:
            c, m, y, k = limit_ink(color.cmyk)
            return (c, m, y, k), (c, m, y, k) == (0, 0, 0, 1)
        L, a, b = self.lab_of_rgb(color.rgb)
        if math.hypot(a, b) >= NEUTRAL_CHROMA:
            return self.area(color), False
        if L <= BLACK_LIGHTNESS:
            return (0.0, 0.0, 0.0, 1.0), True
        return (0.0, 0.0, 0.0, self._k_for_lightness(L)), False

    def image(self, image):
        """A PIL image in CMYK through the profile; transparency is flattened onto white paper."""
        from PIL import Image, ImageCms
        if image.mode == "CMYK":
            return image
        if image.mode in ("RGBA", "LA", "P", "PA"):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        return ImageCms.applyTransform(image.convert("RGB"), self._transform("rgb-cmyk"))

    def lab_of_rgb(self, rgb) -> tuple[float, float, float]:
        return _lab_pixel(self._transform("rgb-lab"), "RGB", rgb)

    def lab_of_cmyk(self, cmyk) -> tuple[float, float, float]:
        """What the profile says a CMYK value looks like on paper (D50 Lab)."""
        return _lab_pixel(self._transform("cmyk-lab"), "CMYK", cmyk)

    def _convert_rgb(self, rgb) -> tuple[float, float, float, float]:
        from PIL import Image, ImageCms
        pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in rgb))
        out = ImageCms.applyTransform(pixel, self._transform("rgb-cmyk")).getpixel((0, 0))
        return tuple(round(v / 255, 4) for v in out)

    def _k_for_lightness(self, L: float) -> float:
        """The K tint whose lightness on paper matches L* (K alone, no C, M or Y)."""
        if not self._k_ramp:
            self._k_ramp = [(self.lab_of_cmyk((0, 0, 0, k / 100))[0], k / 100) for k in range(101)]
        for (l0, k0), (l1, k1) in zip(self._k_ramp, self._k_ramp[1:]):
            if l1 <= L <= l0:
                return round(k0 + (k1 - k0) * (l0 - L) / ((l0 - l1) or 1), 4)
        return 0.0 if L > self._k_ramp[0][0] else 1.0

    def _transform(self, name: str):
        if name not in self._transforms:
            self._transforms[name] = _build_transform(name, self.profile)
        return self._transforms[name]


def _build_transform(name: str, profile):
    from PIL import ImageCms
    srgb, lab = ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB", 5000)
    relative = ImageCms.Intent.RELATIVE_COLORIMETRIC
    bpc = ImageCms.Flags.BLACKPOINTCOMPENSATION
    if name == "rgb-cmyk":
        return ImageCms.buildTransform(srgb, profile, "RGB", "CMYK", renderingIntent=relative, flags=bpc)
    # Lab relative to each medium's white, as the relative colorimetric conversion sees colours.
    if name == "rgb-lab":
        return ImageCms.buildTransform(srgb, lab, "RGB", "LAB", renderingIntent=relative)
    return ImageCms.buildTransform(profile, lab, "CMYK", "LAB", renderingIntent=relative)


def _lab_pixel(transform, mode: str, values) -> tuple[float, float, float]:
    from PIL import Image, ImageCms
    pixel = Image.new(mode, (1, 1), tuple(round(v * 255) for v in values))
    L, a, b = ImageCms.applyTransform(pixel, transform).getpixel((0, 0))
    # Pillow's 8-bit LAB: L scaled to 0..255, a and b offset by 128.
    return L * 100 / 255, float(a - 128), float(b - 128)


def load_converter(path: Path | None) -> Converter:
    """The converter for `path` (a print shop's ICC profile) or the shipped default."""
    from PIL import ImageCms
    chosen = Path(path) if path else DEFAULT_PROFILE
    try:
        profile = ImageCms.getOpenProfile(str(chosen))
    except (OSError, ImageCms.PyCMSError) as exc:
        raise KaartgenError(Problem(str(chosen), None, None, "", msg.ICC_UNREADABLE(reason=str(exc))))
    if profile.profile.xcolor_space.strip() != "CMYK" or profile.profile.device_class != "prtr":
        raise KaartgenError(Problem(str(chosen), None, None, "", msg.ICC_NOT_CMYK()))
    condition = DEFAULT_CONDITION if path is None else "Custom"
    return Converter(chosen, condition, profile)


def limit_ink(cmyk) -> tuple[float, float, float, float]:
    """Take any ink above MAX_INK out of C, M and Y, keeping black."""
    c, m, y, k = cmyk
    if c + m + y + k > MAX_INK:  # round down, or 3 × 0.6667 + 1 comes out above the limit
        scale = (MAX_INK - k) / (c + m + y)
        return (*(math.floor(v * scale * 10000) / 10000 for v in (c, m, y)), round(k, 4))
    return (round(c, 4), round(m, 4), round(y, 4), round(k, 4))


def delta_e_2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005)."""
    L1, a1, b1 = lab1
    L2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = (math.degrees(math.atan2(b, a)) % 360 if (a or b) else 0.0 for a, b in ((a1p, b1), (a2p, b2)))
    dLp, dCp = L2 - L1, c2p - c1p
    dhp = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    dHp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    Lp, Cp = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp = (h1p + h2p) / 2
    else:
        hp = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp - 30)) + 0.24 * math.cos(math.radians(2 * hp))
         + 0.32 * math.cos(math.radians(3 * hp + 6)) - 0.20 * math.cos(math.radians(4 * hp - 63)))
    sl = 1 + 0.015 * (Lp - 50) ** 2 / math.sqrt(20 + (Lp - 50) ** 2)
    sc, sh = 1 + 0.045 * Cp, 1 + 0.015 * Cp * t
    rt = (-2 * math.sqrt(Cp ** 7 / (Cp ** 7 + 25 ** 7))
          * math.sin(math.radians(60 * math.exp(-(((hp - 275) / 25) ** 2)))))
    return math.sqrt((dLp / sl) ** 2 + (dCp / sc) ** 2 + (dHp / sh) ** 2 + rt * (dCp / sc) * (dHp / sh))


def colour_distance(a: Color, b: Color) -> float:
    """ΔE2000 between two colours as seen on screen (sRGB): the measure of the set colour warning."""
    return delta_e_2000(srgb_to_lab(a.as_rgb()), srgb_to_lab(b.as_rgb()))


def srgb_to_lab(rgb) -> tuple[float, float, float]:
    """CIE Lab (D65) of an sRGB colour, without a profile: for comparing colours on screen."""
    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def add_output_intent(canvas, converter: Converter) -> None:
    """A PDF/X output intent with the profile embedded: the print shop knows what the CMYK means."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
    doc = canvas._doc
    stream = PDFStream(PDFDictionary({"N": 4}), converter.profile_bytes, filters=None)
    stream.__Comment__ = "ICC output profile"
    intent = PDFDictionary({
        "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": PDFString(converter.condition),
        "RegistryName": PDFString("http://www.color.org"),
        "Info": PDFString(converter.description),
        "DestOutputProfile": doc.Reference(stream),
    })
    catalog = doc.Catalog
    # reportlab writes only the catalog keys it knows; OutputIntents is added to the instance's list.
    catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]
    catalog.OutputIntents = PDFArray([intent])
