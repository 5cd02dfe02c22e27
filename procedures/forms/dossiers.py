"""Citizen forms on dossiers: the online submission (one file input per required document, several files each),
the answer to a supplement request, the withdrawal, and the "my dossiers" filter. Thin: the rules are the
services'."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from procedures.domain.workflow import DossierStatus
from procedures.services.dossier_drafts import is_draft_key
from procedures.services.dossiers import is_mandatory
from procedures.services.uploads import ALLOWED

ACCEPT = ",".join(sorted({ext for exts in ALLOWED.values() for ext in exts} | set(ALLOWED)))


def upload_rules_text() -> str:
    return _(
        "PDF, JPEG or PNG; a document may take several files (a photo of each page, say); at most %(file)s per "
        "file, and %(count)s files and %(total)s per dossier."
    ) % {
        "file": filesizeformat(settings.DOSSIER_MAX_FILE_BYTES),
        "count": settings.DOSSIER_MAX_FILES,
        "total": filesizeformat(settings.DOSSIER_MAX_TOTAL_BYTES),
    }


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files for one document (a scan or a photo per page), each checked as a FileField checks one;
    cleans to a list. Django's documented pattern, plus the required check on an empty list."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _file_field(document, *, required: bool) -> MultipleFileField:
    return MultipleFileField(
        label=document.localized("name"),
        required=required,
        help_text=document.localized("note"),
        widget=MultipleFileInput(attrs={"accept": ACCEPT, "class": "form-control"}),
    )


class DocumentFilesMixin:
    """`document_<position>` file fields, one per required document, each taking several files;
    `files_given()` pairs every file with its document."""

    def add_document_fields(self, documents, *, mandatory_required: bool) -> None:
        self.documents = list(documents)
        for document in self.documents:
            required = mandatory_required and is_mandatory(document)
            self.fields[f"document_{document.position}"] = _file_field(document, required=required)

    def document_rows(self):
        """(document, bound field, mandatory) for the template."""
        return [(d, self[f"document_{d.position}"], is_mandatory(d)) for d in self.documents]

    def files_given(self) -> list[tuple[object, object]]:
        return [(d, upload) for d in self.documents for upload in self.cleaned_data.get(f"document_{d.position}") or []]


class DraftKeyField(forms.CharField):
    widget = forms.HiddenInput

    def validate(self, value):
        super().validate(value)
        if not is_draft_key(value):
            raise forms.ValidationError(_("The form has expired; please load it again."))


class SubmissionForm(DocumentFilesMixin, forms.Form):
    key = DraftKeyField()
    unit = forms.ModelChoiceField(
        label=_("Submit to"), queryset=None, empty_label=None, help_text=_("The ward or commune that receives it.")
    )

    def __init__(self, *args, documents, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].widget.attrs["class"] = "form-select"
        self.add_document_fields(documents, mandatory_required=True)


class SupplementForm(DocumentFilesMixin, forms.Form):
    expected_status = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_document_fields(documents, mandatory_required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.files_given():
            raise forms.ValidationError(_("Upload at least one of the documents asked for."))
        return cleaned


class WithdrawForm(forms.Form):
    expected_status = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class MyDossiersFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *DossierStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
