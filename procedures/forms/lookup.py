"""The public lookup's input (shared by the page and the API): a dossier code and the applicant's phone."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from portal.accounts.validators import normalize_phone, validate_phone
from procedures.models.dossiers import DOSSIER_CODE_PATTERN


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=40,
        help_text=_("As printed on your receipt, e.g. H26.08.04-260105-0007."),
        validators=[
            RegexValidator(
                DOSSIER_CODE_PATTERN,
                _("A dossier code looks like H26.08.04-260105-0007."),
                code="code_format",
            )
        ],
    )
    phone = forms.CharField(
        label=_("Applicant's phone number"),
        max_length=20,
        help_text=_("The phone number of the account the dossier was filed under."),
    )

    def clean_phone(self) -> str:
        """Normalised like the login, so 0912 345 678, +84912345678 and fullwidth digits are one number."""
        phone = normalize_phone(self.cleaned_data["phone"])
        validate_phone(phone)
        return phone
