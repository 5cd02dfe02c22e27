"""/he-thong/suc-khoe/: the worker, beat and sweep health as JSON — 200 when all is well, 503 otherwise; only
operators or a monitoring tool with HEALTH_TOKEN may read it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.celery import app
from portal.celery_beat import BEAT_LOCK_KEY, redis_client
from procedures.models import SweepRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/he-thong/suc-khoe/"


@pytest.fixture
def quick(settings):
    settings.HEALTH_PING_TIMEOUT = 0.05
    settings.HEALTH_TOKEN = "s3cret-health-token"
    client = redis_client()
    client.delete(BEAT_LOCK_KEY)
    yield client
    client.delete(BEAT_LOCK_KEY)


@pytest.fixture
def alive(quick, monkeypatch):
    """A worker answering the ping, a beat holding its lock, a sweep just finished."""
    monkeypatch.setattr(app.control, "ping", lambda timeout: [{"celery@worker1": {"ok": "pong"}}])
    quick.set(BEAT_LOCK_KEY, "beat@host:42", ex=60)
    now = timezone.now()
    SweepRun.objects.create(started_at=now, finished_at=now)


def test_the_url_is_named_health():
    assert reverse("health") == URL


def test_healthy_is_200_with_the_figures(client, alive):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(URL)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["ok"] is True and body["workers"] == ["celery@worker1"] and body["beat_holder"] == "beat@host:42"
    assert 0 <= body["last_sweep_age_seconds"] < 60 and body["sweep_fresh"] is True


def test_no_worker_no_beat_no_sweep_is_503(client, quick):
    client.force_login(UserFactory(unit_admin=True))
    response = client.get(URL)
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False and body["workers"] == [] and body["beat_holder"] is None
    assert body["last_sweep_age_seconds"] is None


def test_a_stale_sweep_is_503(client, alive, settings):
    SweepRun.objects.update(
        finished_at=timezone.now() - timezone.timedelta(seconds=4 * settings.DEADLINE_SWEEP_INTERVAL)
    )
    response = client.get(URL, headers={"Authorization": "Bearer s3cret-health-token"})
    assert response.status_code == 503 and response.json()["sweep_fresh"] is False


def test_a_monitoring_tool_reads_it_with_the_token_only(client, alive, settings):
    assert client.get(URL, headers={"Authorization": "Bearer s3cret-health-token"}).status_code == 200
    for header in ("Bearer wrong", "Basic s3cret-health-token", "Bearer "):
        assert client.get(URL, headers={"Authorization": header}).status_code == 403
    assert client.get(URL).status_code == 403
    settings.HEALTH_TOKEN = ""  # unset: no token opens it, not even an empty one
    assert client.get(URL, headers={"Authorization": "Bearer "}).status_code == 403


def test_staff_who_are_not_operators_are_refused(client, alive):
    for user in (UserFactory(), UserFactory(desk=True), UserFactory(leader=True)):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 403 and "detail" in response.json()
    assert client.post(URL).status_code == 405
