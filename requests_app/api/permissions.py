"""Who may call what: the roles of requests_app.accounts.roles, as on the pages.

Changing a request is decided by the workflow itself (it raises
ActionForbidden), so these classes only say who may reach an endpoint.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from requests_app.accounts import roles


class IsStaffMember(BasePermission):
    """Any role of the workspace (DPO, privacy agent, auditor)."""

    message = _("Your account has no role in the workspace.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and roles.is_staff_member(request.user))


class StaffReadDpoWrite(IsStaffMember):
    """Everyone in the workspace reads; only a DPO changes (the register, connectors)."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        if not roles.is_dpo(request.user):
            self.message = _("Only a DPO may change this.")
            return False
        return True


class IsDpo(IsStaffMember):
    message = _("Only a DPO may do this.")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and roles.is_dpo(request.user)
