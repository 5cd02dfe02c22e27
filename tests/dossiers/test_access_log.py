"""The staff access log: every view of a dossier by someone other than its applicant is a row (who, when,
what), written by the staff page, the API detail and both file downloads; leaders read it on the staff page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from procedures.domain.workflow import DossierStatus
from procedures.models import AccessKind, DossierAccess

pytestmark = pytest.mark.django_db


def kinds(dossier, user=None):
    rows = DossierAccess.objects.filter(dossier=dossier)
    if user is not None:
        rows = rows.filter(user=user)
    return sorted(rows.values_list("kind", flat=True))


def test_page_api_and_files_are_logged_for_staff(world, client):
    d = world.to_status(DossierStatus.SUBMITTED)
    document = d.documents.get()
    client.force_login(world.desk)
    client.get(reverse("staff_dossier_detail", args=[d.code]))
    client.get(reverse("staff_dossier_document", args=[d.code, document.pk]))
    api = APIClient()
    api.force_authenticate(world.specialist)
    api.get(reverse("api-dossier-detail", args=[d.code]))
    api.get(reverse("api-dossier-document", args=[d.code, document.pk]))
    assert kinds(d, world.desk) == [AccessKind.FILE, AccessKind.PAGE]
    assert kinds(d, world.specialist) == [AccessKind.API, AccessKind.FILE]
    file_rows = DossierAccess.objects.filter(dossier=d, kind=AccessKind.FILE)
    assert {row.document_id for row in file_rows} == {document.pk}


def test_the_citizens_own_views_are_not_logged(world):
    d = world.to_status(DossierStatus.SUBMITTED)
    api = APIClient()
    api.force_authenticate(world.citizen)
    assert api.get(reverse("api-dossier-detail", args=[d.code])).status_code == 200
    assert api.get(reverse("api-dossier-document", args=[d.code, d.documents.get().pk])).status_code == 200
    assert kinds(d) == []


def test_views_refused_are_not_logged(world, client):
    d = world.to_status(DossierStatus.SUBMITTED)
    client.force_login(world.other_desk)
    assert client.get(reverse("staff_dossier_detail", args=[d.code])).status_code == 404
    assert kinds(d) == []


def test_leaders_see_the_log_and_others_do_not(world, client):
    d = world.to_status(DossierStatus.SUBMITTED)
    client.force_login(world.desk)
    response = client.get(reverse("staff_dossier_detail", args=[d.code]))
    assert response.context["access_log"] is None
    assert 'id="access-log"' not in response.content.decode()
    client.force_login(world.leader)
    response = client.get(reverse("staff_dossier_detail", args=[d.code]))
    log = response.context["access_log"]
    assert [(row.user, row.kind) for row in log] == [(world.leader, "page"), (world.desk, "page")]
    html = response.content.decode()
    assert 'id="access-log"' in html and world.desk.full_name in html


def test_the_log_keeps_the_latest_rows_on_the_page(world, client):
    from procedures.selectors.work_queues import ACCESS_LOG_ROWS

    d = world.to_status(DossierStatus.SUBMITTED)
    DossierAccess.objects.bulk_create(
        DossierAccess(dossier=d, user=world.desk, kind=AccessKind.API) for _ in range(ACCESS_LOG_ROWS + 5)
    )
    client.force_login(world.leader)
    assert len(client.get(reverse("staff_dossier_detail", args=[d.code])).context["access_log"]) == ACCESS_LOG_ROWS
    assert DossierAccess.objects.filter(dossier=d).count() == ACCESS_LOG_ROWS + 6
