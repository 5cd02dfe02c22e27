"""Public lookup (/tra-cuu/ and GET /api/lookup/): the code AND the applicant's phone give the progress and
nothing about the applicant; a wrong phone and an unknown code are the same 404; limited per client and per
code (429 with Retry-After) in fixed windows; bad input is a 400 naming the parameter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedures.domain.workflow import Action, DossierStatus
from procedures.forms.lookup import LookupForm

API = "/api/lookup/"
PAGE = "/tra-cuu/"
START = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # a Monday, 09:00 in Vietnam


@pytest.fixture
def received(world):
    with time_machine.travel(START, tick=False):
        dossier = world.to_status(DossierStatus.RECEIVED)
    world.citizen.full_name = "Nguyễn Văn Bí Mật"
    world.citizen.save(update_fields=["full_name"])
    return dossier


def spellings(phone: str) -> list[str]:
    """0912345678 as people type it: grouped, dotted, +84, 84, fullwidth."""
    rest = phone[1:]
    return [
        phone,
        f"{phone[:4]} {phone[4:7]} {phone[7:]}",
        f"{phone[:4]}.{phone[4:7]}.{phone[7:]}",
        f"+84{rest}",
        f"+84 {rest[:3]} {rest[3:6]} {rest[6:]}",
        f"84{rest}",
        "".join(chr(ord(c) + 0xFEE0) for c in phone),
    ]


def test_code_and_phone_in_any_spelling_give_the_status(client, world, received):
    for phone in spellings(world.citizen.phone):
        response = client.get(API, {"code": received.code, "phone": phone}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, (phone, response.json())
        body = response.json()
        assert body["status"] == "received"
        assert body["status_label"] == "received"
        assert body["national_status"] == "receiving"
        assert body["received_at"] == "2026-03-09T09:00:00+07:00"
        assert datetime.fromisoformat(body["due_at"]) == received.due_at
        assert body["finished_at"] is None and body["timeliness"] == ""


def test_the_status_label_is_in_the_users_language(client, world, received):
    response = client.get(API, {"code": received.code, "phone": world.citizen.phone})
    assert response.json()["status_label"] == "đã tiếp nhận"


def test_a_finished_dossier_shows_its_timeliness_and_the_redated_due_time(client, world):
    with time_machine.travel(START, tick=False):
        dossier = world.to_status(DossierStatus.IN_PROGRESS)
        new_due = dossier.due_at + timedelta(days=2)
        dossier = world.act(world.specialist, dossier, Action.REDATE, new_due_at=new_due)
        dossier = world.act(world.specialist, dossier, Action.SUBMIT_FOR_APPROVAL)
        dossier = world.act(world.leader, dossier, Action.APPROVE)
    body = client.get(API, {"code": dossier.code, "phone": world.citizen.phone}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["status"] == "done" and body["national_status"] == "releasing"
    assert datetime.fromisoformat(body["due_at"]) == new_due
    assert datetime.fromisoformat(body["finished_at"]) == dossier.finished_at
    assert body["timeliness"] == "early" and body["timeliness_label"] == "early"


def test_wrong_phone_and_unknown_code_are_the_same_404(client, world, received):
    other_phone = world.other_citizen.phone
    wrong_phone = client.get(API, {"code": received.code, "phone": other_phone})
    unknown_code = client.get(API, {"code": "H26.08.04-260101-9999", "phone": world.citizen.phone})
    assert wrong_phone.status_code == unknown_code.status_code == 404
    assert wrong_phone.content == unknown_code.content
    assert "mã và số điện thoại" in wrong_phone.json()["detail"]
    page_wrong = client.get(PAGE, {"code": received.code, "phone": other_phone})
    page_unknown = client.get(PAGE, {"code": "H26.08.04-260101-9999", "phone": world.citizen.phone})
    assert page_wrong.status_code == page_unknown.status_code == 404
    problems = [_problem(page) for page in (page_wrong, page_unknown)]
    assert problems[0] == problems[1] == wrong_phone.json()["detail"]
    assert b"lookup-result" not in page_wrong.content + page_unknown.content


def _problem(page) -> str:
    html = page.content.decode()
    start = html.index('id="lookup-problem">') + len('id="lookup-problem">')
    return html[start : html.index("</div>", start)]


def test_nothing_about_the_applicant_is_answered(client, world, received):
    secrets = [world.citizen.full_name, world.citizen.username, world.citizen.email, "Tờ khai", "giay-to.pdf"]
    secrets = [s for s in secrets if s]
    response = client.get(API, {"code": received.code, "phone": world.citizen.phone})
    assert set(response.json()) == {
        "code",
        "status",
        "status_label",
        "national_status",
        "received_at",
        "due_at",
        "finished_at",
        "timeliness",
        "timeliness_label",
    }
    page = client.get(PAGE, {"code": received.code, "phone": world.citizen.phone}).content.decode()
    for secret in secrets:
        assert secret not in response.content.decode()
        assert secret not in page


def test_the_page_shows_the_status_and_prefills_the_code_from_the_qr_link(client, world, received):
    prefilled = client.get(PAGE, {"code": received.code})
    assert prefilled.status_code == 200
    assert f'value="{received.code}"' in prefilled.content.decode()
    assert b"form-errors" not in prefilled.content
    client.cookies["motcua_language"] = "en"  # pages follow the language switcher, not Accept-Language
    page = client.get(PAGE, {"code": received.code, "phone": world.citizen.phone})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="lookup-status">received<' in html
    assert "09:00 09/03/2026" in html


def test_the_home_navigation_links_to_the_lookup(client, db):
    assert f'href="{reverse("lookup")}"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("params", "parameter", "english"),
    [
        ({"code": "x" * 41, "phone": "0912345678"}, "code", "at most 40 characters"),
        ({"code": "not a code", "phone": "0912345678"}, "code", "A dossier code looks like"),
        ({"code": "H26.08.04-260101-0001", "phone": "12"}, "phone", "Enter a Vietnamese phone number"),
        ({"code": "H26.08.04-260101-0001", "phone": "9" * 300}, "phone", "at most 20 characters"),
        ({"code": "H26.08.04-260101-0001"}, "phone", "required"),
        ({}, "code", "required"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(client, db, params, parameter, english):
    response = client.get(API, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert body["detail"].startswith(f"{parameter}:")
    assert any(english in message for message in body["errors"][parameter])
    vietnamese = client.get(API, params).json()
    assert vietnamese["parameter"] == parameter and vietnamese["detail"] != body["detail"]
    if "phone" in params:  # the page shows its form with the error summary
        client.cookies["motcua_language"] = "en"
        page = client.get(PAGE, params)
        assert page.status_code == 400
        assert b'id="form-errors"' in page.content and english.encode() in page.content


def test_rate_limit_per_client_then_the_window_resets(client, world, received, settings):
    settings.LOOKUP_RATE_PER_CLIENT, settings.LOOKUP_RATE_PER_CODE = 3, 100
    settings.LOOKUP_RATE_WINDOW_SECONDS = 60
    with time_machine.travel(START, tick=False) as traveller:
        codes = [f"H26.08.04-260101-000{n}" for n in range(3)]
        for code in codes:
            assert client.get(API, {"code": code, "phone": world.citizen.phone}).status_code == 404
        limited = client.get(API, {"code": received.code, "phone": world.citizen.phone}, HTTP_ACCEPT_LANGUAGE="en")
        assert limited.status_code == 429
        assert limited["Retry-After"] == "60"
        assert "Too many lookups" in limited.json()["detail"]
        page = client.get(PAGE, {"code": received.code, "phone": world.citizen.phone})
        assert page.status_code == 429 and page["Retry-After"] == "60"
        # Another address has its own count.
        other = client.get(API, {"code": received.code, "phone": world.citizen.phone}, REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 200
        traveller.shift(45)
        assert client.get(API, {"code": received.code, "phone": world.citizen.phone})["Retry-After"] == "15"
        traveller.shift(15)
        assert client.get(API, {"code": received.code, "phone": world.citizen.phone}).status_code == 200


def test_rate_limit_per_code_across_clients(client, world, received, settings):
    settings.LOOKUP_RATE_PER_CLIENT, settings.LOOKUP_RATE_PER_CODE = 100, 2
    settings.LOOKUP_RATE_WINDOW_SECONDS = 600
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(2):  # two guesses of the phone from two addresses
            wrong = client.get(API, {"code": received.code, "phone": "0999999999"}, REMOTE_ADDR=f"10.0.0.{n}")
            assert wrong.status_code == 404
        limited = client.get(API, {"code": received.code, "phone": world.citizen.phone}, REMOTE_ADDR="10.0.0.7")
        assert limited.status_code == 429 and limited["Retry-After"] == "600"
        # Other codes are not affected.
        assert client.get(API, {"code": "H26.08.04-260101-0001", "phone": "0999999999"}).status_code == 404
        traveller.shift(600)
        assert client.get(API, {"code": received.code, "phone": world.citizen.phone}).status_code == 200


def test_query_count_is_constant(client, world, received):
    """One query per lookup, whether found or not (and none for bad input or a refused one), once the
    connection has prepared the statement (its first lookup: test_the_statement_is_prepared_once_per_connection)."""
    client.get(API, {"code": received.code, "phone": world.citizen.phone})
    for params, status in [
        ({"code": received.code, "phone": world.citizen.phone}, 200),
        ({"code": received.code, "phone": "0999999999"}, 404),
        ({"code": "H26.08.04-260101-9999", "phone": world.citizen.phone}, 404),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(API, params).status_code == status
        assert len(queries) == 1, [q["sql"] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API, {"code": "bad"}).status_code == 400
    assert len(queries) == 0


def test_the_statement_is_prepared_once_per_connection_and_outlives_a_rollback(
    transactional_db, client, world, received
):
    """PostgreSQL plans the lookup once per connection (procedures.selectors.dossiers._execute_prepared): the
    first lookup on a connection prepares it, later ones only run it, a rolled-back transaction leaves it in
    place, and a new connection (after a restart of the database, or CONN_MAX_AGE) prepares it again."""
    params = {"code": received.code, "phone": world.citizen.phone}
    connection.close()
    for expected in (["PREPARE", "EXECUTE"], ["EXECUTE"]):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(API, params).json()["status"] == "received"
        assert [q["sql"].split()[0] for q in queries] == expected
    with pytest.raises(RuntimeError), transaction.atomic():
        client.get(API, params)
        raise RuntimeError  # rolls the transaction back
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API, {**params, "phone": "0999999999"}).status_code == 404
    assert [q["sql"].split()[0] for q in queries] == ["EXECUTE"]
    connection.close()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API, params).json()["status"] == "received"
    assert [q["sql"].split()[0] for q in queries] == ["PREPARE", "EXECUTE"]


def test_without_the_prepared_statement_the_answers_are_the_same(client, world, received, settings):
    """LOOKUP_PREPARED_STATEMENT off (behind a transaction-pooling PgBouncer): the same query, sent whole."""
    found = {"code": received.code, "phone": world.citizen.phone}
    prepared = [client.get(API, found).json(), client.get(API, {**found, "phone": "0999999999"}).status_code]
    settings.LOOKUP_PREPARED_STATEMENT = False
    with CaptureQueriesContext(connection) as queries:
        plain = [client.get(API, found).json(), client.get(API, {**found, "phone": "0999999999"}).status_code]
    assert plain == prepared and prepared[1] == 404
    assert [q["sql"].split()[0] for q in queries] == ["SELECT", "SELECT"]


@given(phone=st.text(max_size=25))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_phone_input_is_a_200_404_or_400_never_an_error(client, world, received, phone):
    response = client.get(API, {"code": received.code, "phone": phone.replace("\x00", "")})
    assert response.status_code in (200, 400, 404, 429)
    if response.status_code == 400:
        assert response.json()["parameter"] == "phone"


def test_both_limits_are_counted_in_one_redis_round_trip(client, world, received, monkeypatch):
    import redis.client

    commands = []
    real = redis.client.Redis._execute_command

    def spy(self, *args, **options):
        commands.append(args[0])
        return real(self, *args, **options)

    monkeypatch.setattr(redis.client.Redis, "_execute_command", spy)
    client.get(API, {"code": received.code, "phone": world.citizen.phone})  # loads the script once
    commands.clear()
    assert client.get(API, {"code": received.code, "phone": world.citizen.phone}).status_code == 200
    assert commands == ["EVALSHA"]


@pytest.mark.parametrize("limits", [(2, 100), (100, 2)], ids=["per client", "per code"])
def test_limits_hold_with_a_cache_other_than_redis(client, world, received, settings, limits):
    location = f"lookup-{limits}"  # local-memory caches of one LOCATION share their data
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}}
    settings.LOOKUP_RATE_PER_CLIENT, settings.LOOKUP_RATE_PER_CODE = limits
    with time_machine.travel(START, tick=False):
        for _ in range(2):
            assert client.get(API, {"code": received.code, "phone": world.citizen.phone}).status_code == 200
        limited = client.get(API, {"code": received.code, "phone": world.citizen.phone})
        assert limited.status_code == 429 and limited["Retry-After"] == "600"


def test_lookup_times_are_aware_utc_from_any_database():
    """The lookup's hand-written SQL reads datetimes as PostgreSQL gives them (aware) and as SQLite gives them
    (text, as `make run` stores them): both become the same aware UTC moment."""
    from datetime import UTC, datetime

    from procedures.selectors.dossiers import _aware

    moment = datetime(2026, 11, 26, 3, 0, 0, 123456, tzinfo=UTC)
    assert _aware(moment) == moment
    assert _aware("2026-11-26 03:00:00.123456") == moment and _aware("2026-11-26 03:00:00.123456").tzinfo is UTC
    assert _aware(None) is None


def test_the_lookup_needs_no_csrf_token_nor_cookie(world, received):
    """A GET form: a browser that never loaded the page (the receipt's QR code, a bookmark) gets the answer."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(PAGE, {"code": received.code, "phone": world.citizen.phone})
    assert page.status_code == 200 and 'id="lookup-status">đã tiếp nhận<' in page.content.decode()
    assert "csrfmiddlewaretoken" not in _form(page)


def _form(page) -> str:
    html = page.content.decode()
    return html[html.index('<form method="get"') : html.index("</form>", html.index('<form method="get"'))]


CRISPY_FIELDS = Template("{% load crispy_forms_tags %}{% for field in form %}{{ field|as_crispy_field }}{% endfor %}")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"code": "H26.08.04-260101-0001"},
        {"code": "H26.08.04-260101-0001", "phone": "0912 345 678"},
        {"code": 'x<"&', "phone": "12"},
        {"code": "", "phone": ""},
        {"code": "H26.08.04-260101-0001", "phone": "9" * 300},
    ],
)
def test_the_form_is_marked_up_as_crispy_forms_would(client, db, params, language):
    """The page writes its two fields out by hand (speed): the same labels, required marks, values, errors and
    aria attributes as the portal's other forms (crispy-forms, Bootstrap 5)."""
    if language == "en":
        client.cookies["motcua_language"] = "en"
    form = _form(client.get(PAGE, params))
    fields = form[form.index(">") + 1 : form.index('<button type="submit"')]
    with translation.override(language):
        bound = LookupForm(params) if "phone" in params else LookupForm(initial={"code": params.get("code", "")})
        bound.is_valid()
        assert parse_html(fields) == parse_html(CRISPY_FIELDS.render(Context({"form": bound})))


