"""The ward and district pages, the drill-down list and the period errors, as each role sees them."""

from __future__ import annotations

import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db

WARD = "/can-bo/bang-dieu-khien/"
DISTRICT = "/can-bo/bang-dieu-khien/quan-huyen/"
DRILL = "/can-bo/bang-dieu-khien/ho-so/"


def _get(client, user, path, **params):
    client.force_login(user)
    return client.get(path, params)


def _row(html: str, table: str, first_cell: str) -> list[str]:
    """The cells' text of the row of table #table-<table> whose first cell reads `first_cell`."""
    body = re.search(rf'<table[^>]*id="table-{table}".*?</table>', html, re.S).group(0)
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} in {table}")


def _dossier_codes(html: str) -> list[str]:
    """The dossiers listed, by their links to the staff dossier page."""
    return re.findall(r'href="/can-bo/ho-so/([^"/]+)/"', html)


def _links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(/can-bo/bang-dieu-khien/ho-so/\?[^"]+)"', html)]


def test_leader_sees_the_ward_figures_with_shares(client, district_world):
    html = _get(client, district_world["users"]["leader"], WARD).content.decode()
    assert 'id="figure-received">5<' in html
    assert 'id="figure-overdue">1<' in html
    assert _row(html, "headline", "Đã nhận")[1] == "5"
    assert _row(html, "headline", "Trước hạn")[1:] == ["1", "33,3%"]
    assert _row(html, "headline", "Quá hạn")[1:] == ["1", "33,3%"]
    assert _row(html, "procedures", "1.001193")[1:5] == ["Đăng ký khai sinh", "3", "2", "1"]
    # Her dossiers: on time, late and the overdue one.
    assert _row(html, "officers", "Trần Thị Hai")[1:5] == ["3", "2", "0", "1"]
    assert "Tiến độ giải quyết (20 điểm) = 20 ×" in html  # each score's formula is on the page
    assert 'id="definitions"' in html  # and what each number counts
    assert "chart.umd.min.js" in html and "<script>" not in html  # data travels as JSON, no inline script


def test_every_count_drills_down_to_its_dossiers(client, district_world):
    leader = district_world["users"]["leader"]
    html = _get(client, leader, WARD).content.decode()
    late = next(link for link in _links(html) if "measure=late" in link and "procedure" not in link)
    listing = client.get(late).content.decode()
    assert district_world["dossiers"]["late"].code in listing
    assert district_world["dossiers"]["early"].code not in listing
    assert f'href="/can-bo/ho-so/{district_world["dossiers"]["late"].code}/"' in listing
    # The procedure row's numbers carry the procedure.
    birth = next(link for link in _links(html) if "measure=received" in link and "procedure=1.001193" in link)
    listing = client.get(birth).content.decode()
    assert len(_dossier_codes(listing)) == 3


def test_desk_officer_sees_own_numbers_only(client, district_world):
    html = _get(client, district_world["users"]["desk"], WARD).content.decode()
    assert 'id="own-numbers"' in html
    assert 'id="figure-received">1<' in html
    assert 'id="table-officers"' not in html and 'id="link-report"' not in html
    # The drill-down keeps them to their own dossiers whatever the query says.
    listing = _get(
        client, district_world["users"]["desk"], DRILL, measure="received", **{"from": "2026-03-01", "to": "2026-03-20"}
    )
    assert _dossier_codes(listing.content.decode()) == [district_world["dossiers"]["early"].code]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"preset": "custom", "from": "2026-03-10", "to": "2026-03-01"}, "period-to"),  # ends before it starts
        ({"preset": "custom", "from": "2026-03-01", "to": "2026-04-01"}, "period-to"),  # ends in the future
        ({"preset": "custom", "from": "2026-04-01", "to": "2026-04-02"}, "period-from"),  # starts in the future
        ({"preset": "custom", "from": "01/03/2026"}, "period-from"),  # not a date
        ({"preset": "decade"}, "period-select"),
    ],
)
def test_impossible_periods_are_refused_clearly(client, district_world, params, field):
    response = _get(client, district_world["users"]["leader"], WARD, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert" id="period-error"' in html
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html)  # the faulty box is marked
    assert 'id="table-headline"' not in html


