"""Registration, login and password forms; they validate and normalise, the services save."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminPasswordChangeForm as AdminOwnPasswordChangeForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
    UserChangeForm,
)
from django.utils.translation import gettext_lazy as _

from . import services
from .backends import resolve_account
from .models import User
from .validators import clean_optional_cccd, normalize_cccd, normalize_phone, validate_phone


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"), max_length=20, help_text=_("Used to log in and to look up your dossiers.")
    )
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    cccd = forms.CharField(label=_("Citizen ID (CCCD, optional)"), max_length=20, required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput, strip=False)
    # Optional: without it, the language the page is shown in.
    language = forms.ChoiceField(
        label=_("Language of the e-mails we send you"), choices=settings.LANGUAGES, required=False
    )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Enter your full name."))
        return name

    # No uniqueness checks here: whether a phone, e-mail or citizen ID is registered is never said
    # field by field (services.citizen_register raises one neutral AccountExists instead).
    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        validate_phone(phone)
        return phone

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_cccd(self):
        return clean_optional_cccd(self.cleaned_data["cccd"])

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            phone = cleaned.get("phone", "")
            probe = User(
                username=phone, full_name=cleaned.get("full_name", ""), phone=phone, email=cleaned.get("email", "")
            )
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


class LoginPasswordResetForm(PasswordResetForm):
    """Ask for a reset link by any login; the page that follows is the same whether or not it matched."""

    email = forms.CharField(label=_("Phone, email or username"), max_length=254)

    def get_users(self, login):
        user = resolve_account(login)
        if user is not None and user.is_active and user.has_usable_password() and user.email:
            yield user

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """Rendered here (in the visitor's language), sent by the worker: no SMTP time in the response."""
        from django.template import loader

        from .tasks import send_email_message

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        send_email_message.delay(subject, body, from_email, [to_email], html)


class ResetSetPasswordForm(SetPasswordForm):
    """The last step of a reset: the new password also lifts the account's login lock."""

    def save(self, commit=True):
        return services.user_password_set(actor=self.user, user=self.user, password=self.cleaned_data["new_password1"])


class AdminSetPasswordForm(AdminPasswordChangeForm):
    """The admin's password form; ``actor`` (the administrator) is bound per request by the admin."""

    actor = None

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data.get("set_usable_password", True) else None
        return services.user_password_set(actor=self.actor, user=self.user, password=password)


class _DistinctLoginMixin:
    """Admin forms: a username or phone that another account logs in with would make both unusable."""

    def clean(self):
        cleaned = super().clean()
        current = self.instance

        def value(name):
            return cleaned.get(name, getattr(current, name, "")) or ""

        in_use = services.identifiers_in_use(
            username=value("username"),
            phone=normalize_phone(value("phone")),
            email=value("email").strip(),
            cccd=normalize_cccd(value("cccd")),
            exclude_pk=current.pk,
        )
        if in_use:
            raise forms.ValidationError(services.IDENTIFIER_IN_USE)
        return cleaned


class AdminUserChangeForm(_DistinctLoginMixin, UserChangeForm):
    pass


class AdminUserAddForm(_DistinctLoginMixin, AdminUserCreationForm):
    pass


class OwnPasswordChangeForm(AdminOwnPasswordChangeForm):
    """A staff member changing their own password on the admin site: through the accounts service too."""

    def save(self, commit=True):
        return services.user_password_set(actor=self.user, user=self.user, password=self.cleaned_data["new_password1"])
