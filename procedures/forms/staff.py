"""Forms of the staff pages: queue filters, one form per transition, receipt in person (and the no-wait one).

Each action form carries the status the page showed (`expected_status`, hidden): dossier_transition compares it,
so an officer acting on a stale page gets the Conflict message and nothing changes.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accounts.validators import (
    clean_optional_cccd,
    normalize_phone,
    validate_phone,
)
from portal.units.calendar.domain.working_time import VIETNAM_TZ
from procedures.domain.workflow import OPEN_STATUSES, Action, DossierStatus
from procedures.permissions import approval_leaders, unit_specialists
from procedures.selectors.work_queues import SECTION_KEYS
from procedures.services.dossiers import is_mandatory

LOCAL_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class VietnamDateTimeField(forms.DateTimeField):
    """A date and time typed in Vietnam time (the desk's wall clock), whatever the server's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", LOCAL_INPUT_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            for fmt in self.input_formats:
                try:
                    return datetime.strptime(value, fmt).replace(tzinfo=VIETNAM_TZ)
                except ValueError:
                    continue
            if value:
                raise ValidationError(_("Enter a date and time, e.g. 25/12/2026 14:30."), code="invalid")
            return None
        return super().to_python(value)


class QueueFilterForm(forms.Form):
    section = forms.ChoiceField(required=False, choices=[(k, k) for k in SECTION_KEYS])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any"))] + [(s.value, s.label) for s in DossierStatus if s in OPEN_STATUSES],
    )
    procedure = forms.ChoiceField(label=_("Procedure"), required=False)
    q = forms.CharField(label=_("Code or applicant's phone"), required=False, max_length=40, strip=True)

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("Any"))] + [(p.code, f"{p.code} — {p.name}") for p in procedures]


class ActionForm(forms.Form):
    """The fields every action shares; subclasses add what their action needs."""

    expected_status = forms.ChoiceField(choices=DossierStatus.choices, widget=forms.HiddenInput)

    def __init__(self, *args, dossier, **kwargs):
        kwargs.setdefault("prefix", self.action.value)
        kwargs.setdefault("initial", {"expected_status": dossier.status})
        self.dossier = dossier
        super().__init__(*args, **kwargs)

    def transition_kwargs(self) -> dict:
        return {"comment": self.cleaned_data.get("comment", "")}


def _reason(label):
    return forms.CharField(label=label, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReceiveForm(ActionForm):
    action = Action.RECEIVE


class ApproveForm(ActionForm):
    action = Action.APPROVE


class FinishForm(ActionForm):
    action = Action.FINISH


class ReturnResultForm(ActionForm):
    action = Action.RETURN_RESULT


class ReturnForGuidanceForm(ActionForm):
    action = Action.RETURN_FOR_GUIDANCE
    comment = _reason(_("What the citizen must complete"))


class RefuseForm(ActionForm):
    action = Action.REFUSE
    comment = _reason(_("Reason for refusal"))


class SendBackForm(ActionForm):
    action = Action.SEND_BACK
    comment = _reason(_("Comment for the specialist"))


class AssignForm(ActionForm):
    action = Action.ASSIGN
    assignee = forms.ModelChoiceField(label=_("Specialist"), queryset=None, empty_label=None)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["assignee"].queryset = unit_specialists(dossier.unit_id)

    def transition_kwargs(self) -> dict:
        return {"assignee": self.cleaned_data["assignee"]}


class SubmitForApprovalForm(ActionForm):
    action = Action.SUBMIT_FOR_APPROVAL
    leader = forms.ModelChoiceField(
        label=_("Leader"), queryset=None, required=False, empty_label=_("Any leader of the unit")
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["leader"].queryset = approval_leaders(dossier)

    def transition_kwargs(self) -> dict:
        return {"leader": self.cleaned_data.get("leader")}


class RequestSupplementForm(ActionForm):
    action = Action.REQUEST_SUPPLEMENT
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents to supplement"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    comment = _reason(_("Why, and what to complete"))

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["documents"].queryset = dossier.procedure.documents.order_by("position")

    def transition_kwargs(self) -> dict:
        names = "; ".join(d.name for d in self.cleaned_data["documents"])
        return {
            "comment": _("Documents: %(names)s. %(reason)s") % {"names": names, "reason": self.cleaned_data["comment"]}
        }


class RedateForm(ActionForm):
    action = Action.REDATE
    new_due_at = VietnamDateTimeField(label=_("New due time (Vietnam time)"))
    comment = _reason(_("Reason for the delay (apology letter)"))

    def clean_new_due_at(self):
        value = self.cleaned_data["new_due_at"]
        if self.dossier.due_at and value <= self.dossier.due_at:
            raise ValidationError(_("The new due time must be later than the current one."))
        return value

    def transition_kwargs(self) -> dict:
        return {"comment": self.cleaned_data["comment"], "new_due_at": self.cleaned_data["new_due_at"]}


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    form.action: form
    for form in (
        ReceiveForm,
        ReturnForGuidanceForm,
        RefuseForm,
        AssignForm,
        RequestSupplementForm,
        SubmitForApprovalForm,
        ApproveForm,
        SendBackForm,
        FinishForm,
        ReturnResultForm,
        RedateForm,
    )
}


# --- receipt in person ----------------------------------------------------------------------------------


class ApplicantForm(forms.Form):
    """Find the citizen by phone or CCCD; when there is no account, the details to open one."""

    identifier = forms.CharField(
        label=_("Citizen's phone or citizen ID (CCCD)"),
        max_length=30,
        required=False,
        help_text=_("To find an existing account."),
    )
    full_name = forms.CharField(label=_("Full name (new account)"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone (new account)"), max_length=20, required=False)
    cccd = forms.CharField(label=_("Citizen ID (CCCD, optional)"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone:
            validate_phone(phone)
        return phone

    def clean_cccd(self):
        return clean_optional_cccd(self.cleaned_data["cccd"])

    def clean(self):
        data = super().clean()
        if not data.get("identifier") and not data.get("full_name"):
            raise ValidationError(
                _("Find the citizen by phone or CCCD, or fill in a name and phone to open an account.")
            )
        if data.get("full_name") and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("A new account needs the citizen's phone number."))
        return data


class ChecklistForm(forms.Form):
    """One checkbox per required document (received on paper) and an optional scan for each."""

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.documents = list(procedure.documents.order_by("position", "pk"))
        for document in self.documents:
            mandatory = is_mandatory(document)
            self.fields[f"doc_{document.pk}"] = forms.BooleanField(
                label=document.name,
                required=False,
                help_text=_("Mandatory") if mandatory else _("When needed: %(note)s") % {"note": document.note},
            )
            self.fields[f"doc_{document.pk}"].mandatory = mandatory
            self.fields[f"scan_{document.pk}"] = forms.FileField(
                label=_("Scan of “%(name)s” (optional; PDF, JPEG, PNG)") % {"name": document.name},
                required=False,
            )

    def rows(self):
        for document in self.documents:
            yield document, self[f"doc_{document.pk}"], self[f"scan_{document.pk}"], is_mandatory(document)

    def ticked(self):
        return [d for d in self.documents if self.cleaned_data.get(f"doc_{d.pk}")]

    def scans(self):
        return [(d, self.cleaned_data[f"scan_{d.pk}"]) for d in self.documents if self.cleaned_data.get(f"scan_{d.pk}")]


class ArrivalForm(forms.Form):
    arrived_at = VietnamDateTimeField(
        label=_("Citizen arrived at (Vietnam time)"), required=False, help_text=_("Empty: now.")
    )
