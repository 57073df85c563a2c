"""Staff roles, as Django groups: who is in which role.

What a role may do is decided in ``requests_app.permissions``."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group

DPO = "DPO"
AGENT = "Privacy agent"
AUDITOR = "Auditor"
ROLE_NAMES = (DPO, AGENT, AUDITOR)


# What a DPO may edit in the Django admin: the register, the connectors and the
# controller's profile (requests and events change only through the workflow),
# the staff's authenticator apps (to remove one after a lost phone), and the
# single sign-on accounts and events.
DPO_ADMIN_MODELS = {
    "dsar": ["datacategory", "recipient", "processingactivity", "connector"],
    # Read-only in the admin; "change" lets a DPO mark a record erased by hand.
    "dsar_execution": ["deferrederasure"],
    "requests_app": ["controllerprofile"],
    "requests_two_factor": ["authenticatorapp"],
    # Read only (its admin refuses changes): who signed in through the
    # identity provider, and who lost access.
    "requests_sso": ["ssoaccount", "ssoevent"],
}


def ensure_groups() -> None:
    from django.contrib.auth.models import Permission

    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)
    dpo = Group.objects.get(name=DPO)
    for app_label, models in DPO_ADMIN_MODELS.items():
        dpo.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models)
        )
    auditor = Group.objects.get(name=AUDITOR)
    auditor.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=list(DPO_ADMIN_MODELS), codename__startswith="view_")
    )


def _group_names(user) -> set[str]:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_dsar_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._dsar_groups = cached
    return cached


def is_dpo(user) -> bool:
    return bool(user and getattr(user, "is_superuser", False) and user.is_active) or DPO in _group_names(user)


def is_agent(user) -> bool:
    return AGENT in _group_names(user)


def is_auditor(user) -> bool:
    return AUDITOR in _group_names(user)


def is_staff_member(user) -> bool:
    """Anyone who may see the workspace (reading at least)."""
    return is_dpo(user) or is_agent(user) or is_auditor(user)


def role_of(user) -> str | None:
    if is_dpo(user):
        return DPO
    if is_agent(user):
        return AGENT
    if is_auditor(user):
        return AUDITOR
    return None
