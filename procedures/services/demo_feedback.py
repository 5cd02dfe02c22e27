"""Demo feedback for the demo ward, made through the feedback services: three answered on time, one late,
one rejected, one open and one open past its due time (the sweep flags it). Idempotent: a ward that has the
first demo subject already is left alone."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.accounts.models import User
from procedures.models import Feedback
from procedures.services.feedback import (
    feedback_answer,
    feedback_assign,
    feedback_log,
    feedback_reject,
    feedback_start,
    feedback_submit,
)

# subject, content, kind, days ago received, outcome ("early", "late", "reject", "open"), channel
DEMO_FEEDBACK = [
    (
        "Đề nghị niêm yết mẫu tờ khai đăng ký khai sinh",
        "Quầy hộ tịch hết mẫu tờ khai, đề nghị niêm yết thêm và cho tải mẫu trên cổng.",
        "proposal",
        60,
        "early",
        "online",
    ),
    (
        "Phòng chờ thiếu ghế vào sáng thứ Hai",
        "Sáng thứ Hai rất đông, nhiều người phải đứng chờ.",
        "report",
        45,
        "early",
        "phone",
    ),
    (
        "Giờ tiếp nhận sáng thứ Bảy",
        "Phường có tiếp nhận hồ sơ chứng thực vào sáng thứ Bảy không?",
        "proposal",
        35,
        "early",
        "online",
    ),
    (
        "Chậm trả kết quả chứng thực bản sao",
        "Tôi nộp hồ sơ chứng thực nhưng phải quay lại hai lần mới nhận được kết quả.",
        "report",
        50,
        "late",
        "in_person",
    ),
    ("Ý kiến về việc khác", "Nội dung không thuộc thẩm quyền của phường.", "report", 20, "reject", "online"),
    (
        "Đề nghị bổ sung thanh toán trực tuyến lệ phí",
        "Mong phường cho thanh toán lệ phí qua chuyển khoản.",
        "proposal",
        2,
        "open",
        "online",
    ),
    (
        "Biển chỉ dẫn quầy một cửa bị che khuất",
        "Biển chỉ dẫn ở cổng bị cây che, khó tìm quầy.",
        "report",
        40,
        "open",
        "online",
    ),
]
ANSWERS = {
    "early": "Cảm ơn ông/bà đã phản ánh. Phường đã khắc phục và niêm yết công khai tại bộ phận một cửa.",
    "late": (
        "Phường xin lỗi vì sự chậm trễ; cán bộ liên quan đã được nhắc nhở và quy trình trả kết quả đã được điều chỉnh."
    ),
    "reject": (
        "Nội dung phản ánh không thuộc thẩm quyền giải quyết của UBND phường; đề nghị gửi đến cơ quan có thẩm quyền."
    ),
}


def seed_demo_feedback(ward) -> int:
    """Returns how many demo feedback rows were made (0 on a rerun)."""
    if Feedback.objects.filter(unit=ward, subject=DEMO_FEEDBACK[0][0]).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=["desk", "specialist", "leader"])}
    if len(users) < 3:
        return 0
    now = timezone.now()
    made = 0
    for i, (subject, content, kind, days_ago, outcome, channel) in enumerate(DEMO_FEEDBACK):
        received = now - timedelta(days=days_ago)
        contact = {"sender_name": f"Người dân {i + 1}", "sender_phone": f"09120000{i + 10:02d}"}
        if channel == "online":
            feedback = feedback_submit(kind=kind, subject=subject, content=content, unit=ward, now=received, **contact)
        else:
            feedback = feedback_log(
                actor=users["desk"],
                kind=kind,
                channel=channel,
                subject=subject,
                content=content,
                now=received,
                **contact,
            )
        made += 1
        if outcome == "open" and days_ago < 5:
            continue
        feedback = feedback_assign(actor=users["desk"], feedback=feedback, assignee=users["specialist"])
        if outcome == "open":
            continue
        feedback = feedback_start(actor=users["specialist"], feedback=feedback)
        if outcome == "early":
            at = received + timedelta(days=3)
        else:
            at = min(feedback.due_at + timedelta(days=1), now - timedelta(minutes=1))
        if outcome == "reject":
            feedback_reject(actor=users["leader"], feedback=feedback, reason=ANSWERS["reject"], now=at)
        else:
            feedback_answer(actor=users["specialist"], feedback=feedback, answer=ANSWERS[outcome], now=at)
    return made
