import copy

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portal.admin_services import ObjectReachAdminMixin
from portal.units.selectors import units_visible_to

from . import permissions, services
from .forms import AdminSetPasswordForm, AdminUserAddForm, AdminUserChangeForm, OwnPasswordChangeForm
from .models import User

# The fields the admin's forms pass on to services.user_update (the rest of the model is not edited here).
_ADMIN_CHANGEABLE = services.USER_EDITABLE_FIELDS


@admin.register(User)
class UserAdmin(ObjectReachAdminMixin, BaseUserAdmin):
    """Administrators manage only the accounts permissions.manageable_users gives them; every write is a service call.

    An account outside that set (another unit's, a superuser, one holding extra permissions) is "not
    found" on every page, including /password/, so its existence is not confirmed either.
    """

    form = AdminUserChangeForm
    add_form = AdminUserAddForm
    change_password_form = AdminSetPasswordForm
    list_display = ("username", "full_name", "role", "unit", "phone", "is_active")
    list_filter = ("role", "is_active", "unit")
    search_fields = ("username", "full_name", "phone", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "email", "cccd")}),
        (_("Role"), {"fields": ("role", "unit", "is_active", "is_staff")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldsets = ((_("Extra rights"), {"fields": ("is_superuser", "groups", "user_permissions")}),)
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "role", "unit", "password1", "password2")}),
    )

    def get_queryset(self, request):
        users = super().get_queryset(request).select_related("unit")
        if request.user.is_superuser:
            return users
        return users.filter(pk__in=permissions.manageable_users(request.user))

    def get_object(self, request, object_id, from_field=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied  # a role that never manages accounts: forbidden, whatever the id
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Outside the administrator's reach and truly missing look the same: 404, never 403.
            raise Http404(_("No such account."))
        return obj

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            fieldsets = (*fieldsets, *self.superuser_fieldsets)
        return fieldsets

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.may_manage(request.user, obj))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.may_manage(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_superuser:
            kwargs["queryset"] = units_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            allowed = permissions.assignable_roles(request.user)
            kwargs["choices"] = [(value, label) for value, label in db_field.choices if value in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in _ADMIN_CHANGEABLE}
            saved = services.user_update(actor=request.user, user=obj, changes=changes)
        else:
            saved = services.user_create(
                actor=request.user,
                username=data["username"],
                role=data["role"],
                unit=data.get("unit"),
                full_name=data.get("full_name", ""),
                password=data["password1"] if data.get("set_usable_password", True) else None,
            )
        # The admin goes on with ``obj`` (redirects, the change log): make it the saved row.
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
        obj._state.adding, obj._state.db = False, saved._state.db

    def delete_model(self, request, obj):
        services.user_delete(actor=request.user, user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.user_delete(actor=request.user, user=user)

    def save_related(self, request, form, formsets, change):
        # groups / user_permissions were set by the service, under the same rule; only inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # Staff status follows the role (services._admin_site_access); the dates are history, not settings.
    readonly_fields = ("is_staff", "last_login", "date_joined")

    def user_change_password(self, request, id, form_url=""):
        # Django's view builds the form itself; a per-request copy hands it a form class bound to the
        # administrator, so the service can check the rule against who is acting.
        per_request = copy.copy(self)
        per_request.change_password_form = type(
            "BoundAdminSetPasswordForm", (self.change_password_form,), {"actor": request.user}
        )
        return BaseUserAdmin.user_change_password(per_request, request, id, form_url)


# The admin site's "change my password" page writes through the same service as every other password change.
admin.site.password_change_form = OwnPasswordChangeForm
