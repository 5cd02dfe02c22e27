"""A unit admin manages the staff of their own unit in the admin site, and nothing else."""

import pytest

from portal.accounts.models import User
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_wards():
    return UnitFactory(code="W1", name="Phường Một"), UnitFactory(code="W2", name="Phường Hai")


def test_unit_admin_sees_only_their_units_staff(client, two_wards):
    w1, w2 = two_wards
    admin = UserFactory(unit_admin=True, unit=w1, username="qt1")
    UserFactory(desk=True, unit=w1, username="desk_w1")
    UserFactory(desk=True, unit=w2, username="desk_w2")
    UserFactory(username="citizen_x")
    client.force_login(admin)
    html = client.get("/admin/accounts/user/").content.decode()
    assert "desk_w1" in html
    assert "desk_w2" not in html and "citizen_x" not in html
    other = User.objects.get(username="desk_w2")
    assert client.get(f"/admin/accounts/user/{other.pk}/change/").status_code == 404  # out of reach = not found


def test_unit_admin_creates_a_desk_officer_in_their_unit_only(client, two_wards):
    w1, w2 = two_wards
    client.force_login(UserFactory(unit_admin=True, unit=w1))
    form = {
        "username": "lan",
        "full_name": "Đỗ Thị Lan",
        "role": "desk_officer",
        "unit": w1.pk,
        "password1": "Lan-mot-cua-2026",
        "password2": "Lan-mot-cua-2026",
        "usable_password": "true",
    }
    assert client.post("/admin/accounts/user/add/", form).status_code == 302
    assert User.objects.get(username="lan").unit == w1
    response = client.post("/admin/accounts/user/add/", {**form, "username": "lan2", "unit": w2.pk})
    assert response.status_code == 200  # the other ward is not a valid choice
    assert not User.objects.filter(username="lan2").exists()


def test_unit_admin_cannot_delete_accounts_and_desk_officer_has_no_admin(client, two_wards):
    w1, _ = two_wards
    target = UserFactory(desk=True, unit=w1)
    client.force_login(UserFactory(unit_admin=True, unit=w1))
    assert client.post(f"/admin/accounts/user/{target.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=target.pk).exists()
    client.force_login(target)
    assert client.get("/admin/").status_code == 302  # desk officers are not admin-site users


def test_a_new_unit_admin_gets_admin_site_access_from_the_role(client, two_wards):
    w1, _ = two_wards
    client.force_login(UserFactory(unit_admin=True, unit=w1))
    form = {
        "username": "qt2",
        "full_name": "Vũ Văn Hải",
        "role": "unit_admin",
        "unit": w1.pk,
        "password1": "Hai-mot-cua-2026",
        "password2": "Hai-mot-cua-2026",
        "usable_password": "true",
    }
    client.post("/admin/accounts/user/add/", form)
    assert User.objects.get(username="qt2").is_staff


def test_own_password_change_on_the_admin_site_goes_through_the_service(client, two_wards):
    """The owner's new password is validated, saved, and lifts any login lock on the account."""
    from axes.models import AccessAttempt

    from portal.accounts.lockout import lockout_key

    w1, _ = two_wards
    admin = UserFactory(unit_admin=True, unit=w1, username="qt_pw")
    admin.set_password("Cu-MatKhau-2026")
    admin.save()
    AccessAttempt.objects.create(
        username=lockout_key(None, {"username": "qt_pw"}), ip_address="10.0.0.1", user_agent="t", failures_since_start=3
    )
    client.force_login(admin)
    weak = client.post(
        "/admin/password_change/",
        {"old_password": "Cu-MatKhau-2026", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200 and weak.context["form"].errors  # the validators still apply
    done = client.post(
        "/admin/password_change/",
        {"old_password": "Cu-MatKhau-2026", "new_password1": "Moi-MatKhau-2026!", "new_password2": "Moi-MatKhau-2026!"},
    )
    assert done.status_code == 302
    admin.refresh_from_db()
    assert admin.check_password("Moi-MatKhau-2026!")
    assert not AccessAttempt.objects.filter(username=lockout_key(None, {"username": "qt_pw"})).exists()


def test_only_a_superuser_deletes_an_account_and_through_the_service(client, two_wards):
    from django.core.exceptions import PermissionDenied

    from portal.accounts.services import user_delete

    w1, _ = two_wards
    unit_admin = UserFactory(unit_admin=True, unit=w1, username="qt_del")
    mistake = UserFactory(desk=True, unit=w1, username="nham")
    with pytest.raises(PermissionDenied):
        user_delete(actor=unit_admin, user=mistake)
    client.force_login(UserFactory(is_superuser=True, is_staff=True, unit=w1, role="unit_admin"))
    assert client.post(f"/admin/accounts/user/{mistake.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not User.objects.filter(username="nham").exists()
