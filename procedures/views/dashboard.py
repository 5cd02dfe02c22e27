"""The leaders' dashboards (/can-bo/bang-dieu-khien/…): the ward page, the district page, the drill-down list of
dossiers behind a number, the monthly report (PDF); every table also as CSV or Excel (`?format=csv|xlsx&table=`).

Thin: the figures come from procedures.selectors.dashboard (h33's contract), who sees which unit from
procedures.permissions (dashboard_units_visible_to, dashboard_officer_scope, can_view_district); the tables are
shaped once in procedures.selectors.dashboard_tables for the page and the files alike.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.units.calendar.domain.working_time import VIETNAM_TZ
from procedures.documents import monthly_report
from procedures.documents.exports import FORMATS, table_response
from procedures.domain.periods import Period, PeriodError, month_period, parse_period
from procedures.models import DashboardSnapshot, Procedure
from procedures.permissions import can_view_district, dashboard_officer_scope, dashboard_units_visible_to
from procedures.selectors import dashboard as figures_of
from procedures.selectors import dashboard_tables as tables
from procedures.views.staff_common import page_of

PRESET_CHOICES = ("month", "quarter", "year", "custom")


def _today() -> date:
    return timezone.now().astimezone(VIETNAM_TZ).date()


def _period(request) -> tuple[Period | None, PeriodError | None]:
    """The period asked for. The picker always sends its date boxes; they count only with "custom" (or no
    preset), so switching back to "this month" never trips over yesterday's dates."""
    preset = request.GET.get("preset", "").strip()
    start, end = request.GET.get("from"), request.GET.get("to")
    if preset and preset != "custom":
        start = end = None
    try:
        return parse_period(preset=preset or None, start=start, end=end, today=_today()), None
    except PeriodError as error:
        return None, error


def _units(user):
    units = dashboard_units_visible_to(user)
    if not units.exists():
        raise PermissionDenied
    return units


def _unit(request, units, *, default=None):
    """The unit of `?unit=<code>` among those the user may see (404 otherwise), else `default` or the user's."""
    code = request.GET.get("unit", "").strip()
    if code:
        unit = units.filter(code=code).first()
        if unit is None:
            raise Http404
        return unit
    for candidate in (default, getattr(request.user, "unit", None)):
        if candidate is not None and units.filter(pk=candidate.pk).exists():
            return candidate
    return units.order_by("code").first()


def _drillable(officer=None) -> frozenset[str]:
    """The numbers with a list behind them; ratings only for the whole unit (not a desk officer's own view)."""
    measures = frozenset(getattr(figures_of, "MEASURES", ()))
    return measures if officer is not None else measures | tables.RATING_MEASURES


