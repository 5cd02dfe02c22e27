"""API login (DRF token): the same account lookup, lockout and messages as the login page."""

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from .backends import MAX_LOGIN_LENGTH, storable


class LoginField(serializers.CharField):
    """A login as typed: refused before it reaches authentication (and the lockout log) if no account
    could have it — too long for the log's column, or holding a NUL the database cannot store."""

    default_error_messages = {
        "max_length": _("This login is too long."),
        "null_characters": _("This login contains a character that is not allowed."),
    }

    def __init__(self, **kwargs):
        super().__init__(max_length=MAX_LOGIN_LENGTH, **kwargs)
        # DRF's own messages for these lack a Vietnamese translation; ours say the same in both languages.
        prohibit = (ProhibitNullCharactersValidator, ProhibitSurrogateCharactersValidator)
        self.validators = [v for v in self.validators if not isinstance(v, prohibit)]

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not storable(value):
            self.fail("null_characters")
        return value


class TokenRequestSerializer(AuthTokenSerializer):
    username = LoginField(label=_("Phone, email or username"), write_only=True)

    def validate(self, attrs):
        # Authenticate against Django's request, so axes marks a lockout where its middleware looks for it.
        request = self.context["request"]
        self.context["request"] = getattr(request, "_request", request)
        try:
            return super().validate(attrs)
        finally:
            self.context["request"] = request


@extend_schema_view(
    post=extend_schema(
        summary="Exchange a login and password for an API token",
        description=(
            "The login is a phone number (any spelling), an e-mail address or a staff username. Failures are "
            "counted per account and per client address; past the limit the answer is 429 for a cool-off."
        ),
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Wrong login or password, or a login no account could have."),
            429: OpenApiResponse(description="Locked for a cool-off after repeated failures."),
        },
    )
)
class TokenView(ObtainAuthToken):
    """A locked-out login gets axes' lock response (JSON 429), which its middleware puts in place."""

    serializer_class = TokenRequestSerializer


obtain_auth_token = TokenView.as_view()
