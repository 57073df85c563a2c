"""The words of a request's ``type_details``: the restriction grounds, and the
lines that show the subject's answers to a person (the DPO's request page, the
subject's acknowledgement e-mail).

The stored shape is documented on ``SubjectRequest.type_details``; the public
form (``requests_app.intake.forms``) writes it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# How many corrections one rectification request takes. More belong in a
# second request or in the free text; five keeps the form short without JavaScript.
MAX_CORRECTIONS = 5


class ErasureGround(models.TextChoices):
    """The grounds of Art. 17(1) on which the subject's data is erased: the DPO
    names one when approving an erasure's plan; its code is kept in the audit."""

    NO_LONGER_NECESSARY = (
        "no_longer_necessary",
        gettext_lazy("(a) No longer necessary for the purposes for which it was collected"),
    )
    CONSENT_WITHDRAWN = (
        "consent_withdrawn",
        gettext_lazy("(b) The subject withdrew their consent and no other legal ground remains"),
    )
    OBJECTION = (
        "objection",
        gettext_lazy("(c) The subject objected under Art. 21(1) with no overriding grounds, or under Art. 21(2)"),
    )
    UNLAWFUL = "unlawful", gettext_lazy("(d) The data was unlawfully processed")
    LEGAL_OBLIGATION = (
        "legal_obligation",
        gettext_lazy("(e) Erasure is required by a legal obligation of EU or Member State law"),
    )
    CHILD_SERVICE = (
        "child_service",
        gettext_lazy("(f) Collected from a child for an information society service (Art. 8(1))"),
    )


class RestrictionGround(models.TextChoices):
    """The four cases of Art. 18(1) in which a subject may have processing restricted."""

    CONTESTED_ACCURACY = (
        "contested_accuracy",
        gettext_lazy("(a) The data is inaccurate: restrict it while it is checked"),
    )
    UNLAWFUL_PROCESSING = (
        "unlawful_processing",
        gettext_lazy("(b) The processing is unlawful, but the subject wants restriction instead of erasure"),
    )
    LEGAL_CLAIMS = (
        "legal_claims",
        gettext_lazy("(c) No longer needed by us, but needed by the subject for a legal claim"),
    )
    PENDING_OBJECTION = (
        "pending_objection",
        gettext_lazy("(d) The subject objected (Art. 21(1)); restrict while our legitimate grounds are verified"),
    )


# The same grounds as the subject reads them on the form and in their e-mails.
RESTRICTION_GROUNDS_FOR_SUBJECT = {
    RestrictionGround.CONTESTED_ACCURACY: gettext_lazy(
        "You contest that your data is accurate: we stop using it for as long as we need to check it."
    ),
    RestrictionGround.UNLAWFUL_PROCESSING: gettext_lazy(
        "We should not be using your data, but you prefer that we keep it without using it rather than delete it."
    ),
    RestrictionGround.LEGAL_CLAIMS: gettext_lazy(
        "We no longer need your data, but you need it to make, pursue or defend a legal claim."
    ),
    RestrictionGround.PENDING_OBJECTION: gettext_lazy(
        "You objected to our use of your data, and we stop using it while we check whether our reasons outweigh yours."
    ),
}


def correction_line(item: dict) -> str:
    """One correction as a line: what is wrong, what we have now (if given), what is correct."""
    field = str(item.get("field", "")).strip()
    current = str(item.get("current", "")).strip()
    correct = str(item.get("correct", "")).strip()
    if current:
        return _("%(field)s: %(current)s → %(correct)s") % {"field": field, "current": current, "correct": correct}
    return _("%(field)s → %(correct)s") % {"field": field, "correct": correct}


def corrections(details: dict) -> list[dict]:
    items = details.get("items") if isinstance(details, dict) else None
    return [item for item in items or [] if isinstance(item, dict)]


def restriction_ground(details: dict, *, for_subject: bool = False) -> str:
    """The ground's label in the current language, or "" when none (or an unknown one) was recorded."""
    value = details.get("ground") if isinstance(details, dict) else None
    if value not in RestrictionGround.values:
        return ""
    if for_subject:
        return str(RESTRICTION_GROUNDS_FOR_SUBJECT[RestrictionGround(value)])
    return str(RestrictionGround(value).label)


def summary_for_subject(request_type: str, details: dict, *, typed: bool) -> list[str]:
    """What the subject asked, in lines for their e-mails, in the current language.

    ``typed=False`` leaves out every word the sender typed: the confirmation
    e-mail goes to an address nobody has proven yet, and must not carry a
    stranger's text into someone's mailbox under our name."""
    from requests_app.models import RequestType

    details = details if isinstance(details, dict) else {}
    lines = []
    if request_type == RequestType.RECTIFICATION:
        items = corrections(details)
        if typed:
            lines.extend(correction_line(item) for item in items)
        elif items:
            lines.append(
                ngettext("You sent us %(count)d correction.", "You sent us %(count)d corrections.", len(items))
                % {"count": len(items)}
            )
        if details.get("restrict_meanwhile"):
            lines.append(_("You asked us to stop using this data until it is corrected."))
    elif request_type == RequestType.RESTRICTION:
        ground = restriction_ground(details, for_subject=True)
        if ground:
            lines.append(_("Your reason: %(ground)s") % {"ground": ground})
    if details.get("tell_recipients"):
        lines.append(_("You asked us to tell you which organisations we informed."))
    # Names from our own register, never typed by the sender: safe in any e-mail.
    chosen = {
        "contested_categories": (_("The data you contest: %(names)s"), "dsar.DataCategory"),
        "categories": (_("The data to erase: %(names)s"), "dsar.DataCategory"),
        "activities": (_("The uses you object to: %(names)s"), "dsar.ProcessingActivity"),
        "consents": (_("The consents you withdraw: %(names)s"), "dsar.ProcessingActivity"),
    }
    for key, (sentence, model_path) in chosen.items():
        names = _register_names(model_path)(details.get(key)) if details.get(key) else []
        if names:
            lines.append(sentence % {"names": ", ".join(names)})
    return lines


