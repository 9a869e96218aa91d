"""AcroForm plumbing on top of reportlab's `canvas.acroForm`: nested field names and a form id.

PDF forbids a '.' inside a partial field name (the dot joins the names of parent and kid),
so the field 'ondersteunende_cultuur.3' is written as a parent field
'ondersteunende_cultuur' with a kid '3'. reportlab only makes top-level fields; the two
small hooks below move its fields under a parent. reportlab still draws the widgets and
their on/off appearance streams.

Typed text uses the house font: its regular face is embedded whole (typing may need any
character, so no subset) as a WinAnsi TrueType font in the form's /DR, and every text field's
/DA names it. A viewer that cannot use it falls back to its own default sans-serif, as it
would for any form font; /DR keeps Helvetica (/Helv) for viewers that look for it.

The form id and version go into the document info (/KaartgenForm, /KaartgenFormVersion) and,
for programs that rewrite the info dictionary, into a hidden read-only text field.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.acroform import PDFFromString, RadioGroup
from reportlab.pdfbase.pdfdoc import (PDFArray, PDFDate, PDFDictionary, PDFInfo, PDFName, PDFObject, PDFStream,
                                      PDFString, PDFZCompress)
from reportlab.pdfgen.canvas import Canvas

from kaartgen.fonts import FontFamily

FORM_KEY = "/KaartgenForm"
VERSION_KEY = "/KaartgenFormVersion"
RL_RADIO_SIZE = 20.0
ID_FIELD = "kaartgen_form"  # hidden text field holding "<form id>/<version>"
HOUSE_FONT = "KGHouse"  # the house font's name in the form's /DR


class _FormInfo(PDFInfo):
    """reportlab's document info dictionary with extra keys."""

    def __init__(self, base: PDFInfo, extra: dict[str, str]):
        super().__init__()
        self.__dict__.update(base.__dict__)
        self.extra = extra

    def format(self, document):
        d = {"Title": PDFString(self.title), "Author": PDFString(self.author),
             "Producer": PDFString(self.producer), "Creator": PDFString(self.creator),
             "Subject": PDFString(self.subject), "Keywords": PDFString(self.keywords),
             "Trapped": PDFName(self.trapped)}
        d["ModDate"] = d["CreationDate"] = PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        d.update({key: PDFString(value) for key, value in self.extra.items()})
        return PDFDictionary(d).format(document)


class _Resources(PDFObject):
    """The form's /DR with one /Font dictionary for all its fonts (reportlab writes one /Font
    key per font, so with two fonts a reader would see only the last)."""

    def __init__(self, form):
        self.form = form

    def format(self, document):
        fonts = " ".join(f"/{name} {ref}" for name, ref in sorted(self.form.fonts.items()))
        return f"<< /Encoding << /RLAFencoding {self.form.encRefStr} >> /Font << {fonts} >> >>".encode("latin-1")


class _KidRadioGroup(RadioGroup):
    """A radio group that is the kid of a parent field (reportlab's has no /Parent)."""

    def __init__(self, name: str, tooltip: str, parent):
        super().__init__(name, tooltip=tooltip, fieldFlags="noToggleToOff radio")
        self.parent = parent

    def format(self, doc):
        if len(self.kids) < 2:
            raise ValueError(f"radio group {self.T} has fewer than 2 buttons")
        d = {"FT": PDFName("Btn"), "Ff": self.Ff, "T": PDFString(self.T), "TU": PDFString(self.TU),
             "Kids": PDFArray(self.kids), "Parent": self.parent}
        return PDFDictionary(d).format(doc)


