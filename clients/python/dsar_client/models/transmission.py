from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transmission_decision_enum import TransmissionDecisionEnum

T = TypeVar("T", bound="Transmission")


@_attrs_define
class Transmission:
    """A portability request's other organisation (Art. 20(2)) and the DPO's decision.

    Attributes:
        organisation (str): As the subject named it on the form.
        requested_email (str): The organisation's e-mail address as the subject gave it (may be empty).
        decision (None | TransmissionDecisionEnum): null until a DPO decides (POST .../transmission/); the copy cannot
            be released before.

            * `send` - send
            * `not_feasible` - not_feasible
        email (str): Where the link goes, when the decision is send.
        reason (str): Why sending is not technically feasible, as the subject reads it.
        decided_by (None | str):
        decided_at (datetime.datetime | None):
        sent_at (datetime.datetime | None): When the organisation was e-mailed its link.
        downloads (int): How many files the organisation downloaded.
    """

    organisation: str
    requested_email: str
    decision: None | TransmissionDecisionEnum
    email: str
    reason: str
    decided_by: None | str
    decided_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    downloads: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        organisation = self.organisation

        requested_email = self.requested_email

        decision: None | str
        if isinstance(self.decision, TransmissionDecisionEnum):
            decision = self.decision.value
        else:
            decision = self.decision

        email = self.email

        reason = self.reason

        decided_by: None | str
        decided_by = self.decided_by

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        downloads = self.downloads

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "organisation": organisation,
                "requested_email": requested_email,
                "decision": decision,
                "email": email,
                "reason": reason,
                "decided_by": decided_by,
                "decided_at": decided_at,
                "sent_at": sent_at,
                "downloads": downloads,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        organisation = d.pop("organisation")

        requested_email = d.pop("requested_email")

        def _parse_decision(data: object) -> None | TransmissionDecisionEnum:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decision_type_0 = TransmissionDecisionEnum(data)

                return decision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TransmissionDecisionEnum, data)

        decision = _parse_decision(d.pop("decision"))

        email = d.pop("email")

        reason = d.pop("reason")

        def _parse_decided_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decided_by = _parse_decided_by(d.pop("decided_by"))

        def _parse_decided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))

        downloads = d.pop("downloads")

        transmission = cls(
            organisation=organisation,
            requested_email=requested_email,
            decision=decision,
            email=email,
            reason=reason,
            decided_by=decided_by,
            decided_at=decided_at,
            sent_at=sent_at,
            downloads=downloads,
        )

        transmission.additional_properties = d
        return transmission

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
