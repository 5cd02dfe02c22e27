"""Forms of the catalogue: public filters (shared by the page and the API), import rows, admin."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from procedures.models import (
    DeadlineUnit,
    DocumentForm,
    FeeKind,
    Field,
    ImplementingLevel,
    OnlineLevel,
    Procedure,
    RequiredDocument,
)
from procedures.models.catalogue import CODE_PATTERN, TEMPLATE_EXTENSIONS, single_line
from procedures.services.catalogue import step_allotment_error

TRUE_VALUES = frozenset({"true", "1", "on", "yes"})
FALSE_VALUES = frozenset({"false", "0", "off", "no"})
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024
# First bytes of the template formats we accept: PDF, OOXML/ODF (zip) and legacy Word (OLE).
TEMPLATE_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


class StrictBooleanField(forms.Field):
    """A yes/no query parameter that rejects anything else, instead of silently reading it as 'no'."""

    default_error_messages = {"invalid": _("Use true or false.")}

    def __init__(self, *, empty_value=None, **kwargs):
        self.empty_value = empty_value
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return self.empty_value
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class CatalogueFilterForm(forms.Form):
    """Query parameters of the catalogue page and of GET /api/procedures/; errors name the parameter."""

    search = forms.CharField(label=_("Search"), required=False, max_length=100, strip=True)
    field = forms.ChoiceField(label=_("Field"), required=False)
    no_wait = StrictBooleanField(label=_("No-wait procedures only"))
    online_level = forms.ChoiceField(
        label=_("Online service"), required=False, choices=[("", _("Any"))] + list(OnlineLevel.choices)
    )

    def __init__(self, *args, fields: list[Field] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = list(fields) if fields is not None else list(Field.objects.all())
        self.fields["field"].choices = [("", _("All fields"))] + [(f.code, f.localized("name")) for f in fields]
        self.fields["field"].error_messages["invalid_choice"] = _("Unknown field “%(value)s”.")
        self.fields["online_level"].error_messages["invalid_choice"] = _(
            "Unknown online level “%(value)s”: use full, partial or none."
        )


# --- import rows -------------------------------------------------------------------------------------


class ProcedureRowForm(forms.Form):
    """One procedure row of an import file, scalar columns only (documents and steps are parsed apart)."""

    code = forms.CharField(max_length=30, validators=[RegexValidator(CODE_PATTERN)])
    name = forms.CharField(max_length=500)
    name_en = forms.CharField(max_length=500, required=False)
    field = forms.SlugField(max_length=50)
    field_name = forms.CharField(max_length=200, required=False)
    field_name_en = forms.CharField(max_length=200, required=False)
    legal_basis = forms.CharField(required=False)
    applicant = forms.CharField(required=False)
    applicant_en = forms.CharField(required=False)
    implementing_level = forms.ChoiceField(choices=ImplementingLevel.choices)
    result = forms.CharField(max_length=500, required=False)
    result_en = forms.CharField(max_length=500, required=False)
    fee_kind = forms.ChoiceField(choices=FeeKind.choices)
    fee_amount = forms.IntegerField(min_value=0, required=False)
    fee_description = forms.CharField(required=False)
    fee_description_en = forms.CharField(required=False)
    online_level = forms.ChoiceField(choices=OnlineLevel.choices)
    deadline_amount = forms.IntegerField(min_value=1)
    deadline_unit = forms.ChoiceField(choices=DeadlineUnit.choices)
    deadline_cutoff = forms.TimeField(required=False, input_formats=["%H:%M", "%H:%M:%S"])
    no_wait = StrictBooleanField(required=True, empty_value=None)
    no_wait_minutes = forms.IntegerField(min_value=1, max_value=32767, required=False)
    is_active = StrictBooleanField(required=True, empty_value=None)
    source_note = forms.CharField(required=False)

    def clean_no_wait(self):
        return self._required_bool("no_wait")

    def clean_is_active(self):
        return self._required_bool("is_active")

    def _required_bool(self, name):
        value = self.cleaned_data.get(name)
        if value is None:
            raise ValidationError(_("Use true or false."), code="required")
        return value


class DocumentRowForm(forms.Form):
    name = forms.CharField(max_length=500, validators=[single_line])
    name_en = forms.CharField(max_length=500, required=False, validators=[single_line])
    form = forms.ChoiceField(choices=DocumentForm.choices)
    count = forms.IntegerField(min_value=1, max_value=100)
    note = forms.CharField(max_length=500, required=False, validators=[single_line])
    note_en = forms.CharField(max_length=500, required=False, validators=[single_line])
    template = forms.CharField(max_length=100, required=False, validators=[single_line])


class StepRowForm(forms.Form):
    description = forms.CharField(max_length=500, validators=[single_line])
    description_en = forms.CharField(max_length=500, required=False, validators=[single_line])
    responsible = forms.CharField(max_length=200, validators=[single_line])
    responsible_en = forms.CharField(max_length=200, required=False, validators=[single_line])
    minutes = forms.IntegerField(min_value=1)


# --- admin ---------------------------------------------------------------------------------------------


def validate_template_upload(upload) -> None:
    """Templates are published to everyone: allow only PDF / Word / ODT, by content and size."""
    if upload is None or not hasattr(upload, "read"):
        return
    if getattr(upload, "size", 0) > TEMPLATE_MAX_BYTES:
        raise ValidationError(_("A template may be at most 5 MB."))
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in TEMPLATE_MAGIC):
        raise ValidationError(
            _("This file is not a PDF, Word or OpenDocument file (allowed: %(ext)s).")
            % {"ext": ", ".join(TEMPLATE_EXTENSIONS)}
        )


class RequiredDocumentAdminForm(forms.ModelForm):
    class Meta:
        model = RequiredDocument
        fields = ["position", "name", "name_en", "form", "count", "note", "note_en", "template"]

    def clean_template(self):
        upload = self.cleaned_data.get("template")
        if upload and upload is not getattr(self.instance, "template", None) and hasattr(upload, "content_type"):
            validate_template_upload(upload)
        return upload


class ProcessStepInlineFormSet(forms.BaseInlineFormSet):
    """Checks the rule a CHECK constraint cannot: the steps fit in the statutory deadline.

    The parent form has already been validated and copied onto self.instance, so a deadline edited
    in the same submit is the one compared against.
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        procedure: Procedure = self.instance
        if not procedure.deadline_amount or not procedure.deadline_unit:
            return
        minutes = [
            form.cleaned_data["allotment_minutes"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("allotment_minutes")
        ]
        message = step_allotment_error(procedure, minutes)
        if message:
            raise ValidationError(message)
