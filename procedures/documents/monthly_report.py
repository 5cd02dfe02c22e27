"""The monthly report a ward sends upward: "Báo cáo tình hình, kết quả giải quyết thủ tục hành chính tháng MM/YYYY".

The layout follows the administrative papers the portal already prints (Circular 01/2018 forms: unit and
number on the left, the national motto on the right, place and date, title, body, "Nơi nhận" and the signature
block) and the figures of the periodic TTHC report of Circular 01/2020/TT-VPCP: dossiers received, resolved
(early / on time / late), still in progress (within the deadline / overdue), by field. Sections the portal can
fill from its own data follow: no-wait procedures, satisfaction, feedback, the Decision 766 scores. The paper
is Vietnamese whatever the reader's language, like the slips; it reads nothing but the dict `report_context`
builds, so a published month prints the same numbers every time.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from . import vietnamese as vn
from .pdf import FONT_FAMILY, _fonts


def _pct(part, whole) -> str:
    """ "97,5%" (Vietnamese decimal comma), or "—" when there is nothing to divide."""
    if not whole:
        return "—"
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%"


def _share(value) -> str:
    return "—" if value is None else f"{100 * value:.1f}".replace(".", ",") + "%"


def field_rows(procedure_rows) -> list[dict]:
    """The by-procedure rows summed per field (lĩnh vực), as the report groups them; `field` is on each row."""
    fields: dict[str, dict] = {}
    keys = ("received", "resolved", "early", "on_time", "late", "in_progress", "overdue_now")
    for row in procedure_rows:
        name = row["field"] or "Khác"
        bucket = fields.setdefault(name, {"name": name, **dict.fromkeys(keys, 0)})
        for key in keys:
            bucket[key] += row[key]
    rows = sorted(fields.values(), key=lambda r: r["name"])
    for r in rows:
        r["within"] = r["in_progress"] - r["overdue_now"]
    return rows


def report_context(
    *, unit, period, figures: dict, procedure_rows: list[dict], generated_at: datetime, frozen: bool
) -> dict:
    """Everything the paper shows, as plain values. `figures`: WardFigures.as_dict(); `procedure_rows`: dicts
    with the by-procedure counts and the procedure's `field` name."""
    rows = field_rows(procedure_rows)
    # The totals are the month's figures (a published snapshot's when there is one), not the rows' sum.
    totals = {k: figures.get(k) or 0 for k in ("received", "resolved", "early", "on_time", "late")}
    totals.update(
        in_progress=figures["in_progress"],
        overdue_now=figures["overdue_now"],
        within=figures["in_progress"] - figures["overdue_now"],
    )
    satisfaction = figures.get("satisfaction") or {}
    rated = sum(satisfaction.get(k, 0) for k in ("very_satisfied", "satisfied", "dissatisfied"))
    feedback = figures.get("feedback") or {}
    parent = unit.parent
    month = f"{period.start.month:02d}/{period.start.year}"
    return {
        "title": f"Báo cáo tình hình, kết quả giải quyết thủ tục hành chính tháng {month}",
        "month": month,
        "unit_heading": f"UBND {unit.name.upper()}",
        "unit_name": unit.name,
        "place": unit.name,
        "date_line": vn.date_line(generated_at),
        "from_to": f"từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}",
        "recipient": f"UBND {parent.name}" if parent else "",
        "rows": rows,
        "totals": totals,
        "on_time_share": _pct(totals["early"] + totals["on_time"], totals["resolved"]),
        "late_share": _pct(totals["late"], totals["resolved"]),
        "f": figures,
        "no_wait_share": _share(figures.get("no_wait_share")),
        "rated": rated,
        "satisfaction": {
            key: {"count": satisfaction.get(key, 0), "share": _pct(satisfaction.get(key, 0), rated)}
            for key in ("very_satisfied", "satisfied", "dissatisfied")
        },
        "feedback": feedback,
        "scores": figures.get("scores") or {},
        "frozen": frozen,
        "generated_line": vn.time_line(generated_at),
    }


def render_report_html(context: dict) -> str:
    with translation.override("vi"):
        return render_to_string("procedures/documents/monthly_report.html", {"r": context, "font_family": FONT_FAMILY})


def render_report_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    config, fonts = _fonts()
    html = HTML(string=render_report_html(context), base_url=str(settings.BASE_DIR))
    return html.write_pdf(stylesheets=[fonts], font_config=config)
