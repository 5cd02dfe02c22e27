from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_http_methods

from ..cross_origin import cross_origin_protected
from . import lockout, services
from .forms import LoginForm, LoginPasswordResetForm, RegistrationForm, ResetSetPasswordForm
from .ratelimit import limit_reached


def _too_many(request):
    return render(request, "accounts/too_many_requests.html", status=429)


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST":
        # Probing which phones or citizen IDs exist costs one registration each: refuse a flood up front.
        if limit_reached(request, "register-conflict", settings.REGISTRATION_CONFLICT_RATE, count=False):
            return _too_many(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.citizen_register(
                    full_name=data["full_name"],
                    phone=data["phone"],
                    email=data["email"],
                    cccd=data["cccd"],
                    password=data["password1"],
                    language=data["language"] or translation.get_language(),
                )
            except services.AccountExists as exc:
                limit_reached(request, "register-conflict", settings.REGISTRATION_CONFLICT_RATE)
                form.add_error(None, exc.message)
            else:
                login(request, user, backend="portal.accounts.backends.PhoneOrEmailBackend")
                messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.full_name})
                return redirect("home")
    return render(request, "accounts/register.html", {"form": form})


class PortalLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PortalLogoutView(auth_views.LogoutView):
    pass


def locked_out(request, original_response=None, credentials=None):
    """django-axes lockout page: how long the cool-off lasts, and the way out now (a password reset)."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    if request.path_info.startswith("/api/"):
        detail = _("Too many failed login attempts. Try again in %(minutes)d minutes or reset your password.")
        return JsonResponse({"detail": detail % {"minutes": minutes}}, status=429)
    by_address = lockout.address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT
    context = {"cooloff_minutes": minutes, "by_address": by_address}
    return render(request, "accounts/locked_out.html", context, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Same answer whether or not the login exists; limited per client address (each request may send mail)."""

    form_class = LoginPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if limit_reached(request, "password-reset", settings.PASSWORD_RESET_RATE):
            return _too_many(request)
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@cross_origin_protected
def set_language(request):
    """Django's language switcher; a signed-in person's choice is also kept on the account, so the portal's
    e-mails to them follow it. Guarded by where the browser says the post comes from instead of a CSRF token:
    the form is on every page (portal/cross_origin.py)."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_language_set(user=request.user, language=language)
    return response
