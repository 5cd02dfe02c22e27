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


@pytest.mark.parametrize(
    ("extra", "password", "message"),
    [
        ({}, "1", "quá ngắn"),  # too short, all digits, too common
        ({"phone": "0912345678"}, "0912345678ab", "quá giống"),  # the similarity check sees the phone
        ({"email": "lan.do@example.vn"}, "lan.do@example", "quá giống"),  # … the e-mail
        ({"full_name": "Đỗ Thị Lan"}, "đỗthịlan26", "quá giống"),  # … and the full name
    ],
)
def test_create_staff_runs_the_password_validators_in_vietnamese(extra, password, message):
    UnitFactory(code="H26.08.04")
    with pytest.raises(CommandError, match=message):
        call_command("create_staff", unit="H26.08.04", role="desk_officer", username="lan", password=password, **extra)
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_create_staff_with_a_weak_password_exits_non_zero_with_the_reason():
    """Run as an operator would, in a separate process against the test database."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    UnitFactory(code="H26.08.04")
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    argv = [
        "manage.py",
        "create_staff",
        "--unit",
        "H26.08.04",
        "--role",
        "leader",
        "--username",
        "x",
        "--password",
        "1",
    ]
    result = subprocess.run(  # noqa: S603
        [sys.executable, *argv],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Mật khẩu quá ngắn" in result.stderr
    assert not User.objects.exists()
