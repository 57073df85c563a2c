from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.inbox_source_enum import InboxSourceEnum
from ..models.inbox_state_enum import InboxStateEnum
from ..models.language_enum import LanguageEnum
from ..models.request_type_enum import RequestTypeEnum

T = TypeVar("T", bound="InboxItem")


@_attrs_define
class InboxItem:
    """
    Attributes:
        code (str):
        source (InboxSourceEnum): * `imap` - IMAP mailbox
            * `webhook` - Inbound webhook
            * `file` - Imported file
        state (InboxStateEnum): * `new` - To triage
            * `converted` - Turned into a request
            * `attached` - Attached to a request
            * `dismissed` - Dismissed
        sender (str):
        sender_name (str):
        subject (str):
        received_at (datetime.datetime):
        received_on (datetime.date):
        guessed_type (BlankEnum | RequestTypeEnum): The right guessed from the words; empty if none.

            * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))
        language (BlankEnum | LanguageEnum):
        request (None | str):
    """

    code: str
    source: InboxSourceEnum
    state: InboxStateEnum
    sender: str
    sender_name: str
    subject: str
    received_at: datetime.datetime
    received_on: datetime.date
    guessed_type: BlankEnum | RequestTypeEnum
    language: BlankEnum | LanguageEnum
    request: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        source = self.source.value

        state = self.state.value

        sender = self.sender

        sender_name = self.sender_name

        subject = self.subject

        received_at = self.received_at.isoformat()

        received_on = self.received_on.isoformat()

        guessed_type: str
        if isinstance(self.guessed_type, RequestTypeEnum):
            guessed_type = self.guessed_type.value
        else:
            guessed_type = self.guessed_type.value

        language: str
        if isinstance(self.language, LanguageEnum):
            language = self.language.value
        else:
            language = self.language.value

        request: None | str
        request = self.request

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "source": source,
                "state": state,
                "sender": sender,
                "sender_name": sender_name,
                "subject": subject,
                "received_at": received_at,
                "received_on": received_on,
                "guessed_type": guessed_type,
                "language": language,
                "request": request,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        source = InboxSourceEnum(d.pop("source"))

        state = InboxStateEnum(d.pop("state"))

        sender = d.pop("sender")

        sender_name = d.pop("sender_name")

        subject = d.pop("subject")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        received_on = datetime.date.fromisoformat(d.pop("received_on"))

        def _parse_guessed_type(data: object) -> BlankEnum | RequestTypeEnum:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                guessed_type_type_0 = RequestTypeEnum(data)

                return guessed_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            guessed_type_type_1 = BlankEnum(data)

            return guessed_type_type_1

        guessed_type = _parse_guessed_type(d.pop("guessed_type"))

        def _parse_language(data: object) -> BlankEnum | LanguageEnum:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_0 = LanguageEnum(data)

                return language_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            language_type_1 = BlankEnum(data)

            return language_type_1

        language = _parse_language(d.pop("language"))

        def _parse_request(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request = _parse_request(d.pop("request"))

        inbox_item = cls(
            code=code,
            source=source,
            state=state,
            sender=sender,
            sender_name=sender_name,
            subject=subject,
            received_at=received_at,
            received_on=received_on,
            guessed_type=guessed_type,
            language=language,
            request=request,
        )

        inbox_item.additional_properties = d
        return inbox_item

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
