"""Who may call what: the roles of requests_app.accounts.roles, as on the pages.

Changing a request is decided by the workflow itself (it raises
ActionForbidden), so these classes only say who may reach an endpoint.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from requests_app.accounts import roles
from requests_app.api.models import SCOPE_CONNECTORS


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


class ConnectorsScopeForChanges(StaffReadDpoWrite):
    """Connectors: a DPO changes them, and through the API only with a token
    made with the ``connectors`` scope. A connector names the environment
    variables the worker sends and the address it sends them to; a token
    lifted from a script must not be enough to redirect them."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        token = request.auth
        if not (hasattr(token, "has_scope") and token.has_scope(SCOPE_CONNECTORS)):
            self.message = _(
                "This token may not create or change connectors: make a token with the “connectors” scope "
                "(workspace, API tokens; or manage.py create_api_token --scope connectors)."
            )
            return False
        return True
