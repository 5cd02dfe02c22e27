"""Feedback forms: the public one, the staff log and the staff actions. The rules live in
procedures.services.feedback; these only shape the input (and take the service's errors back onto fields)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from portal.accounts.validators import normalize_phone, validate_phone
from portal.units.models import Unit
from procedures.domain.feedback import FeedbackChannel, FeedbackKind, FeedbackStatus


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the matching fields (the rest on the form)."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


def _contact_fields(form):
    form.fields["sender_name"] = forms.CharField(label=_("Your full name"), max_length=150, required=False)
    form.fields["sender_phone"] = forms.CharField(label=_("Phone"), max_length=20, required=False)
    form.fields["sender_email"] = forms.CharField(label=_("E-mail"), max_length=254, required=False)


class FeedbackForm(ServiceErrorsMixin, forms.Form):
    # Required here (not only in the service) so a forgotten field costs no try of the rate limit.
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices, widget=forms.RadioSelect)
    unit = forms.ModelChoiceField(
        label=_("Ward or commune"),
        queryset=Unit.objects.none(),
        to_field_name="code",
        required=False,
        help_text=_("Not needed when the feedback is about a dossier: the dossier's unit receives it."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    dossier_code = forms.CharField(
        label=_("Dossier code (optional)"),
        max_length=40,
        required=False,
        help_text=_("If the feedback is about a dossier: the code on its receipt."),
    )
    dossier_phone = forms.CharField(
        label=_("Applicant's phone number (with a dossier code)"),
        max_length=20,
        required=False,
        help_text=_("Not needed when you are signed in as the applicant."),
    )
    procedure = forms.CharField(
        label=_("Procedure code (optional)"),
        max_length=20,
        required=False,
        help_text=_("If the feedback is about a procedure of the catalogue, e.g. 1.001612."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(kind__in=[Unit.Kind.WARD, Unit.Kind.COMMUNE]).order_by(
            "name"
        )
        self.fields["unit"].initial = settings.DEFAULT_UNIT_CODE
        _contact_fields(self)
        signed_in = getattr(user, "is_authenticated", False)
        self.fields["sender_phone"].help_text = (
            _("A phone number or an e-mail address, to look the feedback up and hear back.")
            if not signed_in
            else _("Optional: your account's contact is used otherwise.")
        )
        self.signed_in = signed_in
        order = ["kind", "unit", "subject", "content", "sender_name", "sender_phone", "sender_email"]
        self.order_fields([*order, "dossier_code", "dossier_phone", "procedure"])

    def clean_sender_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["sender_phone"] or "")
        if phone:
            validate_phone(phone)
        return phone

    def clean_sender_email(self) -> str:
        email = (self.cleaned_data["sender_email"] or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(_("Enter a valid e-mail address, e.g. ten@example.vn.")) from None
        return email

    def clean(self):
        """The cheap checks all at once (the service repeats them): a reachable sender unless signed in."""
        data = super().clean()
        contact_errors = {"sender_phone", "sender_email"} & set(self.errors)
        if not self.signed_in and not contact_errors and not data.get("sender_phone") and not data.get("sender_email"):
            self.add_error("sender_phone", _("Give a phone number or an e-mail address so we can reach you."))
        return data


class FeedbackLogForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices)
    channel = forms.ChoiceField(
        label=_("Received"), choices=[c for c in FeedbackChannel.choices if c[0] != FeedbackChannel.ONLINE]
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    dossier_code = forms.CharField(label=_("Dossier code (optional)"), max_length=40, required=False)
    procedure = forms.CharField(label=_("Procedure code (optional)"), max_length=20, required=False)
    assigned_to = forms.ModelChoiceField(label=_("Hand to"), queryset=None, required=False)

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignees
        _contact_fields(self)
        self.fields["sender_name"].label = _("Sender's full name")
        self.order_fields(["kind", "channel", "subject", "content", "sender_name", "sender_phone", "sender_email"])


class FeedbackActionForm(ServiceErrorsMixin, forms.Form):
    """One of the staff actions on a feedback page; `version` is the one the officer read."""

    ACTIONS = ("assign", "start", "answer", "reject")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    assigned_to = forms.ModelChoiceField(label=_("Hand to"), queryset=None, required=False)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    published = forms.BooleanField(label=_("Publish the answer on the public page"), required=False)
    reason = forms.CharField(
        label=_("Reason for not accepting"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignees


class FeedbackStatusForm(forms.Form):
    code = forms.CharField(label=_("Feedback code"), max_length=40, help_text=_("e.g. PA-H26.08.04-260105-0003."))
    contact = forms.CharField(
        label=_("Phone or e-mail"), max_length=254, help_text=_("The one you gave when sending the feedback.")
    )


STAFF_STATUS_CHOICES = [("", _("all")), ("open", _("open")), *FeedbackStatus.choices]
