"""Celery's reliability settings, checked on the configured app (DESIGN.md §3 principle 6)."""

from django.conf import settings

from portal.celery import app
from portal.celery_schedule import beat_schedule

OURS = ("portal.", "procedures.")


def our_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.startswith(OURS)}


def test_json_only_and_limits_on_every_task():
    assert app.conf.task_serializer == "json" and app.conf.result_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_soft_time_limit and app.conf.task_time_limit > app.conf.task_soft_time_limit
    for name, task in our_tasks().items():
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft and hard and soft < hard, name


def test_idempotent_tasks_ack_late_and_are_redelivered_when_a_worker_dies():
    for name in ("procedures.tasks.sweep_deadlines", "procedures.tasks.deliver_notification"):
        task = our_tasks()[name]
        assert task.acks_late and task.reject_on_worker_lost, name


def test_the_visibility_timeout_outlasts_every_countdown_and_retry():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    deliver = our_tasks()["procedures.tasks.deliver_notification"]
    assert deliver.retry_backoff_max <= settings.CELERY_MAX_COUNTDOWN < visibility
    assert settings.CELERY_TASK_TIME_LIMIT < visibility


def test_schedules_live_in_one_place_run_by_the_locked_beat():
    assert app.conf.beat_scheduler == "portal.celery_beat:LockedScheduler"
    assert app.conf.beat_schedule == beat_schedule()
    tasks = our_tasks()
    for entry in beat_schedule().values():
        assert entry["task"] in tasks
    sweep = beat_schedule()["sweep-deadlines"]
    assert sweep["schedule"] == settings.DEADLINE_SWEEP_INTERVAL == 300  # the default: every 5 minutes


def test_one_beat_lock_holder_at_a_time():
    from portal.celery_beat import BEAT_LOCK_KEY, BeatLock, redis_client

    client = redis_client()
    client.delete(BEAT_LOCK_KEY)
    first, second = BeatLock(client, 30), BeatLock(client, 30)
    try:
        assert first.hold() and not second.hold()
        assert first.hold() and not second.hold()  # renewed, still the only one
        first.release()
        assert second.hold() and not first.hold()
    finally:
        second.release()
    assert client.get(BEAT_LOCK_KEY) is None


def test_the_password_reset_mail_leaves_through_the_worker(client, db, monkeypatch):
    from portal.accounts import tasks
    from tests.factories import UserFactory

    queued = []
    monkeypatch.setattr(tasks.send_email_message, "delay", lambda *args: queued.append(args))
    UserFactory(phone="0912000031", email="an@example.vn")
    for login in ("0912000031", "0912000099"):  # an account, and none: the same page
        response = client.post("/accounts/password-reset/", {"email": login})
        assert response.status_code == 302
    ((subject, body, _from, to, _html),) = queued
    assert to == ["an@example.vn"] and "/accounts/password-reset/" in body and subject
