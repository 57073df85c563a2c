"""The one way workspace views reach a request: with the permission check.

Every workspace view is wrapped in ``staff_view`` and fetches its request
through ``get_request_for_user``; a view that fetches by reference without it
is a bug (healthchecks' ``_get_rw_check_for_user`` pattern).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation

from requests_app import roles
from requests_app.models import SubjectRequest


def staff_view(view=None, *, write: bool = False):
    """Signed in, in a staff role, and (where required) signed in with two factors.

    ``write=True`` also refuses auditors, who read everything and change nothing.
    """

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if settings.DSAR_REQUIRE_2FA and not user.is_verified():
                return redirect("workspace:two_factor")
            if not roles.is_staff_member(user):
                raise PermissionDenied("Your account has no role in the workspace.")
            if write and roles.is_auditor(user) and not roles.is_dpo(user):
                raise PermissionDenied("Auditors read everything and change nothing.")
            return func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


@receiver(user_logged_in)
def remember_staff_language(sender, request, user, **kwargs) -> None:
    """Keep the language a staff member signs in with, for the e-mails the desk
    sends them (``emails.staff_language``); once per sign-in, never per page."""
    from requests_app.models import Language, StaffLanguage

    language = (translation.get_language() or "")[:2]
    if request is None or language not in Language.values or not roles.is_staff_member(user):
        return
    StaffLanguage.objects.update_or_create(user=user, defaults={"language": language})


def get_request_for_user(user, reference: str, *, for_update: bool = False) -> SubjectRequest:
    """The request with this reference, if this staff user may see it.

    Every role in the workspace sees every request (agents must see the queue
    to claim work); what they may change is decided by the workflow.
    """
    if not roles.is_staff_member(user):
        raise PermissionDenied
    queryset = SubjectRequest.objects.select_related("assignee")
    if for_update:
        queryset = queryset.select_for_update(
            of=("self",)
        )  # the assignee join is nullable: PostgreSQL refuses to lock it
    return get_object_or_404(queryset, reference=reference)