def test_a_preset_ignores_leftover_dates(client, district_world):
    response = _get(
        client, district_world["users"]["leader"], WARD, preset="year", **{"from": "2026-03-10", "to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "01-01-2026 – 20-03-2026" in response.content.decode()


def test_custom_period_and_unit_of_the_subtree(client, district_world):
    leader = district_world["users"]["district_leader"]
    html = _get(
        client, leader, WARD, unit="P1.D1.B", preset="custom", **{"from": "2026-03-01", "to": "2026-03-02"}
    ).content.decode()
    assert 'id="figure-received">1<' in html
    assert _get(client, leader, WARD, unit="P1.D2").status_code == 404  # outside the subtree
    assert _get(client, district_world["users"]["leader"], WARD, unit="P1.D1.B").status_code == 404


def test_district_ranks_wards_with_their_place(client, district_world):
    response = _get(client, district_world["users"]["district_leader"], DISTRICT)
    html = response.content.decode()
    assert _row(html, "wards", "1/2")[1:4] == ["Phường Bình", "20,0", "2"]
    assert _row(html, "wards", "2/2")[1:4] == ["Phường An", "12,0", "5"]
    assert 'id="ranking-formula"' in html
    assert any("unit=P1.D1.A" in link and "measure=late" in link for link in _links(html))
    # Each ward's name opens its own dashboard for the same period.
    ward_page = "/can-bo/bang-dieu-khien/?unit=P1.D1.A&amp;preset=custom&amp;from=2026-03-01&amp;to=2026-03-20"
    assert f'href="{ward_page}"' in html


def test_a_district_leader_lands_on_the_ward_comparison(client, district_world):
    response = _get(client, district_world["users"]["district_leader"], WARD, preset="year")
    assert response.status_code == 302 and response["Location"] == DISTRICT + "?preset=year"


def test_district_page_refuses_ward_staff_and_other_districts(client, district_world):
    users = district_world["users"]
    assert _get(client, users["leader"], DISTRICT).status_code == 403
    assert _get(client, users["leader"], DISTRICT, unit="P1.D1").status_code == 404
    assert _get(client, users["other_leader"], DISTRICT, unit="P1.D1").status_code == 404
    assert _get(client, users["citizen"], DISTRICT).status_code == 403


def test_drill_down_refuses_unknown_measure_and_foreign_officer(client, district_world):
    leader = district_world["users"]["leader"]
    response = _get(client, leader, DRILL, measure="bogus")
    assert response.status_code == 400 and 'id="period-error"' in response.content.decode()
    outsider = district_world["users"]["other_leader"]
    assert _get(client, leader, DRILL, measure="received", officer=outsider.pk).status_code == 404
    assert _get(client, leader, DRILL, measure="received", procedure="9.999999").status_code == 404


def test_drill_down_is_paginated(client, district_world, settings):
    from procedures.views import staff_common

    leader = district_world["users"]["leader"]
    original = staff_common.PAGE_SIZE
    staff_common.PAGE_SIZE = 2
    try:
        html = _get(client, leader, DRILL, measure="received").content.decode()
        assert len(_dossier_codes(html)) == 2
        assert "page=2" in html and "measure=received" in html
        second = client.get(DRILL, {"measure": "received", "page": 3}).content.decode()
        assert len(_dossier_codes(second)) == 1
    finally:
        staff_common.PAGE_SIZE = original


def _queries(client, path, params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_page_queries_do_not_grow_with_the_data(client, district_world):
    """More dossiers, procedures and officers: the same number of queries on every page."""
    from tests.dashboard_pages.conftest import dossier, local
    from tests.factories import ProcedureFactory, UserFactory

    world = district_world
    client.force_login(world["users"]["district_leader"])
    pages = [
        (WARD, {"unit": "P1.D1.A"}),
        (DISTRICT, {}),
        (DRILL, {"unit": "P1.D1.A", "measure": "received"}),
        ("/can-bo/bang-dieu-khien/bao-cao/2026-03/", {"unit": "P1.D1.A"}),
    ]
    for path, params in pages:  # the units' working calendars are cached after the first request
        client.get(path, params)
    before = [_queries(client, path, params) for path, params in pages]
    for n in range(6):
        officer = UserFactory(specialist=True, unit=world["ward_a"])
        procedure = ProcedureFactory()
        received = local(2026, 3, 2 + n, 9)
        dossier(
            world["ward_a"], procedure, world["users"]["citizen"], received, local(2026, 3, 19, 9), assigned_to=officer
        )
        dossier(
            world["ward_b"],
            procedure,
            world["users"]["citizen"],
            received,
            local(2027, 1, 1, 9),
            local(2026, 3, 12, 9),
            "early",
        )
    assert [_queries(client, path, params) for path, params in pages] == before


def test_satisfaction_counts_drill_down_to_the_rated_dossiers(client, district_world):
    from procedures.models import Rating
    from tests.dashboard_pages.conftest import local

    d = district_world["dossiers"]
    ward = district_world["ward_a"]
    Rating.objects.create(
        dossier=d["early"], unit=ward, level="very_satisfied", channel="online", rated_at=local(2026, 3, 4, 9)
    )
    Rating.objects.create(
        dossier=d["on_time"], unit=ward, level="very_satisfied", channel="online", rated_at=local(2026, 3, 6, 9)
    )
    Rating.objects.create(
        dossier=d["late"],
        unit=ward,
        level="dissatisfied",
        reason="Chậm",
        channel="online",
        rated_at=local(2026, 3, 11, 9),
    )
    html = _get(client, district_world["users"]["leader"], WARD).content.decode()
    assert _row(html, "satisfaction", "Rất hài lòng")[1:] == ["2", "66,7%"]
    assert _row(html, "satisfaction", "Không hài lòng")[1:] == ["1", "33,3%"]
    link = next(link for link in _links(html) if "measure=dissatisfied" in link)
    assert _dossier_codes(client.get(link).content.decode()) == [d["late"].code]
    # A desk officer's own view has no rating lists.
    desk = _get(client, district_world["users"]["desk"], DRILL, measure="very_satisfied")
    assert desk.status_code == 400
