from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.language_enum import LanguageEnum
from ..models.request_status_enum import RequestStatusEnum
from ..models.request_type_enum import RequestTypeEnum

T = TypeVar("T", bound="PublicRequestCreated")


@_attrs_define
class PublicRequestCreated:
    """
    Attributes:
        reference (str):
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
        request_type (RequestTypeEnum): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))
        language (LanguageEnum): * `nl` - Nederlands
            * `fr` - Français
            * `de` - Deutsch
            * `en` - English
        message (str):
    """

    reference: str
    status: RequestStatusEnum
    request_type: RequestTypeEnum
    language: LanguageEnum
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reference = self.reference

        status = self.status.value

        request_type = self.request_type.value

        language = self.language.value

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reference": reference,
                "status": status,
                "request_type": request_type,
                "language": language,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reference = d.pop("reference")

        status = RequestStatusEnum(d.pop("status"))

        request_type = RequestTypeEnum(d.pop("request_type"))

        language = LanguageEnum(d.pop("language"))

        message = d.pop("message")

        public_request_created = cls(
            reference=reference,
            status=status,
            request_type=request_type,
            language=language,
            message=message,
        )

        public_request_created.additional_properties = d
        return public_request_created

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
