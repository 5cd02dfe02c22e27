"""A real Celery worker and beat (subprocesses) on the test Redis and PostgreSQL.

- a dossier past its due time is flagged and its e-mails delivered exactly once, however many sweeps follow;
- SIGKILL the worker while it sends a notification: after a restart it is delivered once, not zero or twice;
- two beat processes at once: one sweep per interval, and the second takes over when the first dies.

No sleeps: every wait polls an observable condition (files, rows, Redis) until a deadline.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
import time_machine
from django.conf import settings
from django.db import connection

from portal.celery_beat import BEAT_LOCK_KEY
from procedures.domain.workflow import Action, DossierStatus
from procedures.models import DossierHistory, OutboxEvent, SweepRun
from procedures.tasks import deliver_notification

from .mailbox import mailbox_name

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_processes]
ROOT = Path(__file__).resolve().parents[2]
PAST_MONDAY = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)  # received long ago: overdue now
SWEEP_INTERVAL = 1


def wait_for(condition, *, timeout=120.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)  # the poll's pace, not a wait for something to happen
    pytest.fail(f"timed out waiting for {what}")


class Processes:
    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.mailbox = tmp_path / "mailbox"
        self.mailbox.mkdir()
        self.running: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.monitoring.worker_settings",
            "DATABASE_URL": self._database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "MAILBOX_DIR": str(self.mailbox),
            "DEADLINE_SWEEP_INTERVAL": str(SWEEP_INTERVAL),
            "CELERY_BEAT_LOCK_SECONDS": "3",
            # Short, so a killed worker's unacknowledged task comes back within the test (Redis's redelivery,
            # or the outbox relay, whichever is first).
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "OUTBOX_RELAY_INTERVAL": "1",
            "OUTBOX_RELAY_AFTER": "2",
        }

    @staticmethod
    def _database_url() -> str:
        db = connection.settings_dict  # the test database (test_<name>), not the development one
        return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    def _start(self, *args, env=None) -> subprocess.Popen:
        log = open(self.tmp / f"{args[0]}-{len(self.running)}.log", "wb")  # noqa: SIM115 — kept for the process
        process = subprocess.Popen(  # noqa: S603 — our own interpreter and fixed arguments
            [sys.executable, "-m", "celery", "-A", "portal", *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill reaches every child
        )
        self.running.append(process)
        return process

    def worker(self, name: str) -> subprocess.Popen:
        return self._start(
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            f"--hostname={name}@test",
            "--without-mingle",
            "--without-gossip",
        )

    def beat(self, name: str) -> subprocess.Popen:
        return self._start(
            "beat", "--loglevel=INFO", f"--schedule={self.tmp / name}", f"--pidfile={self.tmp / name}.pid"
        )

    def kill(self, process: subprocess.Popen, sig=signal.SIGKILL) -> None:
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def mails(self, key: str) -> list[Path]:
        return sorted(self.mailbox.glob(f"{mailbox_name(key)}.*.eml"))


@pytest.fixture
def processes(tmp_path, transactional_db):
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # no stale messages or beat lock from earlier tests
    procs = Processes(tmp_path)
    yield procs
    procs.stop_all()


def staff_with_email(world):
    for user in (world.citizen, world.specialist, world.leader):
        user.email = f"{user.username}@example.vn"
        user.save()


def test_a_dossier_past_due_is_flagged_and_mailed_exactly_once(world, processes):
    staff_with_email(world)
    with time_machine.travel(PAST_MONDAY, tick=False):
        dossier = world.to_status(DossierStatus.IN_PROGRESS)
    processes.worker("w1")
    processes.beat("beat-1")

    escalations = DossierHistory.objects.filter(dossier=dossier, action=Action.ESCALATE)
    wait_for(escalations.exists, what="the sweep to flag the overdue dossier")
    emails = OutboxEvent.objects.filter(dossier=dossier, kind=Action.ESCALATE, channel="email")
    keys = list(emails.values_list("idempotency_key", flat=True))
    assert len(keys) == 2  # the specialist and the leader
    wait_for(lambda: all(processes.mails(k) for k in keys), what="both e-mails")
    # More sweeps run (and the relay): nothing is flagged or sent again.
    seen = SweepRun.objects.count()
    wait_for(lambda: SweepRun.objects.count() >= seen + 3, what="three more sweeps")
    assert escalations.count() == 1
    assert [len(processes.mails(k)) for k in keys] == [1, 1]
    assert not emails.filter(delivered_at__isnull=True).exists()


def test_a_worker_killed_while_sending_delivers_once_after_restart(world, processes):
    staff_with_email(world)
    (processes.mailbox / "hold").touch()
    worker = processes.worker("w1")
    with time_machine.travel(PAST_MONDAY, tick=False):
        world.to_status(DossierStatus.RECEIVED)  # the applicant's receipt e-mail, enqueued after commit
    event = OutboxEvent.objects.get(channel="email", kind=Action.RECEIVE)
    started = processes.mailbox / f"started-{mailbox_name(event.idempotency_key)}"
    wait_for(started.exists, what="the worker to start sending")

    processes.kill(worker)  # SIGKILL mid-send: the task is neither acknowledged nor finished
    event.refresh_from_db()
    assert event.delivered_at is None and processes.mails(event.idempotency_key) == []

    (processes.mailbox / "hold").unlink()
    processes.worker("w2")
    processes.beat("beat-1")  # its relay re-enqueues the undelivered row too: more copies, still one mail
    wait_for(
        lambda: OutboxEvent.objects.filter(pk=event.pk, delivered_at__isnull=False).exists(),
        timeout=180,
        what="redelivery",
    )
    # Another copy of the task (a duplicate message) finds it delivered.
    assert deliver_notification.delay(event.pk).get(timeout=60) == "already"
    assert len(processes.mails(event.idempotency_key)) == 1


def test_two_beats_send_one_sweep_per_interval_and_hand_over(world, processes):
    processes.worker("w1")
    first = processes.beat("beat-1")
    second = processes.beat("beat-2")
    client = redis.Redis.from_url(settings.REDIS_URL)
    holder = wait_for(lambda: client.get(BEAT_LOCK_KEY), what="a beat to take the lock")
    wait_for(lambda: SweepRun.objects.count() >= 6, what="six sweeps")
    starts = sorted(SweepRun.objects.values_list("started_at", flat=True))
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:], strict=False)]
    # Two schedulers would send two sweeps per interval: back-to-back runs, milliseconds apart.
    assert min(gaps) > SWEEP_INTERVAL / 2, gaps

    # The holder dies: the other beat takes the lock within its lifetime and sweeps go on.
    holder_pid = int(holder.decode().split(":")[1])
    victim = first if first.pid == holder_pid else second
    processes.kill(victim)
    wait_for(lambda: (client.get(BEAT_LOCK_KEY) or holder) != holder, what="the second beat to take over")
    seen = SweepRun.objects.count()
    wait_for(lambda: SweepRun.objects.count() >= seen + 2, what="sweeps after the hand-over")
