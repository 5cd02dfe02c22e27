import pytest
from django.db import IntegrityError, transaction

from portal.accounts.models import Role, User
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_account_without_unit_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", full_name="X", role=Role.DESK_OFFICER, unit=None)


def test_phone_and_email_are_unique_but_blank_is_allowed_many_times():
    UserFactory(phone="0912000001", email="a@example.vn")
    UserFactory(phone="", email="", desk=True)
    UserFactory(phone="", email="", desk=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(phone="0912000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="A@Example.VN")  # email uniqueness ignores case


def test_role_helpers():
    unit = UnitFactory()
    leader = UserFactory(leader=True, unit=unit)
    citizen = UserFactory()
    assert leader.is_leader and leader.is_unit_staff and not leader.is_citizen
    assert citizen.is_citizen and not citizen.is_unit_staff


@pytest.mark.parametrize("phone", ["０９１２０００００１", "09１2000001", "٠٩١٢٠٠٠٠٠١", "+84912000001"])
def test_the_database_refuses_a_phone_that_is_not_normalised_ascii_digits(phone):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", full_name="X", phone=phone)


def test_model_validation_normalises_phone_and_cccd_before_storing():
    user = User(username="y", full_name="Y", phone="０９１２ ０００ ００２", cccd="００１２０３０１２３４５")
    user.set_unusable_password()
    user.full_clean()
    assert (user.phone, user.cccd) == ("0912000002", "001203012345")