class FormWriter:
    """Adds fields to a canvas; names with a dot become kids of a parent field."""

    def __init__(self, canvas: Canvas, family: FontFamily, text_size: float):
        self.canvas = canvas
        self.form = canvas.acroForm
        self.doc = canvas._doc
        self.parents: dict[str, tuple[PDFDictionary, object]] = {}
        self.text_size = text_size
        self.form.makeFont("Helvetica")  # /Helv in /DR, for viewers that look for it
        self.form.fonts[HOUSE_FONT] = self.form.getRefStr(house_font(family.name(False, False)))
        self.form.extras["DA"] = PDFString(f"/{HOUSE_FONT} {text_size:g} Tf 0 g")
        self.form.extras["DR"] = _Resources(self.form)

    def mark(self, form_id: str, version: int) -> None:
        """Store the form id so a filled copy can be recognised from the PDF alone."""
        self.doc.info = _FormInfo(self.doc.info, {FORM_KEY[1:]: form_id, VERSION_KEY[1:]: str(version)})
        self.textfield(ID_FIELD, "kaartgen form id", 0, 0, 1, 1, value=f"{form_id}/{version}", hidden=True)

    def radio(self, name: str, tooltip: str, value: str, x: float, y: float, size: float, **style) -> None:
        """One button of the radio group `name`; the first call for a name creates the group."""
        if name not in self.form._radios:
            parent_name, leaf = name.rsplit(".", 1)
            group = _KidRadioGroup(leaf, tooltip, self._parent(parent_name))
            group._ref = self.form.getRef(group)
            self.form._radios[name] = group  # reportlab then adds buttons to our group
            self._adopt(parent_name, group._ref)
        # reportlab draws round buttons right only at its 20 pt default (smaller ones come out
        # shrunk and off-centre), so draw at 20 pt and let the widget's /Rect scale it down.
        scale = RL_RADIO_SIZE / size
        if "borderWidth" in style:
            style["borderWidth"] = style["borderWidth"] * scale
        self.form.radio(name=name, value=value, x=x, y=y, size=RL_RADIO_SIZE, fieldFlags="noToggleToOff radio",
                        buttonStyle="circle", shape="circle", **style)
        widget = self.doc.idToObject[self.form._radios[name].kids[-1].name]
        widget.dict["Rect"] = PDFArray([x, y, x + size, y + size])

    def textfield(self, name: str, tooltip: str, x: float, y: float, width: float, height: float,
                  value: str = "", fill=None, border=None, text_color=None, border_width: float = 0.0,
                  multiline: bool = False, hidden: bool = False) -> None:
        parent_name, _, leaf = name.rpartition(".")
        self.form.textfield(name=leaf, tooltip=tooltip, value=value, x=x, y=y, width=width, height=height,
                            maxlen=0, fillColor=fill, borderColor=border, borderWidth=border_width,
                            fontName="Helvetica", fieldFlags="readOnly" if hidden else ("multiline" if multiline else ""),
                            annotationFlags="hidden" if hidden else "print")
        ref = self.form.fields[-1]
        field = self.doc.idToObject[ref.name]
        field.dict["AP"] = PDFDictionary({"N": self._box(width, height, fill, border, border_width)})
        color = self.form.streamFillColor(text_color) if text_color is not None else "0 g"
        field.dict["DA"] = PDFString(f"/{HOUSE_FONT} {self.text_size:g} Tf {color}")
        if parent_name:
            self.form.fields.pop()  # reportlab put it at the top level
            field.dict["Parent"] = self._parent(parent_name)
            self._adopt(parent_name, ref)

    def _box(self, width: float, height: float, fill, border, border_width: float):
        """An appearance with only the box. reportlab's would draw the value in Helvetica, which
        is not embedded; viewers draw what is typed with the field's /DA font instead."""
        ops = []
        if fill is not None:
            ops.append(f"{self.form.streamFillColor(fill)} 0 0 {width:.2f} {height:.2f} re f")
        if border is not None and border_width:
            half = border_width / 2
            ops.append(f"{self.form.streamStrokeColor(border)} {border_width:.2f} w "
                       f"{half:.2f} {half:.2f} {width - border_width:.2f} {height - border_width:.2f} re S")
        stream = self.form.makeStream(width, height, "\n".join(ops), Resources=PDFFromString("<< /ProcSet [/PDF] >>"))
        return self.form.getRef(stream)

    def _parent(self, name: str):
        if name not in self.parents:
            node = PDFDictionary({"T": PDFString(name), "Kids": PDFArray([])})
            ref = self.doc.Reference(node)
            self.form.fields.append(ref)
            self.parents[name] = (node, ref)
        return self.parents[name][1]

    def _adopt(self, parent_name: str, ref) -> None:
        self.parents[parent_name][0].dict["Kids"].sequence.append(ref)


def house_font(font_name: str) -> PDFStream:
    """A font dictionary for typed text: the whole TrueType file, WinAnsi-encoded (every Dutch
    letter but ĳ, which viewers type as i + j anyway)."""
    face = pdfmetrics.getFont(font_name).face
    data = Path(face.filename).read_bytes()
    program = PDFStream(PDFDictionary({"Length1": len(data)}), data, filters=[PDFZCompress])
    base = PDFName(face.name.decode("latin-1") if isinstance(face.name, bytes) else str(face.name))
    descriptor = PDFDictionary({
        "Type": PDFName("FontDescriptor"), "FontName": base, "Flags": 32, "FontBBox": PDFArray(face.bbox),
        "ItalicAngle": face.italicAngle, "Ascent": face.ascent, "Descent": face.descent,
        "CapHeight": face.capHeight, "StemV": face.stemV, "FontFile2": program})
    widths = [round(pdfmetrics.stringWidth(bytes([code]).decode("cp1252", errors="replace"), font_name, 1000))
              for code in range(32, 256)]
    return PDFDictionary({
        "Type": PDFName("Font"), "Subtype": PDFName("TrueType"), "BaseFont": base, "FirstChar": 32,
        "LastChar": 255, "Widths": PDFArray(widths), "Encoding": PDFName("WinAnsiEncoding"),
        "FontDescriptor": descriptor})
