"""Fillable checklists and their tally.

checklist (the file format and model) → sheet (page furniture, table geometry from the
layout, painting) → form (the fillable and the print PDF, drawn with pdfform's fields).
Returned copies: reading (one copy, defensively) → counting (answers per item, who took
part) → summary (the PDF) and export (CSV and XLSX); tally runs those steps.
"""
