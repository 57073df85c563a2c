"""The details of audit events in words: short phrases built from codes and
numbers only (``requests_app.audit.labels`` names which phrases each kind of
event gets). Details hold no personal data (see ``workflow.record_event``)."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class Names:
    """Source and recipient names by code, each table read at most once per page."""

    def __init__(self) -> None:
        self._sources: dict[str, str] | None = None
        self._recipients: dict[str, str] | None = None

    def source(self, code: str) -> str:
        if self._sources is None:
            from dsar.models import Connector, local_name

            # In the reader's language, as the rest of the workspace names sources.
            self._sources = {
                code: local_name(names, name)
                for code, name, names in Connector.objects.values_list("code", "name", "names")
            }
        return self._sources.get(code) or code

    def recipient(self, code: str) -> str:
        if self._recipients is None:
            from dsar.models import Recipient

            self._recipients = dict(Recipient.objects.values_list("code", "name"))
        return self._recipients.get(code) or code


# ------------------------------------------------------------------------------
# Details in words
# ------------------------------------------------------------------------------
def number(value) -> str:
    return formats.number_format(value, force_grouping=True)


def count(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def date(value) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value or "")


def choice(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


def format_name(value) -> str:
    from dsar.exports.models import ExportFile

    return choice(ExportFile.Format.choices, value)


def records(n: int) -> str:
    return ngettext("%(n)s record", "%(n)s records", n) % {"n": number(n)}


def created(details: dict, names: Names) -> list[str]:
    from requests_app.models import Channel, IdentityCheck, RequestType

    facts = []
    if details.get("type"):
        facts.append(choice(RequestType.choices, details["type"]))
    if details.get("channel"):
        facts.append(_("received by: %(channel)s") % {"channel": choice(Channel.choices, details["channel"])})
    if details.get("identity_check"):
        check = choice(IdentityCheck.choices, details["identity_check"])
        facts.append(_("identity checked: %(how)s") % {"how": check})
    return facts


def representation(details: dict, names: Names) -> list[str]:
    from requests_app.representation.models import AgeBand, Contact, MandateKind, Relationship

    facts = []
    if details.get("relationship"):
        facts.append(choice(Relationship.choices, details["relationship"]))
    if details.get("age_band"):
        facts.append(_("age: %(band)s") % {"band": choice(AgeBand.choices, details["age_band"])})
    if details.get("mandate"):
        facts.append(choice(MandateKind.choices, details["mandate"]))
    if details.get("contact"):
        facts.append(_("we write to: %(whom)s") % {"whom": choice(Contact.choices, details["contact"])})
    return facts


def assigned(details: dict, names: Names) -> list[str]:
    assignee = details.get("assignee")
    return [_("to %(user)s") % {"user": assignee}] if assignee else [_("nobody is assigned now")]


def type_changed(details: dict, names: Names) -> list[str]:
    from requests_app.models import RequestType

    return [
        _("from %(old)s to %(new)s")
        % {
            "old": choice(RequestType.choices, details.get("from")),
            "new": choice(RequestType.choices, details.get("to")),
        }
    ]


def in_review(details: dict, names: Names) -> list[str]:
    if "plan_status" in details:
        from dsar.execution.models import Plan

        items = count(details.get("items"))
        return [
            _("plan: %(status)s") % {"status": choice(Plan.Status.choices, details["plan_status"])},
            ngettext("%(n)s planned action", "%(n)s planned actions", items) % {"n": number(items)},
        ]
    if "sources" not in details:
        return []
    sources = count(details.get("sources"))
    facts = [
        records(count(details.get("records"))),
        ngettext("from %(n)s source", "from %(n)s sources", sources) % {"n": number(sources)},
    ]
    failed = details.get("failed") or []
    if failed:
        facts.append(_("failed: %(sources)s") % {"sources": ", ".join(names.source(code) for code in failed)})
    return facts


def rejected(details: dict, names: Names) -> list[str]:
    from requests_app.models import RejectionReason

    return [choice(RejectionReason.choices, details.get("reason"))] if details.get("reason") else []


def extended(details: dict, names: Names) -> list[str]:
    months = count(details.get("months"))
    facts = [ngettext("by %(n)s month", "by %(n)s months", months) % {"n": months}] if months else []
    if details.get("from") and details.get("to"):
        facts.append(
            _("deadline moved from %(old)s to %(new)s") % {"old": date(details["from"]), "new": date(details["to"])}
        )
    return facts


# Why the system purged a request (the reasons it records are codes).
_PURGE_REASONS = {
    "erasure fulfilled": gettext_lazy("after the erasure was carried out"),
    "unverified": gettext_lazy("the e-mail address was never confirmed"),
    "retention": gettext_lazy("the retention period of the request's data ended"),
}


def purged(details: dict, names: Names) -> list[str]:
    reason = details.get("reason")
    return [str(_PURGE_REASONS.get(reason, reason))] if reason else []


# Refused actions that are not transitions of the workflow table.
_OTHER_ACTIONS = {
    "approve_plan": gettext_lazy("Approve the execution plan"),
    "choose_categories": gettext_lazy("Choose the data categories to erase"),
    "exclude_records": gettext_lazy("Leave records out of the copy"),
    "check_mandate": gettext_lazy("Record the mandate check"),
    "open_mandate": gettext_lazy("Open the representative's mandate"),
}


def refused(details: dict, names: Names) -> list[str]:
    from requests_app.workflow import TRANSITIONS

    action = details.get("action") or ""
    if action in TRANSITIONS:
        return [str(TRANSITIONS[action].label)]
    return [str(_OTHER_ACTIONS.get(action, action))] if action else []


def source(details: dict, names: Names) -> list[str]:
    return [names.source(details["source"])] if details.get("source") else []


def task_completed(details: dict, names: Names) -> list[str]:
    files = count(details.get("files"))
    facts = source(details, names)
    if files:
        facts.append(ngettext("%(n)s file attached", "%(n)s files attached", files) % {"n": number(files)})
    if details.get("nothing_found"):
        facts.append(_("searched, nothing found"))
    return facts


def generated(details: dict, names: Names) -> list[str]:
    facts = []
    if details.get("formats"):
        facts.append(", ".join(format_name(f) for f in details["formats"]))
    if "records" in details:
        facts.append(records(count(details["records"])))
    return facts


def export_failed(details: dict, names: Names) -> list[str]:
    # Library and package names, from WeasyPrint's error and system-packages.txt: no personal data.
    facts = []
    if details.get("missing"):
        facts.append(_("%(library)s cannot be loaded") % {"library": details["missing"]})
    if details.get("packages"):
        facts.append(_("install: %(packages)s") % {"packages": " ".join(details["packages"])})
    return facts


def records_changed(details: dict, names: Names) -> list[str]:
    return [records(count(details.get("count")))]


def fields_changed(details: dict, names: Names) -> list[str]:
    n = count(details.get("count"))
    return [ngettext("%(n)s field", "%(n)s fields", n) % {"n": number(n)}]


def format(details: dict, names: Names) -> list[str]:
    return [format_name(details["format"])] if details.get("format") else []


def records_read(details: dict, names: Names) -> list[str]:
    return [records(count(details.get("records")))]


def files_deleted(details: dict, names: Names) -> list[str]:
    files = count(details.get("files"))
    return [ngettext("%(n)s file", "%(n)s files", files) % {"n": number(files)}]


def plan_approved(details: dict, names: Names) -> list[str]:
    from requests_app.intake.details import ErasureGround

    items = count(details.get("items"))
    facts = [ngettext("%(n)s planned action", "%(n)s planned actions", items) % {"n": number(items)}]
    if details.get("erasure_ground"):
        ground = choice(ErasureGround.choices, details["erasure_ground"])
        facts.append(_("ground of Art. 17(1): %(ground)s") % {"ground": ground})
    return facts


def plan_executed(details: dict, names: Names) -> list[str]:
    from dsar.execution.models import Plan
    from dsar.models import SourceRun

    facts = []
    if details.get("status"):
        facts.append(choice(Plan.Status.choices, details["status"]))
    per_source = [
        _("%(source)s: %(status)s")
        % {
            "source": names.source(entry.get("source", "")),
            "status": choice(SourceRun.Status.choices, entry.get("status")),
        }
        for entry in details.get("sources") or []
        if isinstance(entry, dict)
    ]
    if per_source:
        facts.append(", ".join(per_source))
    return facts


def plan_item(details: dict, names: Names) -> list[str]:
    from dsar.execution.models import Action, Exception17

    facts = source(details, names)
    if details.get("action"):
        facts.append(choice(Action.choices, details["action"]))
    if details.get("reason"):
        facts.append(choice(Exception17.choices, details["reason"]))
    return facts


def deferred_done(details: dict, names: Names) -> list[str]:
    records, remaining = count(details.get("records")), count(details.get("remaining"))
    facts = [
        ngettext("%(n)s record erased", "%(n)s records erased", records) % {"n": number(records)},
    ]
    if remaining:
        facts.append(
            ngettext("%(n)s still kept or waiting", "%(n)s still kept or waiting", remaining) % {"n": number(remaining)}
        )
    return facts


def fields_approved(details: dict, names: Names) -> list[str]:
    approved, proposed = count(details.get("approved")), count(details.get("proposed"))
    return [
        *source(details, names),
        ngettext(
            "%(n)s of %(total)s corrected field approved", "%(n)s of %(total)s corrected fields approved", approved
        )
        % {"n": number(approved), "total": number(proposed)},
    ]


def correction_mapped(details: dict, names: Names) -> list[str]:
    from requests_app.execution.selectors import field_labels

    fields = [str(name) for name in details.get("fields") or [] if name]
    if not fields:
        return []
    labels = field_labels()
    return [
        _("correction %(n)s") % {"n": count(details.get("correction"))},
        _("onto: %(fields)s") % {"fields": ", ".join(labels.get(name, name) for name in fields)},
    ]


def categories_chosen(details: dict, names: Names) -> list[str]:
    from dsar.models import DataCategory, pick

    codes = [str(code) for code in details.get("categories") or []]
    known = {c.code: pick(c.names) or c.code for c in DataCategory.objects.filter(code__in=codes)}
    return [", ".join(known.get(code, code) for code in codes)] if codes else []


def recipient_list(codes, names: Names) -> str:
    return ", ".join(names.recipient(code) for code in codes or [])


def notified(details: dict, names: Names) -> list[str]:
    facts = []
    if details.get("recipients"):
        facts.append(_("sent to %(recipients)s") % {"recipients": recipient_list(details["recipients"], names)})
    else:
        facts.append(_("no recipient to notify by e-mail"))
    if details.get("without_email"):
        facts.append(
            _("to notify by other means (no e-mail address): %(recipients)s")
            % {"recipients": recipient_list(details["without_email"], names)}
        )
    return facts


def recipient(details: dict, names: Names) -> list[str]:
    return [names.recipient(details["recipient"])] if details.get("recipient") else []


def told(details: dict, names: Names) -> list[str]:
    if not details.get("recipients"):
        return [_("no recipient to name")]
    return [recipient_list(details["recipients"], names)]


def lift_reason(details: dict, names: Names) -> list[str]:
    from requests_app.execution.services import LiftReason

    facts = [choice(LiftReason.choices, details.get("reason"))] if details.get("reason") else []
    items = count(details.get("items"))
    if items:
        facts.append(ngettext("%(n)s action", "%(n)s actions", items) % {"n": number(items)})
    return facts


def organisation(details: dict, names: Names) -> list[str]:
    # The other controller of a portability request (Art. 20(2)): an organisation.
    facts = [str(details["organisation"])] if details.get("organisation") else []
    decision = details.get("decision")
    if decision == "send":
        facts.append(_("to be sent"))
    elif decision == "not_feasible":
        facts.append(_("not technically feasible"))
    return facts + format(details, names)


def email_name(details: dict, names: Names) -> list[str]:
    # The template's name (a code, e.g. "reject_notice"): tells the DPO which message to send by post.
    name = details.get("email")
    return [str(name)] if name else []


def controller(details: dict, names: Names) -> list[str]:
    # An organisation's name, never a person's (forwarding.forward_request).
    name = details.get("controller")
    return [str(name)] if name else []


def hold_ground(details: dict, names: Names) -> list[str]:
    from requests_app.models import HoldReason

    return [choice(HoldReason.choices, details["ground"])] if details.get("ground") else []


def not_notified(details: dict, names: Names) -> list[str]:
    from dsar.execution.models import NotNotifiedReason

    facts = recipient(details, names)
    if details.get("ground"):
        facts.append(choice(NotNotifiedReason.choices, details["ground"]))
    return facts


def identity_check(details: dict, names: Names) -> list[str]:
    from requests_app.models import IdentityCheck

    return [choice(IdentityCheck.choices, details["identity_check"])] if details.get("identity_check") else []


def fee(details: dict, names: Names) -> list[str]:
    from requests_app.models import RejectionReason

    facts = [f"EUR {details['amount']}"] if details.get("amount") else []
    if details.get("ground"):
        facts.append(choice(RejectionReason.choices, details["ground"]))
    return facts


def evidence(details: dict, names: Names) -> list[str]:
    if "chain_intact" not in details:
        return []
    return [_("audit trail intact") if details["chain_intact"] else _("audit trail broken")]
