"""Admin plumbing shared by every app: saves go through services, and what a service rejects is shown.

A ModelAdmin's save_model / save_related / delete_model call a service; the form has already run the same
checks, so a service refusing afterwards means a race or a rule spanning rows. The admin wraps each submit in
one transaction: the refusal rolls the whole submit back and comes back as an error message, never a 500.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext

from portal.units.calendar.domain.working_time import CalendarError


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, CalendarError):
        return [gettext(exc.template) % exc.params]
    return list(exc.messages)


class ServiceWriteAdminMixin:
    def _refused(self, request, exc: Exception):
        for message in _messages(exc):
            self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except (ValidationError, CalendarError) as exc:
            return self._refused(request, exc)

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except (ValidationError, CalendarError) as exc:
            return self._refused(request, exc)


class ObjectReachAdminMixin:
    """An object outside the user's reach (not in the admin's get_queryset) is missing: 404, as in every view.

    Django's admin redirects to its index for a missing object, and django-simple-history's history pages
    fall back to the history table, which would show another unit's rows; both ask get_queryset here first.
    """

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(gettext("No such object."))

    def _reachable_or_404(self, request, object_id) -> None:
        """403 for a model the user may not use at all, then 404 for an object outside their reach."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if self.get_object(request, unquote(object_id)) is None and not request.user.is_superuser:
            raise Http404(gettext("No such object."))

    def history_view(self, request, object_id, extra_context=None):
        self._reachable_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._reachable_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
