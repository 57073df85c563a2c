from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel_enum import ChannelEnum
from ..models.language_enum import LanguageEnum
from ..models.request_status_enum import RequestStatusEnum
from ..models.request_type_enum import RequestTypeEnum

T = TypeVar("T", bound="RequestList")


@_attrs_define
class RequestList:
    """
    Attributes:
        reference (str):
        request_type (RequestTypeEnum): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))
        status (RequestStatusEnum): * `unverified` - Unverified
            * `new` - New
            * `awaiting_subject` - Awaiting the subject
            * `approved` - Approved
            * `processing` - Processing
            * `in_review` - In review
            * `forwarded` - Forwarded, awaiting the provider
            * `fulfilled` - Fulfilled
            * `closed` - Closed
            * `rejected` - Rejected
            * `cancelled` - Cancelled
            * `expired` - Expired
        channel (ChannelEnum): * `web` - Web form
            * `api` - API
            * `email` - E-mail
            * `letter` - Letter
            * `phone` - Phone
            * `in_person` - In person
        language (LanguageEnum): * `nl` - Nederlands
            * `fr` - Français
            * `de` - Deutsch
            * `en` - English
        full_name (str):
        email (str): Empty for a request logged from a letter or a call: the subject is answered by post.
        received_at (datetime.datetime):
        due_date (datetime.date):
        internal_target_date (datetime.date):
        days_left (int): Calendar days to the legal deadline (negative: overdue).
        overdue (bool):
        assignee (None | str): Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.
    """

    reference: str
    request_type: RequestTypeEnum
    status: RequestStatusEnum
    channel: ChannelEnum
    language: LanguageEnum
    full_name: str
    email: str
    received_at: datetime.datetime
    due_date: datetime.date
    internal_target_date: datetime.date
    days_left: int
    overdue: bool
    assignee: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reference = self.reference

        request_type = self.request_type.value

        status = self.status.value

        channel = self.channel.value

        language = self.language.value

        full_name = self.full_name

        email = self.email

        received_at = self.received_at.isoformat()

        due_date = self.due_date.isoformat()

        internal_target_date = self.internal_target_date.isoformat()

        days_left = self.days_left

        overdue = self.overdue

        assignee: None | str
        assignee = self.assignee

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reference": reference,
                "request_type": request_type,
                "status": status,
                "channel": channel,
                "language": language,
                "full_name": full_name,
                "email": email,
                "received_at": received_at,
                "due_date": due_date,
                "internal_target_date": internal_target_date,
                "days_left": days_left,
                "overdue": overdue,
                "assignee": assignee,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reference = d.pop("reference")

        request_type = RequestTypeEnum(d.pop("request_type"))

        status = RequestStatusEnum(d.pop("status"))

        channel = ChannelEnum(d.pop("channel"))

        language = LanguageEnum(d.pop("language"))

        full_name = d.pop("full_name")

        email = d.pop("email")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        due_date = datetime.date.fromisoformat(d.pop("due_date"))

        internal_target_date = datetime.date.fromisoformat(d.pop("internal_target_date"))

        days_left = d.pop("days_left")

        overdue = d.pop("overdue")

        def _parse_assignee(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assignee = _parse_assignee(d.pop("assignee"))

        request_list = cls(
            reference=reference,
            request_type=request_type,
            status=status,
            channel=channel,
            language=language,
            full_name=full_name,
            email=email,
            received_at=received_at,
            due_date=due_date,
            internal_target_date=internal_target_date,
            days_left=days_left,
            overdue=overdue,
            assignee=assignee,
        )

        request_list.additional_properties = d
        return request_list

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
