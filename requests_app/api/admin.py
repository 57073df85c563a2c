from django import forms
from django.contrib import admin

from requests_app.api.models import ApiToken, WebhookDelivery, WebhookSubscription
from requests_app.api.webhooks import TargetRefused, check_target


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    # The hash is useless to a reader and the token itself is never stored.
    exclude = ("token_hash",)
    readonly_fields = ("user", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request):
        # Tokens are made in the workspace or with create_api_token, which show them once.
        return False


class WebhookSubscriptionForm(forms.ModelForm):
    class Meta:
        model = WebhookSubscription
        # Never the secret: it is shown once, through the API.
        fields = ("name", "url", "events", "active", "created_by")

    def clean_url(self):
        # The same target rules as the API: no private addresses in production.
        url = self.cleaned_data["url"]
        try:
            check_target(url)
        except TargetRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ("__str__", "url", "active", "created_at")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event_kind", "reference", "subscription", "status", "attempts", "last_status_code", "created_at")
    list_filter = ("status", "event_kind")
    search_fields = ("reference",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
