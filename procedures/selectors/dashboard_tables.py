"""The dashboards' tables: h33's figures (procedures.selectors.dashboard) shaped as `Table`s for the page,
the CSV/XLSX exports and the drill-down links, so a page and its export can never show different numbers.

Each `PageTable` is an exports.Table plus, per cell, the drill-down measure behind the number (or None): the
template turns a measure into a link to /can-bo/bang-dieu-khien/ho-so/ only when the selectors name it in
MEASURES, so a figure nobody can list is shown without a dead link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from procedures.documents.exports import Table
from procedures.domain.feedback import SatisfactionLevel

# The ward figures drawn on the page, in order: (attribute, share attribute or None).
HEADLINE = (
    ("received", None),
    ("resolved", None),
    ("early", "early_share"),
    ("on_time", "on_time_share"),
    ("late", "late_share"),
    ("in_progress", None),
    ("overdue_now", None),
    ("due_soon", None),
    ("no_wait_received", None),
    ("online_received", None),
    ("digitised", None),
)
# The selectors' measure behind a headline figure, where its name differs from the attribute.
HEADLINE_MEASURE = {"no_wait_received": "no_wait", "online_received": "online"}
COUNTS = ("received", "resolved", "early", "on_time", "late", "in_progress", "overdue_now")
SATISFACTION_LEVELS = ("very_satisfied", "satisfied", "dissatisfied")
FEEDBACK_KEYS = ("received", "answered", "answered_on_time", "answered_late", "open", "overdue_now")
SCORE_KEYS = (("progress", 20), ("satisfaction", 18), ("online", 22), ("digitisation", 22))


def _labels() -> dict[str, str]:
    """Column and row labels, translated when called (the request's language)."""
    return {
        "received": _("Received"),
        "resolved": _("Resolved"),
        "early": _("Early"),
        "on_time": _("On time"),
        "late": _("Late"),
        "in_progress": _("In progress"),
        "overdue_now": _("Overdue now"),
        "due_soon": _("Due soon"),
        "no_wait_received": _("No-wait dossiers received"),
        "no_wait": _("No-wait dossiers received"),
        "online_received": _("Received online"),
        "online": _("Received online"),
        "digitised": _("Received with every document digitised"),
        "very_satisfied": _("Very satisfied"),
        "satisfied": _("Satisfied"),
        "dissatisfied": _("Dissatisfied"),
        "answered": _("Answered"),
        "answered_on_time": _("Answered on time"),
        "answered_late": _("Answered late"),
        "open": _("Open"),
        "total": _("Total"),
    }


def _score_labels() -> dict[str, str]:
    return {
        "progress": _("Progress"),
        "satisfaction": _("Satisfaction"),
        "online": _("Online services"),
        "digitisation": _("Digitisation"),
        "total": _("Total"),
    }


@dataclass
class PageTable(Table):
    """A table of the page: `key` names it in `?table=` for the export; `measures[i][j]` the drill-down of
    rows[i][j] (a dict of query parameters incl. `measure`) or None."""

    key: str = ""
    measures: list[list] = field(default_factory=list)
    source: list = field(default_factory=list)  # what the rows were made of, for a chart of the same numbers

    def cells(self, *, base: dict, drillable: frozenset[str]) -> list[list[tuple]]:
        """Rows of (value, url or None) for the template; a cell's {"href": …} links where it says."""
        url = reverse("dashboard_dossiers")
        out = []
        for i, values in enumerate(self.rows):
            links = self.measures[i] if i < len(self.measures) else []
            row = []
            for j, value in enumerate(values):
                params = links[j] if j < len(links) else None
                href = None
                if params and "href" in params:
                    href = params["href"]
                elif params and params.get("measure") in drillable and value not in (0, None, ""):
                    href = f"{url}?{urlencode({**base, **params})}"
                row.append((value, href))
            out.append(row)
        return out


# Satisfaction counts drill down to the rated dossiers (the selectors' MEASURES are dossier counts only).
RATING_MEASURES = frozenset(level.value for level in SatisfactionLevel)


def rated_dossiers(*, unit, period, level: str, procedure=None):
    """The dossiers of `unit` rated `level` in `period` — what the satisfaction table counts (ratings by the
    local day they were given, as procedures.selectors.dashboard counts them)."""
    from procedures.models import Dossier

    start, end = period.bounds()
    qs = Dossier.objects.filter(
        rating__unit=unit, rating__level=level, rating__rated_at__gte=start, rating__rated_at__lt=end
    )
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    return qs.order_by("-submitted_at", "-pk")


def share_text(value) -> str:
    """0.975 → "97,5%" in Vietnamese, "97.5%" in English (the same text on the page and in the files)."""
    return "" if value is None else f"{number_format(round(100 * value, 1), 1)}%"  # it truncates, not rounds


def headline_table(figures) -> PageTable:
    labels = _labels()
    rows, measures = [], []
    for attr, share in HEADLINE:
        value = getattr(figures, attr)
        rows.append([labels[attr], value, share_text(getattr(figures, share)) if share else ""])
        measures.append([None, {"measure": HEADLINE_MEASURE.get(attr, attr)}, None])
    rows.append([_("No-wait share"), share_text(figures.no_wait_share), ""])
    measures.append([None, None, None])
    median = figures.no_wait_median_minutes
    target = figures.no_wait_target_minutes
    rows.append([_("No-wait median minutes (target)"), median, target])
    measures.append([None, None, None])
    return PageTable(
        key="headline",
        title=_("Headline figures"),
        headers=[_("Figure"), _("Dossiers"), _("Share of resolved")],
        rows=rows,
        measures=measures,
        slug="so-lieu-chinh",
    )


def _count_rows(rows, first_cols, extra_param) -> tuple[list, list]:
    out, measures = [], []
    for row in rows:
        values = [getattr(row, c) for c in COUNTS]
        out.append([*first_cols(row), *values])
        param = extra_param(row)
        links = [None] * len(COUNTS) if param is None else [{"measure": c, **param} for c in COUNTS]
        measures.append([None] * len(first_cols(row)) + links)
    return out, measures


def procedure_table(rows) -> PageTable:
    labels = _labels()
    body, measures = _count_rows(
        rows,
        lambda r: [r.code, r.name],
        lambda r: {"procedure": r.code},
    )
    return PageTable(
        key="procedures",
        title=_("By procedure"),
        headers=[_("Code"), _("Procedure"), *(labels[c] for c in COUNTS)],
        rows=body,
        measures=measures,
        slug="theo-thu-tuc",
    )


def officer_table(rows) -> PageTable:
    labels = _labels()
    body, measures = _count_rows(
        rows, lambda r: [r.name], lambda r: None if r.officer_id is None else {"officer": r.officer_id}
    )
    return PageTable(
        key="officers",
        title=_("By officer"),
        headers=[_("Officer"), *(labels[c] for c in COUNTS)],
        rows=body,
        measures=measures,
        slug="theo-can-bo",
    )


def satisfaction_table(figures) -> PageTable:
    labels = _labels()
    counts = figures.satisfaction or {}
    total = sum(counts.get(k, 0) for k in SATISFACTION_LEVELS)
    rows = [
        [labels[k], counts.get(k, 0), share_text(counts.get(k, 0) / total if total else None)]
        for k in SATISFACTION_LEVELS
    ]
    rows.append([_("Total"), total, ""])
    return PageTable(
        key="satisfaction",
        title=_("Satisfaction ratings"),
        headers=[_("Rating"), _("Ratings"), _("Share")],
        rows=rows,
        measures=[[None, {"measure": k}, None] for k in SATISFACTION_LEVELS],
        slug="danh-gia-hai-long",
    )


def feedback_table(figures) -> PageTable:
    labels = _labels()
    counts = figures.feedback or {}
    return PageTable(
        key="feedback",
        title=_("Feedback and complaints"),
        headers=[_("Figure"), _("Count")],
        rows=[[labels[k], counts.get(k, 0)] for k in FEEDBACK_KEYS],
        slug="phan-anh-kien-nghi",
    )


def scores_table(figures, formulas: dict) -> PageTable:
    labels = _score_labels()
    scores = figures.scores or {}
    rows = [[labels[k], scores.get(k), most, str(formulas.get(k, ""))] for k, most in SCORE_KEYS]
    rows.append([labels["total"], scores.get("total"), sum(m for _k, m in SCORE_KEYS), str(formulas.get("total", ""))])
    return PageTable(
        key="scores",
        title=_("Decision 766/QĐ-TTg scores"),
        headers=[_("Group"), _("Points"), _("Out of"), _("Formula")],
        rows=rows,
        slug="diem-766",
    )


def _get(obj, name, default=None):
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def trend_point_period(point):
    return _get(point, "month") or _get(point, "period")


def trend_point_figures(point) -> dict:
    figures = _get(point, "figures")
    if figures is None:
        figures = point if isinstance(point, dict) else {}
    return figures.as_dict() if hasattr(figures, "as_dict") else figures


def trend_table(points) -> PageTable:
    labels = _labels()
    rows, measures = [], []
    for point in points:
        month = trend_point_period(point)
        figures = trend_point_figures(point)
        rows.append(
            [
                month.label,
                *(figures.get(c, 0) for c in ("received", "resolved", "early", "on_time", "late")),
                share_text(_on_time_share(figures)),
                _("published") if _get(point, "frozen") else _("live"),
            ]
        )
        period = {"from": month.start.isoformat(), "to": month.end.isoformat()}
        measures.append(
            [
                None,
                *({"measure": c, **period} for c in ("received", "resolved", "early", "on_time", "late")),
                None,
                None,
            ]
        )
    return PageTable(
        key="trend",
        title=_("Last 12 months"),
        headers=[
            _("Month"),
            *(labels[c] for c in ("received", "resolved", "early", "on_time", "late")),
            _("Early or on time"),
            _("Figures"),
        ],
        rows=rows,
        measures=measures,
        source=list(points),
        slug="xu-huong-12-thang",
    )


def _on_time_share(figures: dict):
    resolved = figures.get("resolved") or 0
    if not resolved:
        return None
    return ((figures.get("early") or 0) + (figures.get("on_time") or 0)) / resolved


def trend_chart(points) -> dict:
    """The trend chart's JSON (labels, datasets) — the same numbers as trend_table."""
    labels = _labels()
    months, series = [], {c: [] for c in ("received", "resolved", "late")}
    shares = []
    for point in points:
        figures = trend_point_figures(point)
        months.append(trend_point_period(point).label)
        for c in series:
            series[c].append(figures.get(c, 0))
        share = _on_time_share(figures)
        shares.append(None if share is None else round(100 * share, 1))
    return {
        "type": "bar",
        "labels": months,
        "datasets": [
            *({"label": labels[c], "data": series[c]} for c in series),
            {"label": _("Early or on time (%)"), "data": shares, "type": "line", "axis": "share"},
        ],
    }


def chart_summary(chart: dict) -> str:
    """The chart's numbers in words, for its aria-label: "Received: 3, 5; Resolved: 2, 4"."""
    parts = []
    for dataset in chart["datasets"]:
        values = ", ".join("—" if v is None else str(v) for v in dataset["data"])
        parts.append(f"{dataset['label']}: {values}")
    return "; ".join(parts)


def satisfaction_chart(figures) -> dict:
    labels = _labels()
    counts = figures.satisfaction or {}
    return {
        "type": "bar",
        "labels": [labels[k] for k in SATISFACTION_LEVELS],
        "datasets": [{"label": _("Ratings"), "data": [counts.get(k, 0) for k in SATISFACTION_LEVELS]}],
    }


def district_table(wards, ranking, *, period_query: dict | None = None) -> PageTable:
    """One row per ward: place ("3/14"), score and the ward figures side by side; the ward's name links to its
    dashboard for the same period (`period_query`)."""
    period_query = period_query or {}
    labels = _labels()
    places = {entry.unit.pk if hasattr(entry.unit, "pk") else entry.unit: entry for entry in ranking}
    total = len(ranking)
    rows, measures = [], []
    for figures in wards:
        entry = places.get(figures.unit.pk) or places.get(figures.unit.code)
        rows.append(
            [
                f"{entry.place}/{total}" if entry else "",
                figures.unit.name,
                entry.score if entry else None,
                *(getattr(figures, c) for c in COUNTS),
                share_text(figures.no_wait_share),
                share_text(figures.satisfied_share),
            ]
        )
        unit = {"unit": figures.unit.code}
        ward_page = {"href": f"{reverse('ward_dashboard')}?{urlencode({**unit, **period_query})}"}
        measures.append([None, ward_page, None, *({"measure": c, **unit} for c in COUNTS), None, None])
    order = sorted(range(len(rows)), key=lambda i: (_place_key(rows[i][0]), rows[i][1]))
    return PageTable(
        key="wards",
        title=_("Wards side by side"),
        headers=[
            _("Rank"),
            _("Ward"),
            _("Score"),
            *(labels[c] for c in COUNTS),
            _("No-wait share"),
            _("Satisfied share"),
        ],
        rows=[rows[i] for i in order],
        measures=[measures[i] for i in order],
        slug="xep-hang-phuong",
    )


def _place_key(place: str) -> int:
    try:
        return int(place.split("/")[0])
    except (ValueError, IndexError):
        return 10**6


def dossier_table(dossiers) -> PageTable:
    """The drill-down list: one row per dossier (the page links the code to the staff dossier page)."""
    rows = []
    for d in dossiers:
        rows.append(
            [
                d.code,
                d.procedure.name,
                d.unit.name,
                d.get_status_display(),
                _local(d.received_at),
                _local(d.redated_due_at or d.due_at),
                _local(d.finished_at),
                d.get_timeliness_display() if d.timeliness else "",
                (d.assigned_to.full_name or d.assigned_to.username) if d.assigned_to_id else "",
            ]
        )
    return PageTable(
        key="dossiers",
        title=_("Dossiers behind the figure"),
        headers=[
            _("Dossier code"),
            _("Procedure"),
            _("Unit"),
            _("Status"),
            _("Received"),
            _("Due"),
            _("Finished"),
            _("Timeliness"),
            _("Responsible officer"),
        ],
        rows=rows,
        slug="ho-so",
    )


def _local(at):
    if at is None:
        return ""
    from procedures.documents.vietnamese import short

    return short(at)