NAIVE_BOUNDS = (datetime(1900, 1, 1), datetime(2200, 1, 1))  # noqa: DTZ001 - hypothesis wants naive bounds


@given(moment=st.datetimes(*NAIVE_BOUNDS, timezones=st.just(UTC)))
@settings(max_examples=60, deadline=None)
def test_minute_date_shows_what_the_date_filter_shows(moment):
    pair = Template('{% load lean %}{{ moment|minute_date }}|{{ moment|date:"H:i d/m/Y" }}')
    for language in ("vi", "en"):
        with translation.override(language):
            ours, django_s = pair.render(Context({"moment": moment})).split("|")
            assert ours == django_s


def test_fixed_text_is_per_language_and_holds_nothing_of_a_visitor():
    fixed = Template('{% load i18n lean %}{% fixed %}<b>{% translate "Look up" %}</b> {% url "lookup" %}{% endfixed %}')
    for _ in range(2):
        with translation.override("vi"):
            assert fixed.render(Context()) == "<b>Tra cứu</b> /tra-cuu/"
        with translation.override("en"):
            assert fixed.render(Context()) == "<b>Look up</b> /tra-cuu/"
    for body in (
        "{{ user.full_name }}",
        "{% translate problem %}",
        '{% url "my_dossier_detail" code %}',
        "{% if x %}{% endif %}",
    ):
        with pytest.raises(TemplateSyntaxError, match="fixed"):
            Template("{% load i18n lean %}{% fixed %}" + body + "{% endfixed %}")


@pytest.mark.parametrize(
    ("accept", "status"),
    [(None, 200), ("*/*", 200), ("application/json", 200), ("application/json; indent=2", 200), ("text/html", 406)],
)
def test_the_api_negotiates_as_drf_does(client, world, received, accept, status):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get(API, {"code": received.code, "phone": world.citizen.phone}, **headers)
    assert response.status_code == status and response["Content-Type"] == "application/json"
    if status == 200:
        assert response.json()["code"] == received.code
        assert (b"\n  " in response.content) == ("indent" in (accept or ""))
