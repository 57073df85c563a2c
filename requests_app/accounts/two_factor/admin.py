from contextlib import suppress

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered

from .models import AuthenticatorApp
from .notices import notify_removed


@admin.register(AuthenticatorApp)
class AuthenticatorAppAdmin(admin.ModelAdmin):
    """Who has an authenticator app, and a way to remove it after a lost phone
    (the person then enrols a new one at the next sign-in). Never the seed."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__email", "name")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count")
    readonly_fields = fields

    def get_queryset(self, request):
        # The seed is not even decrypted to list or show an app.
        return super().get_queryset(request).defer("key").select_related("user")

    def has_add_permission(self, request):
        # An app is enrolled by its owner in the workspace, who alone sees the QR code.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        notify_removed([obj], by=request.user)

    def delete_queryset(self, request, queryset):
        removed = list(queryset.select_related("user"))
        super().delete_queryset(request, queryset)
        notify_removed(removed, by=request.user)


# django-otp's own admin for its plain-text devices would let a superuser add
# one (or, with OTP_ADMIN_HIDE_SENSITIVE_DATA off, read its seed): the
# workspace no longer uses them (migration 0002 moved them here).
if apps.is_installed("django_otp.plugins.otp_totp"):
    with suppress(NotRegistered):
        admin.site.unregister(apps.get_model("otp_totp", "TOTPDevice"))
