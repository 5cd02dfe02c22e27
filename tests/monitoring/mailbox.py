"""An e-mail backend for the worker subprocess: one file per message in $MAILBOX_DIR, named by the outbox
idempotency key, so a test counts deliveries across processes. While $MAILBOX_DIR/hold exists, a send marks
that it started and waits (the fault test kills the worker there)."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

HOLD_LIMIT = 120.0


def mailbox_name(key: str) -> str:
    return key.replace(":", "_")


class EmailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        box = Path(os.environ["MAILBOX_DIR"])
        for message in messages:
            key = mailbox_name(message.extra_headers.get("X-Motcua-Idempotency-Key", "none"))
            hold = box / "hold"
            if hold.exists():
                (box / f"started-{key}").touch()
                deadline = time.monotonic() + HOLD_LIMIT
                while hold.exists() and time.monotonic() < deadline:
                    time.sleep(0.05)  # fault injection inside the worker, not a test's wait
            (box / f"{key}.{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(messages)
