from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.check_status_enum import CheckStatusEnum
from ..models.contact_enum import ContactEnum
from ..models.mandate_kind_enum import MandateKindEnum
from ..models.minor_age_band_enum import MinorAgeBandEnum
from ..models.relationship_enum import RelationshipEnum

T = TypeVar("T", bound="Representation")


@_attrs_define
class Representation:
    """
    Attributes:
        full_name (str):
        email (str):
        relationship (RelationshipEnum): * `lawyer` - Lawyer
            * `parent` - Parent of a minor
            * `guardian` - Guardian or court-appointed administrator
            * `other` - Another person with a mandate
        minor_age_band (BlankEnum | MinorAgeBandEnum):
        contact (ContactEnum): * `representative` - The representative
            * `subject` - The person the request is about
            * `both` - Both
        subject_language (str): The language of the person represented, when the representative gave it (else empty).
        mandate_kind (MandateKindEnum): * `document` - A document (power of attorney, court decision, birth
            certificate...)
            * `statement` - A signed statement
        mandate_statement (str):
        has_document (bool): A mandate document was sent (opened in the workspace).
        check_status (CheckStatusEnum): * `pending` - Not checked yet
            * `accepted` - Mandate accepted
            * `refused` - Better mandate asked for
        check_reason (str): What is missing, as sent to the representative.
        checked_at (datetime.datetime | None):
    """

    full_name: str
    email: str
    relationship: RelationshipEnum
    minor_age_band: BlankEnum | MinorAgeBandEnum
    contact: ContactEnum
    subject_language: str
    mandate_kind: MandateKindEnum
    mandate_statement: str
    has_document: bool
    check_status: CheckStatusEnum
    check_reason: str
    checked_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        full_name = self.full_name

        email = self.email

        relationship = self.relationship.value

        minor_age_band: str
        if isinstance(self.minor_age_band, MinorAgeBandEnum):
            minor_age_band = self.minor_age_band.value
        else:
            minor_age_band = self.minor_age_band.value

        contact = self.contact.value

        subject_language = self.subject_language

        mandate_kind = self.mandate_kind.value

        mandate_statement = self.mandate_statement

        has_document = self.has_document

        check_status = self.check_status.value

        check_reason = self.check_reason

        checked_at: None | str
        if isinstance(self.checked_at, datetime.datetime):
            checked_at = self.checked_at.isoformat()
        else:
            checked_at = self.checked_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "full_name": full_name,
                "email": email,
                "relationship": relationship,
                "minor_age_band": minor_age_band,
                "contact": contact,
                "subject_language": subject_language,
                "mandate_kind": mandate_kind,
                "mandate_statement": mandate_statement,
                "has_document": has_document,
                "check_status": check_status,
                "check_reason": check_reason,
                "checked_at": checked_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        full_name = d.pop("full_name")

        email = d.pop("email")

        relationship = RelationshipEnum(d.pop("relationship"))

        def _parse_minor_age_band(data: object) -> BlankEnum | MinorAgeBandEnum:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                minor_age_band_type_0 = MinorAgeBandEnum(data)

                return minor_age_band_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            minor_age_band_type_1 = BlankEnum(data)

            return minor_age_band_type_1

        minor_age_band = _parse_minor_age_band(d.pop("minor_age_band"))

        contact = ContactEnum(d.pop("contact"))

        subject_language = d.pop("subject_language")

        mandate_kind = MandateKindEnum(d.pop("mandate_kind"))

        mandate_statement = d.pop("mandate_statement")

        has_document = d.pop("has_document")

        check_status = CheckStatusEnum(d.pop("check_status"))

        check_reason = d.pop("check_reason")

        def _parse_checked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                checked_at_type_0 = datetime.datetime.fromisoformat(data)

                return checked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        checked_at = _parse_checked_at(d.pop("checked_at"))

        representation = cls(
            full_name=full_name,
            email=email,
            relationship=relationship,
            minor_age_band=minor_age_band,
            contact=contact,
            subject_language=subject_language,
            mandate_kind=mandate_kind,
            mandate_statement=mandate_statement,
            has_document=has_document,
            check_status=check_status,
            check_reason=check_reason,
            checked_at=checked_at,
        )

        representation.additional_properties = d
        return representation

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
