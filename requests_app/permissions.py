"""Who may do what: every permission rule of the desk, for the pages and the API.

Roles are Django groups (``requests_app.accounts.roles`` says who is in which);
this module alone decides what a role may do. Every view, page or API, reaches
a request through ``get_request_for_user`` (healthchecks' ``_get_rw_check_for_user``
pattern: a view that fetches a request by reference without it is a bug), then
asks one function per decision below. The workflow asks ``can_take`` before
every transition; features ask ``can_work_on``, ``can_change_plan``,
``can_read_copy``... and never test a role themselves.

In short:
- a DPO may do everything;
- a privacy agent works the requests assigned to them (and claims unassigned
  ones); never releases data (Art. 15 copies), never approves an erasure;
- an auditor reads everything and changes nothing;
- anyone else signed in (no role) and anonymous visitors reach nothing of the
  workspace nor of the staff API.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from requests_app.accounts import roles
from requests_app.models import RequestType, SubjectRequest
from requests_app.workflow.events import SUBJECT, SYSTEM

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


# ------------------------------------------------------------------------------
# Roles, read as abilities
# ------------------------------------------------------------------------------
def can_enter_workspace(user: Any) -> bool:
    """Any role of the workspace reads it (agents must see the queue to claim work)."""
    return roles.is_staff_member(user)


def is_read_only(user: Any) -> bool:
    """Auditors read everything and change nothing (a DPO who is also an auditor is a DPO)."""
    return roles.is_auditor(user) and not roles.is_dpo(user)


def refuse_read_only(user: Any) -> None:
    """The write views refuse auditors before anything else (nothing is recorded)."""
    if is_read_only(user):
        raise PermissionDenied(gettext("Your role does not allow this action."))


def can_handle_requests(user: Any) -> bool:
    """May log a request received by post, phone or e-mail, and be assigned one
    (or a manual task): the roles that answer requests, DPO and privacy agent."""
    return roles.is_dpo(user) or roles.is_agent(user)


def can_manage_desk(user: Any) -> bool:
    """Change the register, connectors and webhooks, test a connection, see and
    revoke everyone's API tokens: the DPO's alone."""
    return roles.is_dpo(user)


def can_read_register(user: Any) -> bool:
    """Read the processing register and the sources' health (issue 15, point 8):
    every role of the workspace. The register holds no subject's data, and
    agents answer subjects' questions from it (Art. 13, 15(1)); the auditor
    checks it (Art. 30(4)). Testing, previewing and loading are
    ``can_manage_desk``'s: a preview reads a subject's data."""
    return can_enter_workspace(user)


def can_assign_others(user: Any) -> bool:
    """Give a request to someone else: the DPO's (an agent takes a request for themselves)."""
    return roles.is_dpo(user)


def can_assign_to(user: Any, assignee: Any) -> bool:
    """Who this user may give a request to: a DPO to anyone; an agent takes it
    for themselves or lets it go (nobody), never gives it to a colleague."""
    return can_assign_others(user) or assignee is None or getattr(assignee, "pk", None) == getattr(user, "pk", None)


def can_revoke_token(user: Any, token: Any) -> bool:
    """Staff revoke their own tokens; a DPO also one that leaked or whose owner left."""
    return token.user_id == user.pk or can_manage_desk(user)


# ------------------------------------------------------------------------------
# A request
# ------------------------------------------------------------------------------
def can_work_on(user: Any, request: SubjectRequest) -> bool:
    """May change this request: a DPO always, an agent when it is assigned to them."""
    if roles.is_dpo(user):
        return True
    return roles.is_agent(user) and request.assignee_id == user.pk


