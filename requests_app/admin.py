from django.contrib import admin

from requests_app.models import ControllerProfile, OutgoingEmail, RequestEvent, SubjectRequest


@admin.register(ControllerProfile)
class ControllerProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "dpo_email", "national_number_enabled")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Requests change only through the workflow; events never change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubjectRequest)
class SubjectRequestAdmin(ReadOnlyAdmin):
    list_display = ("reference", "request_type", "status", "channel", "due_date")
    list_filter = ("status", "request_type", "channel")
    search_fields = ("reference",)
    exclude = ("national_number", "token_hash", "token_encrypted")


@admin.register(RequestEvent)
class RequestEventAdmin(ReadOnlyAdmin):
    list_display = ("request", "seq", "kind", "actor_label", "created_at")
    list_filter = ("kind",)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ("template", "created_at", "sent_at", "attempts")
    exclude = ("body_text", "body_html")
