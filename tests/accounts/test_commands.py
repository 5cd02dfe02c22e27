import pytest
from django.core.management import CommandError, call_command

from portal.accounts.models import User
from procedures.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_create_staff_puts_the_account_in_the_unit_with_the_role():
    unit = UnitFactory(code="H26.08.04")
    call_command("create_staff", unit="H26.08.04", role="desk_officer", username="mot", password="Desk-pass-2026")
    user = User.objects.get(username="mot")
    assert user.unit == unit and user.role == "desk_officer" and user.check_password("Desk-pass-2026")


def test_create_staff_with_unknown_unit_or_duplicate_username_fails_clearly_and_saves_nothing():
    UnitFactory(code="H26.08.04")
    with pytest.raises(CommandError, match="H99"):
        call_command("create_staff", unit="H99", role="leader", username="x", password="Pass-2026-x")
    call_command("create_staff", unit="H26.08.04", role="leader", username="x", password="Pass-2026-x")
    with pytest.raises(CommandError, match="username"):
        call_command("create_staff", unit="H26.08.04", role="leader", username="x", password="Pass-2026-x")
    assert User.objects.count() == 1


def test_seed_demo_is_idempotent_and_every_demo_account_logs_in(client):
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    for username, *_ in DEMO_ACCOUNTS:
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post("/accounts/logout/")


def test_seed_demo_refuses_production(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")


def test_seed_demo_keeps_a_changed_password():
    seed_demo()
    user = User.objects.get(username="leader")
    user.set_password("Changed-2026!")
    user.save()
    seed_demo()
    user.refresh_from_db()
    assert user.check_password("Changed-2026!")
