"""The monitoring export as CSV: counts only, small numbers suppressed, every cell safe to
open in a spreadsheet.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by
Excel or LibreOffice as a formula (CSV injection): such a cell is prefixed with an
apostrophe, which spreadsheets show as text. Figures are never negative, so no number is
changed; labels come from the catalogues and the record's choices, but a catalogue loaded
later could hold anything, so every cell goes through `neutralise`.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def export_rows(context: dict[str, Any]) -> list[list[str]]:
    period, scope = context["period"], context["scope"]
    rows = [
        ["CSE monitoring export: counts only, no names"],
        ["Agency", str(scope.agency)],
        ["Scope", scope.description],
        ["Period", f"{period.start:%d/%m/%Y}", f"{period.end:%d/%m/%Y}"],
        ["Generated", f"{timezone.localtime():%d/%m/%Y %H:%M}"],
        ["Figures as of", f"{timezone.localtime(context['figures_as_of'].at):%d/%m/%Y %H:%M}"],
        [
            "Small numbers",
            "1 to 4 shown as 'fewer than 5'; 'withheld' hides a figure that "
            "would let a suppressed one be worked out from the total",
        ],
        [],
        ["Theme", "Figure", "Count"],
    ]
    for shown in context["themes"]:
        title = shown.theme.title
        rows += [[title, row.label, row.text] for row in shown.rows]
        if shown.total:
            rows.append([title, "Total", shown.total])
        rows += [[f"{title}: {shown.theme.monthly_title}", m.label, m.text] for m in shown.months]
    return [[neutralise(cell) for cell in row] for row in rows]


def csv_response(rows: list[list[str]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    # A byte-order mark, so that Excel reads the file as UTF-8 ("—" in headings).
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