# Who may take each workflow action. "work" = a DPO, or the agent assigned to the request.
_DPO_ONLY = {"fulfil", "reveal_national_number", "delete_attachment", "place_hold", "lift_hold", "announce_fee"}
_STAFF_WORK = {
    "change_type",
    "request_info",
    "approve",
    "reject",
    "extend",
    "close",
    "forward",
    "add_note",
    "forwarding_acknowledged",
    "record_identity_check",
}
_SUBJECT_ACTIONS = {"verify", "cancel", "subject_reply"}
_SYSTEM_ACTIONS = {
    "verify",
    "expire",
    "start_processing",
    "processing_done",
    "purge",
    "delete_records",
    "cancel",
    "approve_absolute",
    "complete_absolute",
    "forwarding_acknowledged",
    "delete_attachment",
}


def can_take(action: str, request: SubjectRequest, actor: Any) -> bool:
    """May this actor (a user, ``SUBJECT`` or ``SYSTEM``) take this action of
    ``workflow.TRANSITIONS`` on this request, whatever its status."""
    if actor == SUBJECT:
        return action in _SUBJECT_ACTIONS
    if actor == SYSTEM:
        return action in _SYSTEM_ACTIONS
    if roles.is_dpo(actor):
        return True
    if roles.is_auditor(actor) or not roles.is_agent(actor):
        return False
    # A privacy agent works the requests assigned to them; they may claim an
    # unassigned one, never release data (Art. 15 copies) nor approve erasure.
    if action == "assign":
        return request.assignee_id in (None, actor.pk)
    if action in _DPO_ONLY:
        return False
    if action == "approve" and request.request_type == RequestType.ERASURE:
        return False
    if action == "start_processing":
        return can_work_on(actor, request)
    return action in _STAFF_WORK and can_work_on(actor, request)


def can_read_copy(user: Any, request: SubjectRequest) -> bool:
    """May read the subject's data gathered for this request: the copy's files
    and their previews, the records gathered, the files of a manual task.

    One rule with ``can_read_attachments``, because both are the subject's
    personal data, not the ticket about it. The DPO and the agent the request
    is assigned to read them to answer it; the auditor reads them to check the
    answer (Art. 5(2), Art. 39(1)(b)), changing nothing; every read is recorded.
    Another agent sees the ticket (to triage the queue and claim work) but not
    its content: they have no need to know it (confidentiality, Art. 5(1)(f);
    access limited by default to those who must, Art. 25(2) and 32(4)). An
    agent who must read it claims the request first, which the trail records.
    """
    return can_work_on(user, request) or is_read_only(user)


def can_read_attachments(user: Any, request: SubjectRequest) -> bool:
    """May open the files the subject sent (an identity document, a letter):
    the same rule as the copy (``can_read_copy`` gives the reason)."""
    return can_read_copy(user, request)


def can_check_mandate(user: Any, request: SubjectRequest) -> bool:
    """May record the check of a representative's mandate: who may record the
    identity check (the DPO, the request's agent), as both answer "who asks?"."""
    return can_take("record_identity_check", request, user)


def can_complete_task(user: Any, request: SubjectRequest, task: Any) -> bool:
    """A manual task of gathering: the DPO, the request's agent, or the person
    the task was given to (a colleague who runs that source by hand)."""
    if is_read_only(user):
        return False
    return can_work_on(user, request) or task.assignee_id == user.pk


def can_change_plan(user: Any, request: SubjectRequest) -> bool:
    """Edit, recompute, resume an execution plan, complete its steps, tell recipients (Art. 19)."""
    return can_work_on(user, request)


def can_approve_plan(user: Any, request: SubjectRequest) -> bool:
    """Only a DPO approves an erasure plan (or lifts a restriction of one);
    other plans also the assigned agent."""
    if roles.is_dpo(user):
        return True
    if request.request_type == RequestType.ERASURE:
        return False
    return roles.is_agent(user) and can_work_on(user, request)


def can_decide_transmission(user: Any, request: SubjectRequest) -> bool:
    """Where an Art. 20(2) copy goes: only a DPO decides, as only a DPO releases the copy it is about."""
    return roles.is_dpo(user)


