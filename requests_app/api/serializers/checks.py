"""The staff's checks on a request that the workspace's page also records: how
the subject's identity was checked (Art. 12(6)) and a fee announced for a
manifestly unfounded or excessive request (Art. 12(5))."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from requests_app.models import IdentityCheck, RejectionReason

FEE_GROUNDS = [
    (code, label)
    for code, label in RejectionReason.choices
    if code in (RejectionReason.MANIFESTLY_UNFOUNDED, RejectionReason.EXCESSIVE)
]


class IdentityCheckSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=IdentityCheck.choices, help_text="How the subject's identity was checked (Art. 12(6))."
    )
    note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="What was seen or asked: kept as an internal note. Required with `other`.",
    )


class FeeSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=FEE_GROUNDS, help_text="Why a fee may be asked: the request is manifestly unfounded or excessive."
    )
    amount = serializers.DecimalField(
        max_digits=7, decimal_places=2, min_value=Decimal("0.01"), help_text="In euro, based on administrative costs."
    )
    reasons = serializers.CharField(max_length=5000, help_text="Sent to the subject with the amount.")
