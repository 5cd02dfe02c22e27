from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import LoginForm, RegistrationForm


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.citizen_register(
            full_name=data["full_name"],
            phone=data["phone"],
            email=data["email"],
            cccd=data["cccd"],
            password=data["password1"],
        )
        login(request, user, backend="portal.accounts.backends.PhoneOrEmailBackend")
        messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.full_name})
        return redirect("home")
    return render(request, "accounts/register.html", {"form": form})


class PortalLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PortalLogoutView(LogoutView):
    pass


def locked_out(request, original_response=None, credentials=None):
    """django-axes lockout page: says how long the cool-off lasts, in the user's language."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
