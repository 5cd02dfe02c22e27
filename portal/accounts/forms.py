"""Registration and login forms; they validate and normalise, the services save."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .validators import normalize_phone, validate_cccd, validate_phone


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"), max_length=20, help_text=_("Used to log in and to look up your dossiers.")
    )
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    cccd = forms.CharField(label=_("Citizen ID (CCCD, optional)"), max_length=20, required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput, strip=False)

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Enter your full name."))
        return name

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        validate_phone(phone)
        if User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("An account with this phone number already exists."))
        return phone

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email

    def clean_cccd(self):
        cccd = "".join(self.cleaned_data["cccd"].split())
        if cccd:
            validate_cccd(cccd)
            if User.objects.filter(cccd=cccd).exists():
                raise forms.ValidationError(_("An account with this citizen ID already exists."))
        return cccd

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            probe = User(full_name=cleaned.get("full_name", ""), phone=cleaned.get("phone", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Phone, email or username"), max_length=150)

    error_messages = {
        "invalid_login": _(
            "The login or password is wrong. After several failed attempts the account is locked for a while."
        ),
        "inactive": _("This account is inactive."),
    }

    def add_error(self, field, error):
        """A wrong login is the form's error, not one field's: mark both fields and point them at the summary."""
        super().add_error(field, error)
        if field is None:
            for name in ("username", "password"):
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": "form-errors"})
