"""The register's trail in words (``requests_app.audit.labels.REGISTER_EVENT_KINDS``):
short phrases from a RegisterEvent's details, which hold codes and counts only."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# The identifiers a preview looked a subject up by (never their values).
IDENTIFIERS = {
    "email": gettext_lazy("e-mail address"),
    "phone": gettext_lazy("phone"),
    "customer_number": gettext_lazy("customer number"),
    "national_number": gettext_lazy("national number"),
}


def _count(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def loaded(details: dict, names) -> list[str]:
    created = sum(_count(n) for n in (details.get("created") or {}).values())
    updated = sum(_count(n) for n in (details.get("updated") or {}).values())
    return [
        str(details.get("file") or ""),
        _("%(created)d created, %(updated)d updated, %(pruned)d no longer declared")
        % {"created": created, "updated": updated, "pruned": _count(details.get("pruned"))},
    ]


def tested(details: dict, names) -> list[str]:
    return [_("the connection works") if details.get("ok") else _("the connection failed")]


def previewed(details: dict, names) -> list[str]:
    kinds = ", ".join(str(IDENTIFIERS.get(kind, kind)) for kind in details.get("identifiers") or [])
    if details.get("found") is None:
        # An API's or a person's source: what it holds is not known before a request.
        return [
            _("looked up by %(identifiers)s") % {"identifiers": kinds} if kinds else "",
            _("records found: not known"),
        ]
    found = _count(details.get("found"))
    return [
        _("looked up by %(identifiers)s") % {"identifiers": kinds} if kinds else "",
        ngettext("%(count)d record found", "%(count)d records found", found) % {"count": found},
    ]
