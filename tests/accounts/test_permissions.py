"""Nobody may act on an account with more rights than their own, nor grant rights they lack.

The rule (portal/accounts/permissions.py) is tested as a matrix twice: directly, and through every admin page
that writes an account (change form, password form, add form) with the exact HTTP status.
"""

import pytest
from django.contrib.auth.models import Permission

from portal.accounts import permissions, services
from portal.accounts.models import User
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Pass-word-123"
NEW_PASSWORD = "Hoan-toan-moi-2026"


@pytest.fixture
def world():
    """District D with ward W1 below it; ward X elsewhere. Actors sit in D."""
    district = UnitFactory(code="D1", name="Quận Một", kind="district")
    w1 = UnitFactory(code="D1.W1", name="Phường Một", parent=district)
    x = UnitFactory(code="X9", name="Phường Xa")
    extra = UserFactory(desk=True, unit=w1, username="extra_perms")
    extra.user_permissions.add(Permission.objects.get(codename="delete_user"))
    people = {
        "superuser": UserFactory(unit_admin=True, unit=district, is_superuser=True, username="root"),
        "unit_admin": UserFactory(unit_admin=True, unit=district, username="qt_quan"),
        "desk": UserFactory(desk=True, unit=district, username="desk_quan"),
        "peer_admin": UserFactory(unit_admin=True, unit=district, username="qt_quan_2"),
        "subtree_desk": UserFactory(desk=True, unit=w1, username="desk_w1"),
        "other_desk": UserFactory(desk=True, unit=x, username="desk_x"),
        "citizen": UserFactory(username="0912999000", phone="0912999000"),
        "extra_perms": extra,
    }
    return {"units": {"D": district, "W1": w1, "X": x}, **people}


# target → may a unit admin of D manage it?
UNIT_ADMIN_REACH = {
    "superuser": False,  # more rights: the superuser flag
    "peer_admin": True,  # same rights, same unit
    "subtree_desk": True,  # below them
    "other_desk": False,  # another unit's
    "citizen": False,  # no unit: citizens manage themselves
    "extra_perms": False,  # holds a permission a unit admin lacks
    "self": True,
}
TARGETS = list(UNIT_ADMIN_REACH)


def _target(world, actor_kind, target_kind):
    return world[actor_kind] if target_kind == "self" else world[target_kind]


@pytest.mark.parametrize("target_kind", TARGETS)
@pytest.mark.parametrize("actor_kind", ["superuser", "unit_admin", "desk"])
def test_rule_matrix_may_manage(world, actor_kind, target_kind):
    actor, target = world[actor_kind], _target(world, actor_kind, target_kind)
    expected = {"superuser": True, "unit_admin": UNIT_ADMIN_REACH[target_kind], "desk": False}[actor_kind]
    assert permissions.may_manage(actor, target) is expected


@pytest.mark.parametrize(
    ("grant", "unit", "allowed"),
    [
        ({"role": "desk_officer"}, "W1", True),  # inside the subtree
        ({"role": "unit_admin"}, "W1", True),  # a right the actor holds, below them
        ({"role": "unit_admin"}, "X", False),  # outside the subtree
        ({"role": "desk_officer"}, None, False),  # no unit = out of their reach
        ({"role": "desk_officer", "is_superuser": True}, "W1", False),  # a right they lack
        ({"role": "desk_officer", "permissions": ["delete_user"]}, "W1", False),
    ],
)
def test_rule_matrix_may_grant_for_a_unit_admin(world, grant, unit, allowed):
    grant = dict(grant)
    if "permissions" in grant:
        grant["permissions"] = list(Permission.objects.filter(codename__in=grant["permissions"]))
    unit_obj = world["units"][unit] if unit else None
    assert permissions.may_grant(world["unit_admin"], unit=unit_obj, **grant) is allowed
    assert permissions.may_grant(world["superuser"], unit=unit_obj, **grant) is True
    assert permissions.may_grant(world["desk"], unit=unit_obj, **grant) is False