def _export(request, tables_by_key: dict, suffix: str):
    """The `?format=` answer for `?table=` (optional when the page has one table), or None for the page."""
    fmt = request.GET.get("format")
    if not fmt:
        return None
    only = next(iter(tables_by_key)) if len(tables_by_key) == 1 else ""
    table = tables_by_key.get(request.GET.get("table") or only)
    if fmt not in FORMATS or table is None:
        return HttpResponse(
            _("Unknown export: choose format csv or xlsx and one of the page's tables."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return table_response(table, fmt, suffix=suffix)


def _period_suffix(unit, period: Period) -> str:
    return f"{unit.code}_{period.start:%Y%m%d}-{period.end:%Y%m%d}"


def _picker(request, period: Period | None) -> dict:
    preset = request.GET.get("preset", "") or ("custom" if request.GET.get("from") else "month")
    return {
        "preset": preset if preset in PRESET_CHOICES else "custom",
        "from": request.GET.get("from", "") if period is None else period.start.isoformat(),
        "to": request.GET.get("to", "") if period is None else period.end.isoformat(),
    }


def _base_query(unit, period: Period, officer=None) -> dict:
    base = {"unit": unit.code, "from": period.start.isoformat(), "to": period.end.isoformat()}
    if officer is not None:
        base["officer"] = officer.pk
    return base


@require_GET
@login_required
def ward_dashboard(request):
    units = _units(request.user)
    unit = _unit(request, units)
    if not request.GET.get("unit") and unit.children.exists() and can_view_district(request.user, unit):
        # A district (or province) leader's own unit receives no dossiers itself: their dashboard is its wards.
        query = request.GET.urlencode()
        return redirect(reverse("district_dashboard") + (f"?{query}" if query else ""))
    officer = dashboard_officer_scope(request.user, unit)
    period, error = _period(request)
    context = {"unit": unit, "units": units.order_by("code"), "officer": officer, "picker": _picker(request, period)}
    if error is not None:
        return render(request, "procedures/dashboard/ward.html", {**context, "error": error}, status=400)
    now = timezone.now()
    figures = figures_of.ward_figures(unit=unit, period=period, now=now, officer=officer)
    # Each table built on demand: an export reads only the figures of the table it asks for.
    builders = {
        "headline": lambda: tables.headline_table(figures),
        "procedures": lambda: tables.procedure_table(
            figures_of.figures_by_procedure(unit=unit, period=period, now=now, officer=officer)
        ),
        "officers": lambda: tables.officer_table(figures_of.figures_by_officer(unit=unit, period=period, now=now)),
        "satisfaction": lambda: tables.satisfaction_table(figures),
        "feedback": lambda: tables.feedback_table(figures),
        "scores": lambda: tables.scores_table(figures, figures_of.SCORE_FORMULAS),
        "trend": lambda: tables.trend_table(figures_of.monthly_trend(unit=unit, months=12, now=now)),
    }
    if officer is not None:  # desk staff: their own numbers, no colleagues' and no unit trend
        del builders["officers"], builders["trend"]
    if request.GET.get("format"):
        key = request.GET.get("table", "")
        return _export(request, {key: builders[key]()} if key in builders else {}, _period_suffix(unit, period))
    by_key = {key: build() for key, build in builders.items()}
    page_tables = list(by_key.values())
    trend = by_key["trend"].source if "trend" in by_key else []
    base = _base_query(unit, period, officer)
    return render(
        request,
        "procedures/dashboard/ward.html",
        {
            **context,
            "period": period,
            "figures": figures,
            "tables": by_key,
            "cells": {t.key: t.cells(base=base, drillable=_drillable(officer)) for t in page_tables},
            "formulas": figures_of.SCORE_FORMULAS,
            "definitions": list(getattr(figures_of, "DEFINITIONS", {}).values()),
            "trend_chart": tables.trend_chart(trend) if trend else None,
            "satisfaction_chart": tables.satisfaction_chart(figures),
            "satisfaction_summary": tables.chart_summary(tables.satisfaction_chart(figures)),
            "trend_summary": tables.chart_summary(tables.trend_chart(trend)) if trend else "",
            "export_query": request.GET.urlencode(),
            "report_month": period.end,
            "district": unit.parent if unit.parent_id and can_view_district(request.user, unit.parent) else None,
        },
    )


@require_GET
@login_required
def district_dashboard(request):
    units = _units(request.user)
    parents = units.filter(children__isnull=False).distinct().order_by("code")
    code = request.GET.get("unit", "").strip()
    if code:
        unit = parents.filter(code=code).first()
        if unit is None or not can_view_district(request.user, unit):
            raise Http404
    else:
        # The user's own unit when it has wards; else the first parent unit of their reach (a superuser's).
        own = parents.filter(pk=request.user.unit_id).first() if request.user.unit_id else None
        unit = next((u for u in ([own] if own else parents[:50]) if can_view_district(request.user, u)), None)
        if unit is None:
            raise PermissionDenied
    period, error = _period(request)
    context = {"unit": unit, "units": parents, "picker": _picker(request, period)}
    if error is not None:
        return render(request, "procedures/dashboard/district.html", {**context, "error": error}, status=400)
    now = timezone.now()
    wards = figures_of.district_figures(parent=unit, period=period, now=now)
    # ward_ranking() would count the wards again: rank the figures already read, by the same total score.
    ranking = figures_of.rank([(f.unit, f.scores["total"]) for f in wards])
    period_query = {"preset": "custom", "from": period.start.isoformat(), "to": period.end.isoformat()}
    table = tables.district_table(wards, ranking, period_query=period_query)
    exported = _export(request, {table.key: table}, _period_suffix(unit, period))
    if exported is not None:
        return exported
    base = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return render(
        request,
        "procedures/dashboard/district.html",
        {
            **context,
            "period": period,
            "table": table,
            "cells": table.cells(base=base, drillable=_drillable()),
            "ranking": ranking,
            "formulas": figures_of.SCORE_FORMULAS,
            "export_query": request.GET.urlencode(),
        },
    )


@require_GET
@login_required
def dashboard_dossiers(request):
    """The dossiers behind one number: ?measure=&from=&to=[&unit&procedure&officer]."""
    units = _units(request.user)
    unit = _unit(request, units)
    scope = dashboard_officer_scope(request.user, unit)
    officer = scope
    officer_id = request.GET.get("officer", "").strip()
    if scope is None and officer_id:
        if not officer_id.isdigit():
            raise Http404
        from portal.accounts.models import User

        officer = User.objects.filter(pk=int(officer_id), unit__in=units).first()
        if officer is None:
            raise Http404
    procedure = None
    procedure_code = request.GET.get("procedure", "").strip()
    if procedure_code:
        procedure = Procedure.objects.filter(code=procedure_code).first()
        if procedure is None:
            raise Http404
    measure = request.GET.get("measure", "")
    period, error = _period(request)
    context = {"unit": unit, "measure": measure, "procedure": procedure, "officer": officer}
    if error is None and measure not in _drillable(officer):
        error = PeriodError(_("Unknown figure: follow a number's link on the dashboard."), "measure")
    if error is not None:
        return render(request, "procedures/dashboard/dossiers.html", {**context, "error": error}, status=400)
    if measure in tables.RATING_MEASURES:
        dossiers = tables.rated_dossiers(unit=unit, period=period, level=measure, procedure=procedure)
    else:
        dossiers = figures_of.dossiers_behind(
            unit=unit, period=period, measure=measure, now=timezone.now(), officer=officer, procedure=procedure
        )
    dossiers = dossiers.select_related("procedure", "unit", "assigned_to")
    if request.GET.get("format"):
        table = tables.dossier_table(dossiers)
        return _export(request, {table.key: table}, f"{measure}_{_period_suffix(unit, period)}")
    page = page_of(dossiers, request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procedures/dashboard/dossiers.html",
        {
            **context,
            "period": period,
            "page_obj": page,
            "query_string": query.urlencode(),
            "measure_label": tables._labels().get(measure, measure),
        },
    )


@require_GET
@login_required
def monthly_report_pdf(request, year: int, month: int):
    units = _units(request.user)
    unit = _unit(request, units)
    if dashboard_officer_scope(request.user, unit) is not None:
        raise PermissionDenied  # the unit's report is the leaders'; desk staff see their own numbers only
    today = _today()
    if not 1 <= month <= 12 or not 2000 <= year <= 9999:
        raise Http404
    if (year, month) > (today.year, today.month):
        return HttpResponse(
            _("This month has not begun yet: there is no report for it."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    period = month_period(year, month)
    if period.end > today:
        period = Period(period.start, today)
    now = timezone.now()
    # A published month prints its frozen figures; the by-field breakdown is not in the snapshot and is counted.
    snapshot = DashboardSnapshot.objects.filter(unit=unit, month=period.start).first()
    figures = snapshot.figures if snapshot else figures_of.ward_figures(unit=unit, period=period, now=now).as_dict()
    rows = _procedure_rows_with_field(figures_of.figures_by_procedure(unit=unit, period=period, now=now))
    context = monthly_report.report_context(
        unit=unit, period=period, figures=figures, procedure_rows=rows, generated_at=now, frozen=snapshot is not None
    )
    response = HttpResponse(monthly_report.render_report_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-tthc_{unit.code}_{year}-{month:02d}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _procedure_rows_with_field(rows) -> list[dict]:
    """The by-procedure rows as dicts with each procedure's field name (one query), for the report's grouping."""
    codes = [r.code for r in rows]
    fields = dict(Procedure.objects.filter(code__in=codes).values_list("code", "field__name"))
    return [{"field": fields.get(r.code) or "", **{k: getattr(r, k) for k in tables.COUNTS}} for r in rows]
