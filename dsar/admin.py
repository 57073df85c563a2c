"""The register and the connectors in Django's admin, kept for emergencies: the
workspace's register and sources pages (requests_app.register) read them, test
a source, preview a subject and load the YAML (also ``manage.py dsar_config``).
Jobs are shown read-only, without the records."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from config import reauth
from dsar import config_secrets, gathering
from dsar.connectors import kinds
from dsar.connectors.base import as_stored, translate
from dsar.models import Connector, DataCategory, Job, ManualTask, ProcessingActivity, Recipient, SourceRun


@admin.register(DataCategory)
class DataCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "sensitive", "portable"]
    list_filter = ["sensitive", "portable"]
    search_fields = ["code"]


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "country", "outside_eea"]
    list_filter = ["kind", "outside_eea"]
    filter_horizontal = ["categories"]
    search_fields = ["code", "name"]


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "legal_basis", "legal_hold_years", "direct_marketing", "active"]
    list_filter = ["legal_basis", "direct_marketing", "active"]
    filter_horizontal = ["categories", "recipients"]
    search_fields = ["code"]


class ConnectorForm(forms.ModelForm):
    class Meta:
        model = Connector
        fields = [
            "code",
            "name",
            "kind",
            "config",
            "categories",
            "activities",
            "identity_fields",
            "operations",
            "timeout_seconds",
            "max_rows",
            "enabled",
            "default_assignee",
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        kind = kinds().get(cleaned.get("kind") or "")
        config = cleaned.get("config") or {}
        problems = [f"{path}: {message}" for path, message in kind.validate_config(config)] if kind else []
        problems += [
            f"{'.'.join(map(str, path))}: " + str(_("secrets are never stored; name an environment variable instead."))
            for path in config_secrets.secret_paths(config)
        ]
        if problems:
            raise forms.ValidationError({"config": problems})
        return cleaned


@admin.register(Connector)
class ConnectorAdmin(admin.ModelAdmin):
    form = ConnectorForm
    list_display = ["code", "name", "kind", "enabled", "timeout_seconds", "max_rows"]
    list_filter = ["kind", "enabled"]
    filter_horizontal = ["categories", "activities"]
    search_fields = ["code", "name"]
    actions = ["test_connection"]
    change_form_template = "admin/dsar/connector/change_form.html"

    def _needs_second_factor(self, request):
        """A connector names the secrets the worker sends and where it sends
        them: adding, changing or deleting one asks for a recent second factor
        (config.reauth), so that a session left open is not enough."""
        if reauth.is_recent(request):
            return None
        messages.warning(
            request,
            _("Changing a connector asks for your second factor again: enter a code from your authenticator app."),
        )
        return redirect(reauth.confirm_url(request.get_full_path()))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._needs_second_factor(request) or super().changeform_view(
            request, object_id, form_url, extra_context
        )

    def delete_view(self, request, object_id, extra_context=None):
        return self._needs_second_factor(request) or super().delete_view(request, object_id, extra_context)

    @admin.action(description=_("Test the connection"))
    def test_connection(self, request, queryset):
        for connector in queryset:
            ok, message = gathering.test_connection(connector)
            text = translate(as_stored(message))
            self.message_user(request, f"{connector.name}: {text}", messages.SUCCESS if ok else messages.ERROR)


class SourceRunInline(admin.TabularInline):
    model = SourceRun
    fields = readonly_fields = ("connector", "status", "attempts", "record_count", "duration_ms", "error", "warnings")
    extra = 0
    can_delete = False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["external_ref", "operation", "status", "created_at", "finished_at"]
    list_filter = ["operation", "status"]
    search_fields = ["external_ref"]
    # The identity is personal data: never shown here.
    exclude = ["identity"]
    readonly_fields = ["external_ref", "operation", "options", "status", "created_at", "finished_at"]
    inlines = [SourceRunInline]

    def has_add_permission(self, request):
        return False


@admin.register(ManualTask)
class ManualTaskAdmin(admin.ModelAdmin):
    list_display = ["pk", "run", "assignee", "status", "created_at", "completed_at"]
    list_filter = ["status"]
    fields = ["run", "instructions", "assignee", "status", "completed_at", "completed_by"]
    readonly_fields = ["run", "instructions", "status", "completed_at", "completed_by"]

    def has_add_permission(self, request):
        return False
