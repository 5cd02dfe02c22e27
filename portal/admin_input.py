"""Admin mixins that turn malformed object ids into 404s and ignore them when re-rendering a form.

Django's own change/delete views check an object id before querying; django-simple-history's views, our
own extra admin views and the autocomplete widget do not, and a hand-typed id such as `/history/abc/`
reached the ORM as a ValueError (a 500). One check here covers every admin that uses these mixins.
"""

from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.http import Http404


def checked_pk(model, raw) -> object:
    """The primary key `raw` names, converted as the database expects it, or a 404."""
    try:
        return model._meta.pk.to_python(unquote(str(raw)))
    except (ValidationError, ValueError, OverflowError):
        raise Http404 from None


class CheckedHistoryIdsMixin:
    """For SimpleHistoryAdmin: the object id and the history version id are checked before any query."""

    def history_view(self, request, object_id, extra_context=None):
        checked_pk(self.model, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        checked_pk(self.model, object_id)
        checked_pk(self.model.history.model, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


class SafeAutocompleteSelect(AutocompleteSelect):
    """Re-rendering a rejected form drops submitted values that cannot be a key (Django queried them)."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(remote.field_name)
        kept = []
        for item in value:
            try:
                target.to_python(item)
            except (ValidationError, ValueError, OverflowError):
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class SafeAutocompleteMixin:
    """For a ModelAdmin with autocomplete_fields: use SafeAutocompleteSelect for its foreign keys."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
