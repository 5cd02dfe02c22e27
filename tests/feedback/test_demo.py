"""seed_demo's feedback for the demo ward: answered on time, one late, one rejected, open ones; a rerun adds none."""

from datetime import UTC, datetime

import pytest
import time_machine

from procedures.domain.deadlines import Timeliness
from procedures.models import Feedback
from procedures.services.deadline_sweep import deadline_sweep
from procedures.services.demo import DEMO_WARD_CODE, seed_demo
from procedures.services.feedback import feedback_timeliness

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_feedback_once(client):
    with time_machine.travel(datetime(2026, 6, 10, 3, 0, tzinfo=UTC), tick=False):
        assert seed_demo()["feedback"] == 7
        assert seed_demo()["feedback"] == 0
        counts = deadline_sweep()
    rows = Feedback.objects.filter(unit__code=DEMO_WARD_CODE)
    assert rows.count() == 7
    answered = [feedback_timeliness(f) for f in rows.filter(status="answered")]
    assert sorted(answered) == sorted([Timeliness.EARLY] * 3 + [Timeliness.LATE])
    assert rows.filter(status="rejected").count() == 1
    assert rows.filter(status__in=["received", "in_progress"]).count() == 2
    assert counts["feedback_overdue"] == 1
    html = client.get("/phan-anh/tra-loi/").content.decode()
    assert "Giờ tiếp nhận sáng thứ Bảy" in html and "Ý kiến về việc khác" not in html
    assert "Người dân" not in html
