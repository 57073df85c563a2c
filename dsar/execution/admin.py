"""The erasures deferred by a legal hold, read-only: the daily task acts on
them, the DPO watches what is pending and what failed."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dsar.execution.models import DeferredErasure


@admin.register(DeferredErasure)
class DeferredErasureAdmin(admin.ModelAdmin):
    list_display = ["due_on", "connector", "entity", "record_key", "action", "status", "external_ref", "done_at"]
    list_filter = ["status", "connector", "entity"]
    search_fields = ["external_ref", "record_key"]
    date_hierarchy = "due_on"
    readonly_fields = [
        "connector",
        "entity",
        "record_key",
        "due_on",
        "action",
        "fields",
        "external_ref",
        "status",
        "created_at",
        "attempts",
        "changed",
        "done_at",
        "error",
    ]
    actions = ["mark_erased_by_hand"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_mark_erased_permission(self, request):
        return request.user.has_perm("dsar_execution.change_deferrederasure")

    @admin.action(
        description=_("Mark as erased by hand (sources the engine cannot erase)"), permissions=["mark_erased"]
    )
    def mark_erased_by_hand(self, request, queryset):
        items = list(queryset.filter(status=DeferredErasure.Status.MANUAL))
        for item in items:
            item.status, item.done_at, item.error = DeferredErasure.Status.DONE, timezone.now(), ""
        DeferredErasure.objects.bulk_update(items, ["status", "done_at", "error"])
        # Imported here: the erasure engine (SQLAlchemy, httpx) is the worker's;
        # the admin, loaded by every web process, needs it for this action only.
        from dsar.execution import deferred

        deferred.announce(items)
        self.message_user(
            request,
            ngettext("%(n)d record marked erased.", "%(n)d records marked erased.", len(items)) % {"n": len(items)},
            messages.SUCCESS,
        )