# ------------------------------------------------------------------------------
# The one checked fetch, and the pages' decorator
# ------------------------------------------------------------------------------
def get_request_for_user(user: Any, reference: str, *, write: bool = False, for_update: bool = False) -> SubjectRequest:
    """The request with this reference, if this user may see it (pages and API).

    Every role in the workspace sees every request (agents must see the queue
    to claim work); ``write=True`` also refuses the read-only roles. What else a
    user may do with it is decided by the functions above and by the workflow.
    Raises ``PermissionDenied`` (403) or ``Http404``.
    """
    if not can_enter_workspace(user):
        raise PermissionDenied
    if write:
        refuse_read_only(user)
    queryset: QuerySet[SubjectRequest] = SubjectRequest.objects.select_related("assignee")
    if for_update:
        # The assignee join is nullable: PostgreSQL refuses to lock it.
        queryset = queryset.select_for_update(of=("self",))
    return get_object_or_404(queryset, reference=reference)


def staff_view(view: Callable | None = None, *, write: bool = False) -> Any:
    """A workspace page: signed in (else to the sign-in page), with two factors
    where required, in a staff role; ``write=True`` also refuses auditors."""

    def decorator(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: Any = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if settings.DSAR_REQUIRE_2FA and not user.is_verified():
                return redirect("workspace:two_factor")
            if not can_enter_workspace(user):
                raise PermissionDenied(gettext("Your account has no role in the workspace."))
            if write and is_read_only(user):
                raise PermissionDenied(gettext("Auditors read everything and change nothing."))
            return func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


# ------------------------------------------------------------------------------
# The API's permission classes: the same rules, as DRF asks them
# ------------------------------------------------------------------------------
class IsStaffMember(BasePermission):
    """Any role of the workspace (DPO, privacy agent, auditor)."""

    message = _("Your account has no role in the workspace.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and can_enter_workspace(request.user))


class StaffReadDpoWrite(IsStaffMember):
    """Everyone in the workspace reads; only a DPO changes (the register, connectors)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        if not can_manage_desk(request.user):
            self.message = _("Only a DPO may change this.")
            return False
        return True


class IsDpo(IsStaffMember):
    message = _("Only a DPO may do this.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return super().has_permission(request, view) and can_manage_desk(request.user)


def can_change_connectors_with(token: Any) -> bool:
    """Connectors change through the API only with a token made with the
    ``connectors`` scope. A connector names the environment variables the
    worker sends and the address it sends them to; a token lifted from a
    script must not be enough to redirect them (a DPO's session in the
    workspace asks for a recent second factor instead: config.reauth)."""
    from requests_app.api.models import SCOPE_CONNECTORS

    return bool(hasattr(token, "has_scope") and token.has_scope(SCOPE_CONNECTORS))


class ConnectorsScopeForChanges(StaffReadDpoWrite):
    """Everyone in the workspace reads connectors; a DPO changes them, through
    the API only with a ``connectors`` token (``can_change_connectors_with``)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        if not can_change_connectors_with(request.auth):
            self.message = _(
                "This token may not create or change connectors: make a token with the “connectors” scope "
                "(workspace, API tokens; or manage.py create_api_token --scope connectors)."
            )
            return False
        return True


# ------------------------------------------------------------------------------
# Evidence for the supervisory authority (requests_app.audit)
# ------------------------------------------------------------------------------
def can_read_audit(user: Any) -> bool:
    """The desk-wide audit log, its CSV and the chain's verification: the DPO,
    who answers to the authority (Art. 31, 5(2)), and the auditor, whose role is
    to check. An agent sees the trail of a request on its page only."""
    return roles.is_dpo(user) or roles.is_auditor(user)


def can_export_evidence(user: Any, request: SubjectRequest) -> bool:
    """The evidence pack of one request (decisions, timeline, chain check, and
    the subject's name and contact as the request gave them; never their data)."""
    return can_read_audit(user)