def _change_form(target, **overrides):
    data = {
        "username": target.username,
        "full_name": target.full_name,
        "phone": target.phone,
        "email": target.email,
        "cccd": target.cccd,
        "role": target.role,
        "unit": target.unit_id or "",
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _expected_status(actor_kind, target_kind, allowed_status):
    if actor_kind == "desk":
        return 302  # not an admin-site user at all: sent to the admin login
    if actor_kind == "superuser" or UNIT_ADMIN_REACH[target_kind]:
        return allowed_status
    return 404  # outside their reach is "not found", never "forbidden"


@pytest.mark.parametrize("target_kind", TARGETS)
@pytest.mark.parametrize("actor_kind", ["superuser", "unit_admin", "desk"])
def test_admin_matrix_view_password_and_role(client, world, actor_kind, target_kind):
    actor, target = world[actor_kind], _target(world, actor_kind, target_kind)
    client.force_login(actor)
    base = f"/admin/accounts/user/{target.pk}"

    view = client.get(f"{base}/change/")
    assert view.status_code == _expected_status(actor_kind, target_kind, 200)

    password = client.post(f"{base}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert password.status_code == _expected_status(actor_kind, target_kind, 302)

    unit = target.unit_id or world["units"]["D"].pk
    change = client.post(f"{base}/change/", _change_form(target, role="leader", unit=unit, full_name="Đổi Tên"))
    assert change.status_code == _expected_status(actor_kind, target_kind, 302), change.content.decode()[:2000]

    target.refresh_from_db()
    allowed = _expected_status(actor_kind, target_kind, "ok") == "ok"
    assert target.check_password(NEW_PASSWORD) is allowed
    assert target.check_password(PASSWORD) is not allowed
    assert (target.role == "leader") is allowed
    assert (target.full_name == "Đổi Tên") is allowed


def test_unit_admin_cannot_take_over_a_superuser_through_the_password_page(client, world):
    """The reported attack: unit admin sets a superuser's password (was 302), then logs in as them."""
    client.force_login(world["unit_admin"])
    root = world["superuser"]
    response = client.post(
        f"/admin/accounts/user/{root.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 404
    client.logout()
    assert client.post("/accounts/login/", {"username": "root", "password": NEW_PASSWORD}).status_code == 200
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_unit_admin_cannot_move_an_account_out_of_their_subtree_or_make_it_superuser(client, world):
    client.force_login(world["unit_admin"])
    desk = world["subtree_desk"]
    url = f"/admin/accounts/user/{desk.pk}/change/"
    moved = client.post(url, _change_form(desk, unit=world["units"]["X"].pk))
    assert moved.status_code == 200 and "unit" in moved.context["adminform"].form.errors
    crowned = client.post(url, _change_form(desk, is_superuser="on", is_staff="on", user_permissions=["1", "2"]))
    assert crowned.status_code == 302  # the fields are not on a unit admin's form: ignored
    desk.refresh_from_db()
    assert desk.unit == world["units"]["W1"]
    assert not desk.is_superuser and not desk.is_staff and not desk.user_permissions.exists()


def test_unit_admin_cannot_add_a_superuser_or_an_admin_elsewhere(client, world):
    client.force_login(world["unit_admin"])
    form = {
        "username": "moi",
        "full_name": "Người Mới",
        "role": "unit_admin",
        "unit": world["units"]["W1"].pk,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "usable_password": "true",
        "is_superuser": "on",
        "groups": ["1"],
    }
    assert client.post("/admin/accounts/user/add/", form).status_code == 302
    created = User.objects.get(username="moi")
    assert created.role == "unit_admin" and created.is_staff and not created.is_superuser
    elsewhere = client.post("/admin/accounts/user/add/", {**form, "username": "moi2", "unit": world["units"]["X"].pk})
    assert elsewhere.status_code == 200
    assert not User.objects.filter(username="moi2").exists()


def test_superuser_grants_extra_rights_through_the_service(client, world):
    client.force_login(world["superuser"])
    desk = world["subtree_desk"]
    perm = Permission.objects.get(codename="delete_user")
    response = client.post(
        f"/admin/accounts/user/{desk.pk}/change/", _change_form(desk, is_superuser="on", user_permissions=[perm.pk])
    )
    assert response.status_code == 302
    desk.refresh_from_db()
    assert desk.is_superuser and desk.is_staff and list(desk.user_permissions.all()) == [perm]


@pytest.mark.parametrize(
    ("call", "target_kind"),
    [
        (lambda actor, t, w: services.user_password_set(actor=actor, user=t, password=NEW_PASSWORD), "superuser"),
        (lambda actor, t, w: services.user_update(actor=actor, user=t, changes={"role": "leader"}), "other_desk"),
        (lambda actor, t, w: services.user_update(actor=actor, user=t, changes={"is_superuser": True}), "subtree_desk"),
        (
            lambda actor, t, w: services.user_update(actor=actor, user=t, changes={"unit": w["units"]["X"]}),
            "peer_admin",
        ),
        (
            lambda actor, t, w: services.staff_create(
                actor=actor, unit=w["units"]["X"], role="unit_admin", username="ngoai", password=NEW_PASSWORD
            ),
            "subtree_desk",
        ),
    ],
)
def test_services_enforce_the_rule_whoever_calls_them(world, call, target_kind):
    target = world[target_kind]
    before = User.objects.values().get(pk=target.pk)
    with pytest.raises(services.NotPermitted):
        call(world["unit_admin"], target, world)
    assert User.objects.values().get(pk=target.pk) == before
    assert not User.objects.filter(username="ngoai").exists()
