from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Forwarding")


@_attrs_define
class Forwarding:
    """
    Attributes:
        controller_name (str):
        controller_email (str):
        sent_at (datetime.datetime):
        acknowledged_at (datetime.datetime | None):
        reminders (int):
        due_date (datetime.date | None): The care provider's deadline (Patient Rights Act, 15 days from our receipt).
    """

    controller_name: str
    controller_email: str
    sent_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    reminders: int
    due_date: datetime.date | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        controller_name = self.controller_name

        controller_email = self.controller_email

        sent_at = self.sent_at.isoformat()

        acknowledged_at: None | str
        if isinstance(self.acknowledged_at, datetime.datetime):
            acknowledged_at = self.acknowledged_at.isoformat()
        else:
            acknowledged_at = self.acknowledged_at

        reminders = self.reminders

        due_date: None | str
        if isinstance(self.due_date, datetime.date):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "controller_name": controller_name,
                "controller_email": controller_email,
                "sent_at": sent_at,
                "acknowledged_at": acknowledged_at,
                "reminders": reminders,
                "due_date": due_date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        controller_name = d.pop("controller_name")

        controller_email = d.pop("controller_email")

        sent_at = datetime.datetime.fromisoformat(d.pop("sent_at"))

        def _parse_acknowledged_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledged_at_type_0 = datetime.datetime.fromisoformat(data)

                return acknowledged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at"))

        reminders = d.pop("reminders")

        def _parse_due_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_date_type_0 = datetime.date.fromisoformat(data)

                return due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        due_date = _parse_due_date(d.pop("due_date"))

        forwarding = cls(
            controller_name=controller_name,
            controller_email=controller_email,
            sent_at=sent_at,
            acknowledged_at=acknowledged_at,
            reminders=reminders,
            due_date=due_date,
        )

        forwarding.additional_properties = d
        return forwarding

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
