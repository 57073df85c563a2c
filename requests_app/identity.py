"""The subject's identifiers: validation and masking."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.be import nn as belgian_nn
from stdnum.exceptions import ValidationError as StdnumError

# The one mask (everywhere but an audited reveal), shared with the data engine's screens and exports.
from dsar.core.national_number import mask_national_number  # noqa: F401


def clean_national_number(value: str) -> str:
    """Validate a Belgian national number (INSZ/NISS) and return its compact form."""
    try:
        return belgian_nn.validate(value)
    except StdnumError as exc:
        raise ValidationError(_("This is not a valid Belgian national number (INSZ/NISS).")) from exc


def clean_phone(value: str, *, region: str = "BE") -> str:
    """Validate a phone number and return it in E.164 form."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number, for example +32 470 12 34 56.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number, for example +32 470 12 34 56."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class OptionalIdentifiersMixin:
    """Form cleaning of the optional identifiers, shared by the public form and
    the workspace's "log a request" form: empty stays empty, anything else is validated."""

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return clean_phone(value) if value else ""

    def clean_national_number(self):
        value = self.cleaned_data.get("national_number", "").strip()
        return clean_national_number(value) if value else ""
