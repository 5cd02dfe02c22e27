"""The rating form (online and paper): a level, a reason (required when dissatisfied) and optional 0–2 scores."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from procedures.domain.feedback import RatingCriterion, SatisfactionLevel
from procedures.services.ratings import REASON_MAX_LENGTH

CRITERION_PREFIX = "criterion_"
SCORE_CHOICES = [("2", _("2 — good")), ("1", _("1 — acceptable")), ("0", _("0 — poor"))]


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("How satisfied are you with the service?"),
        choices=SatisfactionLevel.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose how satisfied you are: very satisfied, satisfied or dissatisfied.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required if you are dissatisfied: tell us what went wrong."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in RatingCriterion:
            self.fields[CRITERION_PREFIX + criterion.value] = forms.ChoiceField(
                label=criterion.label,
                choices=SCORE_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def criterion_fields(self):
        return [self[CRITERION_PREFIX + c.value] for c in RatingCriterion]

    def clean(self):
        data = super().clean()
        if data.get("level") == SatisfactionLevel.DISSATISFIED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Tell us why you are dissatisfied: a reason is required."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        criteria = {
            c.value: int(data[CRITERION_PREFIX + c.value])
            for c in RatingCriterion
            if data.get(CRITERION_PREFIX + c.value)
        }
        return {"level": data["level"], "reason": data.get("reason", ""), "criteria": criteria}

    def add_service_errors(self, exc) -> None:
        """A ValidationError from rating_submit, onto the matching fields (criteria: the form as a whole)."""
        for name, messages in exc.message_dict.items():
            field = name if name in ("level", "reason") else None
            for message in messages:
                self.add_error(field, message)
