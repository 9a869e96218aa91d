"""AcroForm plumbing on top of reportlab's `canvas.acroForm`: nested field names and a form id.

PDF forbids a '.' inside a partial field name (the dot joins the names of parent and kid),
so the field 'ondersteunende_cultuur.3' is written as a parent field
'ondersteunende_cultuur' with a kid '3'. reportlab only makes top-level fields; the two
small hooks below move its fields under a parent. reportlab still draws the widgets and
their on/off appearance streams.

The form id and version go into the document info (/KaartgenForm, /KaartgenFormVersion) and,
for programs that rewrite the info dictionary, into a hidden read-only text field.
"""

from __future__ import annotations

from reportlab.pdfbase.acroform import RadioGroup
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas

FORM_KEY = "/KaartgenForm"
VERSION_KEY = "/KaartgenFormVersion"
ID_FIELD = "kaartgen_form"  # hidden text field holding "<form id>/<version>"


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

    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.form = canvas.acroForm
        self.doc = canvas._doc
        self.parents: dict[str, tuple[PDFDictionary, object]] = {}

    def mark(self, form_id: str, version: int) -> None:
        """Store the form id so a filled copy can be recognised from the PDF alone."""
        self.doc.info = _FormInfo(self.doc.info, {FORM_KEY[1:]: form_id, VERSION_KEY[1:]: str(version)})
        self.form.textfield(name=ID_FIELD, value=f"{form_id}/{version}", x=0, y=0, width=1, height=1,
                            borderWidth=0, fillColor=None, fieldFlags="readOnly",
                            annotationFlags="hidden", tooltip="kaartgen form id", maxlen=0)

    def radio(self, name: str, tooltip: str, value: str, x: float, y: float, size: float, **style) -> None:
        """One button of the radio group `name`; the first call for a name creates the group."""
        if name not in self.form._radios:
            parent_name, leaf = name.rsplit(".", 1)
            group = _KidRadioGroup(leaf, tooltip, self._parent(parent_name))
            group._ref = self.form.getRef(group)
            self.form._radios[name] = group  # reportlab then adds buttons to our group
            self._adopt(parent_name, group._ref)
        self.form.radio(name=name, value=value, x=x, y=y, size=size, fieldFlags="noToggleToOff radio",
                        buttonStyle="circle", shape="circle", **style)

    def textfield(self, name: str, tooltip: str, x: float, y: float, width: float, height: float,
                  **style) -> None:
        parent_name, _, leaf = name.rpartition(".")
        self.form.textfield(name=leaf, tooltip=tooltip, value="", x=x, y=y, width=width, height=height,
                            maxlen=0, **style)
        if parent_name:
            ref = self.form.fields.pop()  # reportlab appended it at the top level
            self.doc.idToObject[ref.name].dict["Parent"] = self._parent(parent_name)
            self._adopt(parent_name, ref)

    def _parent(self, name: str):
        if name not in self.parents:
            node = PDFDictionary({"T": PDFString(name), "Kids": PDFArray([])})
            ref = self.doc.Reference(node)
            self.form.fields.append(ref)
            self.parents[name] = (node, ref)
        return self.parents[name][1]

    def _adopt(self, parent_name: str, ref) -> None:
        self.parents[parent_name][0].dict["Kids"].sequence.append(ref)
