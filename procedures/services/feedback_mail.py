"""E-mails of the feedback sweep flags: each notice mailed at most once, in its recipient's language.

The sweep writes `FeedbackNotice` rows (the in-app notice) in its transaction and hands their ids to the
worker after commit. Sending locks the row (skip_locked: two workers never wait on each other) and sets
`emailed_at` in the same transaction, so a second copy of the task finds it sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from procedures.models import FeedbackNotice

from .booking import local_text
from .notifications import recipient_language


def feedback_notices_enqueue(ids: list[int]) -> None:
    """After commit, one delivery task per notice (nothing is sent for a rolled-back sweep)."""

    def enqueue():
        from procedures.tasks import send_feedback_notice

        for pk in ids:
            send_feedback_notice.delay(pk)

    transaction.on_commit(enqueue)


def feedback_notice_send(*, notice_id: int) -> bool:
    """Mail one notice if its recipient has an address and it was not mailed yet; True when sent."""
    with transaction.atomic():
        notice = (
            FeedbackNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "feedback", "feedback__unit")
            .filter(pk=notice_id, emailed_at__isnull=True)
            .first()
        )
        if notice is None or not notice.recipient.email:
            return False
        feedback = notice.feedback
        with translation.override(recipient_language(notice.recipient)):
            if notice.kind == FeedbackNotice.Kind.OVERDUE:
                subject = _("Feedback %(code)s is overdue") % {"code": feedback.code}
            else:
                subject = _("Feedback %(code)s is due soon") % {"code": feedback.code}
            body = "\n".join(
                [
                    subject,
                    "",
                    _("Subject: %(subject)s") % {"subject": feedback.subject},
                    _("Unit: %(unit)s") % {"unit": feedback.unit.name},
                    _("Answer due: %(time)s (Vietnam time)") % {"time": local_text(notice.due_at)},
                    "",
                    _("Answer it on the staff feedback page: %(url)s")
                    % {"url": f"{settings.PUBLIC_BASE_URL.rstrip('/')}/can-bo/phan-anh/{feedback.code}/"},
                ]
            )
            send_mail(subject, body, None, [notice.recipient.email])
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at"])
    return True
