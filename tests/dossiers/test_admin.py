"""The dossier admin: search and filters for a superuser, read-only record, no writes, rows within reach."""

import html
import re

import pytest
from django.test import Client

from procedures.domain.workflow import DossierStatus
from procedures.models import Dossier
from tests.factories import FieldFactory, UserFactory

CHANGELIST = "/admin/procedures/dossier/"


@pytest.fixture
def root(world):
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True, phone=""))
    return client


@pytest.fixture
def dossiers(world):
    """A received dossier of the ward's citizen, a submitted one of another citizen, one in the other ward."""
    received = world.to_status(DossierStatus.RECEIVED)
    submitted = world.submit(citizen=world.other_citizen)
    elsewhere = world.submit(citizen=world.other_citizen)
    Dossier.objects.filter(pk=elsewhere.pk).update(unit=world.other_unit)  # test set-up, not a write path
    return received, submitted, elsewhere


def codes(response) -> set[str]:
    return {d.code for d in response.context["cl"].result_list}


def test_superuser_searches_by_code_and_phone_in_any_spelling(root, world, dossiers):
    received, submitted, elsewhere = dossiers
    assert codes(root.get(CHANGELIST)) == {received.code, submitted.code, elsewhere.code}
    assert codes(root.get(CHANGELIST, {"q": received.code})) == {received.code}
    phone = world.other_citizen.phone  # stored as 0xxxxxxxxx
    spaced = f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}"
    assert codes(root.get(CHANGELIST, {"q": spaced})) == {submitted.code, elsewhere.code}
    assert codes(root.get(CHANGELIST, {"q": "0999999999"})) == set()


def test_filters_status_unit_channel_timeliness_field(root, world, dossiers):
    received, submitted, elsewhere = dossiers
    assert codes(root.get(CHANGELIST, {"status__exact": "received"})) == {received.code}
    assert codes(root.get(CHANGELIST, {"unit__id__exact": world.other_unit.pk})) == {elsewhere.code}
    assert codes(root.get(CHANGELIST, {"channel__exact": "online"})) == {received.code, submitted.code, elsewhere.code}
    assert codes(root.get(CHANGELIST, {"timeliness__exact": "late"})) == set()
    field = FieldFactory()
    world.procedure.field = field
    world.procedure.save()
    response = root.get(CHANGELIST, {"procedure__field__id__exact": field.pk})
    assert len(codes(response)) == 3
    assert field.name in response.content.decode()
    page = root.get(CHANGELIST).content.decode()
    this_year = re.search(r'href="(\?submitted_at__gte=[^"]+)"[^>]*>\s*Năm nay', page).group(1)
    assert len(codes(root.get(CHANGELIST + html.unescape(this_year)))) == 3  # the submission date filter
    last_year = {"submitted_at__gte": "2000-01-01 00:00:00+07:00", "submitted_at__lt": "2001-01-01 00:00:00+07:00"}
    assert codes(root.get(CHANGELIST, last_year)) == set()


def test_detail_is_read_only_with_documents_control_slip_and_history(root, world, dossiers):
    received, *_ = dossiers
    response = root.get(f"{CHANGELIST}{received.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert received.code in page
    assert "giay-to.pdf" in page  # the document's original name
    assert 'name="_save"' not in page  # no save button: read-only
    formsets = {f.formset.prefix: f for f in response.context["inline_admin_formsets"]}
    assert formsets["history"].formset.queryset.count() == 2  # submitted, received
    assert formsets["control_slip"].formset.queryset.count() == received.control_slip.count() >= 1
    assert formsets["documents"].formset.queryset.count() == 1
    assert 'name="history-0-comment"' not in page and 'name="status"' not in page  # plain text, no inputs


def test_no_add_change_or_delete_even_for_a_superuser(root, world, dossiers):
    received, *_ = dossiers
    before = Dossier.objects.get(pk=received.pk)
    assert root.get(f"{CHANGELIST}add/").status_code == 403
    assert root.post(f"{CHANGELIST}add/", {"code": "X"}).status_code == 403
    assert root.post(f"{CHANGELIST}{received.pk}/change/", {"status": "returned"}).status_code == 403
    assert root.post(f"{CHANGELIST}{received.pk}/delete/", {"post": "yes"}).status_code == 403
    response = root.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [received.pk], "post": "yes"})
    assert Dossier.objects.filter(pk=received.pk).exists()
    after = Dossier.objects.get(pk=received.pk)
    assert (after.status, after.version, after.updated_at) == (before.status, before.version, before.updated_at)
    assert response.status_code in (200, 302)


def test_unit_admin_sees_no_dossier_and_another_units_is_missing(world, dossiers):
    received, submitted, elsewhere = dossiers
    client = Client()
    client.force_login(UserFactory(unit_admin=True, unit=world.unit))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert codes(response) == set()
    for dossier in (received, elsewhere):
        assert client.get(f"{CHANGELIST}{dossier.pk}/change/").status_code == 404
        assert client.get(f"{CHANGELIST}{dossier.pk}/history/").status_code == 404
        assert client.post(f"{CHANGELIST}{dossier.pk}/change/", {"status": "returned"}).status_code == 403
        assert client.post(f"{CHANGELIST}{dossier.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Dossier.objects.count() == 3


def test_catalogue_editor_may_not_open_the_dossier_admin(world, dossiers):
    client = Client()
    client.force_login(UserFactory(catalogue_editor=True))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(f"{CHANGELIST}{dossiers[0].pk}/change/").status_code == 403


def test_changelist_queries_do_not_grow_with_rows(root, world, django_assert_max_num_queries):
    for _ in range(3):
        world.to_status(DossierStatus.RECEIVED)
    with django_assert_max_num_queries(30) as few:
        root.get(CHANGELIST)
    for _ in range(10):
        world.to_status(DossierStatus.RECEIVED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        root.get(CHANGELIST)
