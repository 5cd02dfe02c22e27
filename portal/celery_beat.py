"""Exactly one beat: a scheduler that sends tasks only while it holds a Redis lock.

Every beat process ticks, but only the holder of `BEAT_LOCK_KEY` (a token it renews each tick, kept for
CELERY_BEAT_LOCK_SECONDS) applies due entries; the others wait, and take over within one lock period if the
holder dies. Without Redis (the filesystem broker of `make run`) there is one process anyway and no lock.
The lock key doubles as the health check's "beat alive" signal.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid

from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

BEAT_LOCK_KEY = "portal:celery:beat-lock"
# Extend the lock only if it is still ours (compare and expire in one step).
RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""


def redis_client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL) if settings.REDIS_URL else None


class BeatLock:
    def __init__(self, client, seconds: int):
        self.client = client
        self.ms = seconds * 1000
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        self.held = False

    def hold(self) -> bool:
        """Renew the lock if we hold it, take it if it is free; True while we are the one beat."""
        if self.client is None:
            return True
        try:
            if self.held and self.client.eval(RENEW, 1, BEAT_LOCK_KEY, self.token, self.ms):
                return True
            was_held, self.held = self.held, bool(self.client.set(BEAT_LOCK_KEY, self.token, nx=True, px=self.ms))
        except Exception:  # Redis down: send nothing rather than risk a second beat
            logger.exception("beat lock: Redis unavailable")
            self.held = False
            return False
        if self.held != was_held:
            logger.warning("beat lock %s by %s", "taken" if self.held else "lost", self.token)
        return self.held

    def release(self) -> None:
        if self.client is not None and self.held:
            self.client.eval(
                "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end",
                1,
                BEAT_LOCK_KEY,
                self.token,
            )
            self.held = False


class LockedScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self.lock_seconds = settings.CELERY_BEAT_LOCK_SECONDS
        self.lock = BeatLock(redis_client(), self.lock_seconds)
        super().__init__(*args, **kwargs)
        # Wake often enough to renew the lock well before it lapses.
        self.max_interval = min(self.max_interval, self.lock_seconds / 3)

    def tick(self, *args, **kwargs):
        if not self.lock.hold():
            return self.max_interval
        return super().tick(*args, **kwargs)

    def close(self):
        self.lock.release()
        super().close()
