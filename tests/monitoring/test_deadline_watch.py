"""The staff page of dossiers due soon or overdue: who sees what, the apology state, sorting, query count."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from procedures.domain.workflow import Action, DossierStatus
from procedures.services.deadline_sweep import deadline_sweep

MONDAY_10 = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)
THURSDAY_11 = datetime(2026, 3, 12, 4, 0, tzinfo=UTC)


@pytest.fixture
def flagged(world):
    """Three dossiers of the ward: one overdue, one re-dated to Thursday 16:00, one due soon with its draft."""
    with time_machine.travel(MONDAY_10, tick=False):
        late = world.to_status(DossierStatus.IN_PROGRESS)  # due Thursday 10:00
        redated = world.to_status(DossierStatus.IN_PROGRESS)
        redated = world.act(world.specialist, redated, Action.REDATE, new_due_at=datetime(2026, 3, 12, 9, tzinfo=UTC))
    with time_machine.travel(datetime(2026, 3, 10, 4, 0, tzinfo=UTC), tick=False):
        soon = world.to_status(DossierStatus.IN_PROGRESS)  # due Friday 11:00
    with time_machine.travel(THURSDAY_11, tick=False):
        deadline_sweep()
    return late, soon, redated


def codes(response):
    return [d.code for d in response.context["page"].object_list]


def test_staff_of_the_unit_and_leaders_above_see_the_flagged_dossiers(client, world, flagged):
    late, soon, redated = flagged
    for user in (world.desk, world.specialist, world.leader, world.district_leader):
        client.force_login(user)
        with time_machine.travel(THURSDAY_11, tick=False):
            response = client.get(reverse("deadline_watch"))
        assert response.status_code == 200
        assert codes(response) == [late.code, redated.code, soon.code]  # most late first
    client.force_login(world.other_desk)
    assert codes(client.get(reverse("deadline_watch"))) == []


def test_apology_state_and_sorting(client, world, flagged):
    late, soon, redated = flagged
    client.force_login(world.leader)
    with time_machine.travel(THURSDAY_11, tick=False):
        response = client.get(reverse("deadline_watch"), {"sort": "due"})
        states = {d.code: d.apology_state for d in response.context["page"].object_list}
    assert codes(response) == [late.code, redated.code, soon.code]
    assert states == {late.code: "none", soon.code: "drafted", redated.code: "issued"}
    content = response.content.decode()
    assert "quá hạn" in content and "sắp đến hạn" in content


def test_a_bad_sort_falls_back_and_the_query_count_is_flat(client, world, flagged, django_assert_max_num_queries):
    client.force_login(world.leader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("deadline_watch"), {"sort": "'; drop table", "page": "x"})
    assert response.status_code == 200 and response.context["sort"] == "late"


def test_citizens_are_refused(client, world):
    client.force_login(world.citizen)
    assert client.get(reverse("deadline_watch")).status_code == 403
