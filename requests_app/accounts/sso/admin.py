"""Single sign-on in the admin: read only (rows are written by sign-ins alone)."""

from django.contrib import admin

from .models import SsoAccount, SsoEvent


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # An audit trail is not edited; a deleted user's rows keep the username.
        return False


@admin.register(SsoEvent)
class SsoEventAdmin(_ReadOnly):
    list_display = ("at", "username", "kind", "detail")
    list_filter = ("kind",)
    search_fields = ("username",)
    date_hierarchy = "at"


@admin.register(SsoAccount)
class SsoAccountAdmin(_ReadOnly):
    list_display = ("user", "issuer", "created_at", "last_sign_in_at")
    search_fields = ("user__username", "user__email")
    # The subject identifier is the provider's, shown to tell two namesakes apart.
    fields = ("user", "issuer", "subject", "created_at", "last_sign_in_at")
    readonly_fields = fields
