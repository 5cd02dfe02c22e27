"""Existing rows: the migration that adds the ASCII-digits constraint first rewrites what is already stored."""

import importlib.util
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from portal.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MIGRATIONS = Path(__file__).resolve().parents[2] / "portal" / "accounts" / "migrations"


def _normalise_existing():
    (path,) = MIGRATIONS.glob("*_phone_ascii_digits.py")  # found by name, whatever number it gets
    spec = importlib.util.spec_from_file_location("phone_ascii_digits", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.normalise_existing


def test_stored_lookalike_numbers_are_rewritten_and_the_real_owner_keeps_the_number():
    with connection.cursor() as cursor:  # the state before the migration (rolled back with the test)
        cursor.execute("ALTER TABLE accounts_user DROP CONSTRAINT user_phone_ascii_digits")
    owner = UserFactory(phone="0912345678", username="0912345678")
    squatter = UserFactory(phone="09１２３４５６７８", username="squatter")
    fullwidth = UserFactory(phone="０９８７６５４３２１", username="fw")
    arabic = UserFactory(phone="٠٩٨٧٦٥٤٣٢٠", username="arabic")

    _normalise_existing()(apps, None)

    phones = dict(User.objects.values_list("username", "phone"))
    assert phones == {
        owner.username: "0912345678",
        squatter.username: "",
        fullwidth.username: "0987654321",
        arabic.username: "",
    }
