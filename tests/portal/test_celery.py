"""Celery runs for real: a worker thread consumes from the real Redis broker."""

import pytest
import time_machine
from axes.models import AccessFailureLog, AccessLog
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from portal.accounts.tasks import purge_login_logs
from portal.celery import app

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def celery_worker():
    with start_worker(app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10) as worker:
        yield worker


def test_old_login_logs_are_purged_by_the_worker_recent_ones_kept(celery_worker, settings):
    old = timezone.now() - timezone.timedelta(days=settings.LOGIN_LOG_RETENTION_DAYS + 1)
    with time_machine.travel(old, tick=False):
        AccessLog.objects.create(username="0912000001", ip_address="127.0.0.1", user_agent="t", path_info="/")
        AccessFailureLog.objects.create(
            username="0912000001", ip_address="127.0.0.1", user_agent="t", path_info="/", locked_out=False
        )
    AccessLog.objects.create(username="0912000002", ip_address="127.0.0.1", user_agent="t", path_info="/")

    assert purge_login_logs.delay().get(timeout=20) == 2
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["0912000002"]
    assert not AccessFailureLog.objects.exists()
    # Running it again is harmless.
    assert purge_login_logs.delay().get(timeout=20) == 0


def test_the_purge_is_scheduled_once_in_beat():
    tasks = [entry["task"] for entry in app.conf.beat_schedule.values()]
    assert tasks.count("portal.accounts.tasks.purge_login_logs") == 1
