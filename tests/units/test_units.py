import pytest
from django.db import IntegrityError, transaction

from portal.units.models import Unit
from portal.units.selectors import unit_subtree_ids, units_visible_to
from procedures.services.demo import DEMO_WARD_CODE, seed_demo
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_district_leader_sees_all_14_wards_ward_leader_only_their_own():
    seed_demo()
    district = Unit.objects.get(code="H26.08")
    ward = Unit.objects.get(code=DEMO_WARD_CODE)
    assert ward.name == "Phường Hoàng Liệt"
    assert district.children.count() == 14
    district_leader = UserFactory(leader=True, unit=district)
    ward_leader = UserFactory(leader=True, unit=ward)
    assert units_visible_to(district_leader).count() == 15
    assert list(units_visible_to(ward_leader)) == [ward]
    assert not units_visible_to(UserFactory()).exists()  # citizens see no unit's internals


def test_subtree_spans_three_levels():
    province = UnitFactory(code="P1", kind="province")
    district = UnitFactory(code="P1.1", kind="district", parent=province)
    ward = UnitFactory(code="P1.1.1", kind="ward", parent=district)
    assert set(unit_subtree_ids(province)) == {province.pk, district.pk, ward.pk}


def test_unit_codes_are_unique_and_charset_limited():
    UnitFactory(code="X1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(code="X1", name="dup", kind="ward")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(code="X 2/", name="bad", kind="ward")
