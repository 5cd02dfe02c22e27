from datetime import UTC, datetime

import pytest
import time_machine

from procedures.services.feedback import feedback_submit
from tests.dossiers.conftest import World, english, world  # noqa: F401 — the dossiers' world, reused

MONDAY_10 = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)  # Monday 9 March 2026, 10:00 in Hanoi


def hanoi(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour - 7, minute, tzinfo=UTC)


@pytest.fixture(autouse=True)
def response_days(settings):
    settings.FEEDBACK_RESPONSE_WORKING_DAYS = 15
    settings.FEEDBACK_DUE_SOON_WORKING_DAYS = 2


def submit(w, at=MONDAY_10, **kw):
    data = {
        "kind": "report",
        "subject": "Chờ lâu ở bộ phận một cửa",
        "content": "Tôi phải chờ hơn một giờ.",
        "sender_name": "Nguyễn Văn A",
        "sender_phone": "0912345678",
        "unit": w.unit,
    }
    data.update(kw)
    with time_machine.travel(at, tick=False):
        return feedback_submit(**data)
