from datetime import date

from procedures.domain.periods import Period
from procedures.selectors.dashboard import district_figures, ward_figures, ward_ranking
from tests.dashboard.conftest import local, make_dossier


def test_ward_figures_count_a_received_and_resolved_dossier(ward_a, ward_b, procedure, applicant):
    make_dossier(
        unit=ward_a,
        procedure=procedure,
        applicant=applicant,
        received_at=local(2026, 3, 2, 9),
        due_at=local(2026, 3, 5, 9),
        finished_at=local(2026, 3, 4, 9),
        timeliness="early",
    )
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    f = ward_figures(unit=ward_a, period=period, now=local(2026, 4, 1, 9))
    assert (f.received, f.resolved, f.early, f.in_progress) == (1, 1, 1, 0)
    assert f.as_dict()["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    rows = district_figures(parent=ward_a.parent, period=period, now=local(2026, 4, 1, 9))
    assert [r.received for r in rows] == [1, 0]
    assert [(e.name, e.place) for e in ward_ranking(parent=ward_a.parent, period=period, now=local(2026, 4, 1, 9))] == [
        ("Ward A", 1),
        ("Ward B", 2),
    ]