def _yes_no(value) -> list[str]:
    return [_("yes") if value else _("no")]


def _register_names(model_path: str):
    """Codes of the register (categories, activities) as their names, in the reader's language."""

    def describe(value) -> list[str]:
        from django.apps import apps

        from dsar.models import pick

        codes = [code for code in (value if isinstance(value, list) else [value]) if isinstance(code, str)]
        names = {row.code: pick(row.names) for row in apps.get_model(model_path).objects.filter(code__in=codes)}
        return [names.get(code) or code for code in codes]

    return describe


# The values of the erasure's scope and the portability's format, as the DPO reads them.
ERASURE_SCOPES = {"all": gettext_lazy("All the subject's data"), "specific": gettext_lazy("Only specific data")}
PORTABILITY_FORMATS = {"json": gettext_lazy("JSON (for software)"), "csv": gettext_lazy("CSV (for spreadsheets)")}


def _choice(words: dict, value) -> str:
    return str(words.get(value, value))


# The keys of type_details that a person reads in words rather than as raw values.
_KNOWN_DETAILS = {
    "categories": (gettext_lazy("Data categories to erase"), _register_names("dsar.DataCategory")),
    "activities": (gettext_lazy("Processing activities objected to"), _register_names("dsar.ProcessingActivity")),
    "consents": (gettext_lazy("Consents withdrawn"), _register_names("dsar.ProcessingActivity")),
    "items": (
        gettext_lazy("Corrections"),
        lambda value: [correction_line(item) for item in value if isinstance(item, dict)],
    ),
    "restrict_meanwhile": (gettext_lazy("Restrict until corrected (Art. 18(1)(a))"), _yes_no),
    "tell_recipients": (gettext_lazy("Asks which recipients were informed (Art. 19)"), _yes_no),
    "ground": (
        gettext_lazy("Ground (Art. 18(1))"),
        lambda value: [restriction_ground({"ground": value}) or str(value)],
    ),
    "contested_categories": (
        gettext_lazy("Data categories contested (Art. 18(1)(a))"),
        _register_names("dsar.DataCategory"),
    ),
    "contested_fields": (gettext_lazy("Fields contested (Art. 18(1)(a))"), lambda value: [str(v) for v in value]),
    "scope": (gettext_lazy("What to erase"), lambda value: [_choice(ERASURE_SCOPES, value)]),
    "specific": (gettext_lazy("The data to erase, in the subject's words"), lambda value: [str(value)]),
    "format": (gettext_lazy("File format"), lambda value: [_choice(PORTABILITY_FORMATS, value)]),
    "target_controller": (gettext_lazy("Organisation to send the data to (Art. 20(2))"), lambda value: [str(value)]),
    "target_controller_email": (gettext_lazy("That organisation's e-mail address"), lambda value: [str(value)]),
}


# The same details addressed to the subject themselves, on their status page:
# "all your data", not "all the subject's data" (plain words, Art. 12(1)).
ERASURE_SCOPES_FOR_SUBJECT = {"all": gettext_lazy("All your data"), "specific": gettext_lazy("Only specific data")}
_FOR_SUBJECT = {
    "scope": (gettext_lazy("What to erase"), lambda value: [_choice(ERASURE_SCOPES_FOR_SUBJECT, value)]),
    "specific": (gettext_lazy("The data to erase, in your words"), lambda value: [str(value)]),
}


def describe_type_details(data, *, for_subject: bool = False) -> list[tuple[str, list[str]]]:
    """The type-specific fields as label and lines, whatever their shape: the
    DPO's request page, and the request as forwarded to its controller; with
    ``for_subject``, worded to the subject on their own status page."""
    known = {**_KNOWN_DETAILS, **_FOR_SUBJECT} if for_subject else _KNOWN_DETAILS

    def lines(value) -> list[str]:
        if isinstance(value, dict):
            return [", ".join(f"{k}: {v}" for k, v in value.items())]
        if isinstance(value, list):
            return [line for item in value for line in lines(item)]
        if isinstance(value, bool):
            return [_("yes") if value else _("no")]
        return [str(value)]

    if not isinstance(data, dict):
        return []
    shown = []
    for key, value in data.items():
        if value in ("", None, []):
            continue
        if key in known and (key != "items" or isinstance(value, list)):
            label, describe = known[key]
            shown.append((str(label), describe(value)))
        else:
            shown.append((key.replace("_", " ").capitalize(), lines(value)))
    return shown
