from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PlanNotice")


@_attrs_define
class PlanNotice:
    """A recipient of the data (Art. 19) and why it is concerned.

    Attributes:
        recipient (str):
        name (str):
        has_email (bool):
        categories (list[str]):
        activities (list[str]):
        unclassified (bool):
        id (int): For POST .../plan/notices/{id}/remind/.
        sent_at (datetime.datetime | None):
        acknowledged_at (datetime.datetime | None):
        reminders (int):
        other_means (bool):
        not_notified_reason (str):
    """

    recipient: str
    name: str
    has_email: bool
    categories: list[str]
    activities: list[str]
    unclassified: bool
    id: int
    sent_at: datetime.datetime | None
    acknowledged_at: datetime.datetime | None
    reminders: int
    other_means: bool
    not_notified_reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recipient = self.recipient

        name = self.name

        has_email = self.has_email

        categories = self.categories

        activities = self.activities

        unclassified = self.unclassified

        id = self.id

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        acknowledged_at: None | str
        if isinstance(self.acknowledged_at, datetime.datetime):
            acknowledged_at = self.acknowledged_at.isoformat()
        else:
            acknowledged_at = self.acknowledged_at

        reminders = self.reminders

        other_means = self.other_means

        not_notified_reason = self.not_notified_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "recipient": recipient,
                "name": name,
                "has_email": has_email,
                "categories": categories,
                "activities": activities,
                "unclassified": unclassified,
                "id": id,
                "sent_at": sent_at,
                "acknowledged_at": acknowledged_at,
                "reminders": reminders,
                "other_means": other_means,
                "not_notified_reason": not_notified_reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        recipient = d.pop("recipient")

        name = d.pop("name")

        has_email = d.pop("has_email")

        categories = cast(list[str], d.pop("categories"))

        activities = cast(list[str], d.pop("activities"))

        unclassified = d.pop("unclassified")

        id = d.pop("id")

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

        other_means = d.pop("other_means")

        not_notified_reason = d.pop("not_notified_reason")

        plan_notice = cls(
            recipient=recipient,
            name=name,
            has_email=has_email,
            categories=categories,
            activities=activities,
            unclassified=unclassified,
            id=id,
            sent_at=sent_at,
            acknowledged_at=acknowledged_at,
            reminders=reminders,
            other_means=other_means,
            not_notified_reason=not_notified_reason,
        )

        plan_notice.additional_properties = d
        return plan_notice

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
