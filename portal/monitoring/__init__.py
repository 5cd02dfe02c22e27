"""Is the background machinery alive? The worker (a broadcast ping), beat (its lock) and the last sweep's age."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils import timezone

from portal.celery_beat import BEAT_LOCK_KEY, redis_client


@dataclass(frozen=True)
class Health:
    workers: list[str]
    beat_holder: str | None  # the process holding beat's lock (None: no beat, or no Redis to tell)
    last_sweep_age_seconds: float | None
    sweep_interval_seconds: int

    @property
    def sweep_fresh(self) -> bool:
        # Two intervals of slack: one sweep may be running or just missed.
        age = self.last_sweep_age_seconds
        return age is not None and age <= 3 * self.sweep_interval_seconds

    @property
    def ok(self) -> bool:
        return bool(self.workers) and self.beat_holder is not None and self.sweep_fresh

    def as_dict(self) -> dict:
        return {**asdict(self), "sweep_fresh": self.sweep_fresh, "ok": self.ok}


def celery_health(*, ping_timeout: float = 1.0) -> Health:
    from portal.celery import app
    from procedures.services.deadline_sweep import last_sweep

    try:
        replies = app.control.ping(timeout=ping_timeout) or []
    except Exception:  # broker down: no worker can be reached either
        replies = []
    workers = sorted(name for reply in replies for name in reply)
    client = redis_client()
    if client is None:
        holder = "local" if workers else None
    else:
        try:
            value = client.get(BEAT_LOCK_KEY)
        except Exception:
            value = None
        holder = value.decode() if value else None
    run = last_sweep()
    age = (timezone.now() - run.finished_at).total_seconds() if run else None
    return Health(workers, holder, age, settings.DEADLINE_SWEEP_INTERVAL)
