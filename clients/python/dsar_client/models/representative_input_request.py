from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.contact_enum import ContactEnum
from ..models.language_enum import LanguageEnum
from ..models.minor_age_band_enum import MinorAgeBandEnum
from ..models.relationship_enum import RelationshipEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.mandate_document_request import MandateDocumentRequest


T = TypeVar("T", bound="RepresentativeInputRequest")


@_attrs_define
class RepresentativeInputRequest:
    """
    Attributes:
        full_name (str):
        relationship (RelationshipEnum): * `lawyer` - Lawyer
            * `parent` - Parent of a minor
            * `guardian` - Guardian or court-appointed administrator
            * `other` - Another person with a mandate
        email (str | Unset): Required on the public intake: the confirmation link goes to the representative.
        minor_age_band (BlankEnum | MinorAgeBandEnum | Unset): Required for a parent: under 13 the parent acts for the
            child (Art. 8 GDPR; Belgium: 13 years).

            * `under_13` - Under 13
            * `13_15` - 13 to 15
            * `16_17` - 16 or 17
        contact (ContactEnum | Unset): * `representative` - The representative
            * `subject` - The person the request is about
            * `both` - Both
        subject_language (BlankEnum | LanguageEnum | Unset): The language of the person represented (default: the
            request's `language`, which is the representative's): the notice that someone asked in their name is written in
            it.

            * `nl` - Nederlands
            * `fr` - Français
            * `de` - Deutsch
            * `en` - English
        mandate_statement (str | Unset): A statement signed by the subject, when no document is sent. One of the two is
            required.
        mandate_document (MandateDocumentRequest | Unset):
    """

    full_name: str
    relationship: RelationshipEnum
    email: str | Unset = UNSET
    minor_age_band: BlankEnum | MinorAgeBandEnum | Unset = UNSET
    contact: ContactEnum | Unset = UNSET
    subject_language: BlankEnum | LanguageEnum | Unset = UNSET
    mandate_statement: str | Unset = UNSET
    mandate_document: MandateDocumentRequest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        full_name = self.full_name

        relationship = self.relationship.value

        email: str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        minor_age_band: str | Unset
        if isinstance(self.minor_age_band, Unset):
            minor_age_band = UNSET
        elif isinstance(self.minor_age_band, MinorAgeBandEnum):
            minor_age_band = self.minor_age_band.value
        else:
            minor_age_band = self.minor_age_band.value

        contact: str | Unset = UNSET
        if not isinstance(self.contact, Unset):
            contact = self.contact.value

        subject_language: str | Unset
        if isinstance(self.subject_language, Unset):
            subject_language = UNSET
        elif isinstance(self.subject_language, LanguageEnum):
            subject_language = self.subject_language.value
        else:
            subject_language = self.subject_language.value

        mandate_statement = self.mandate_statement

        mandate_document: dict[str, Any] | Unset = UNSET
        if not isinstance(self.mandate_document, Unset):
            mandate_document = self.mandate_document.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "full_name": full_name,
                "relationship": relationship,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if minor_age_band is not UNSET:
            field_dict["minor_age_band"] = minor_age_band
        if contact is not UNSET:
            field_dict["contact"] = contact
        if subject_language is not UNSET:
            field_dict["subject_language"] = subject_language
        if mandate_statement is not UNSET:
            field_dict["mandate_statement"] = mandate_statement
        if mandate_document is not UNSET:
            field_dict["mandate_document"] = mandate_document

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mandate_document_request import MandateDocumentRequest  # noqa: PLC0415

        d = dict(src_dict)
        full_name = d.pop("full_name")

        relationship = RelationshipEnum(d.pop("relationship"))

        def _parse_email(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_minor_age_band(data: object) -> BlankEnum | MinorAgeBandEnum | Unset:
            if isinstance(data, Unset):
                return data
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

        minor_age_band = _parse_minor_age_band(d.pop("minor_age_band", UNSET))

        _contact = d.pop("contact", UNSET)
        contact: ContactEnum | Unset
        if isinstance(_contact, Unset):
            contact = UNSET
        else:
            contact = ContactEnum(_contact)

        def _parse_subject_language(data: object) -> BlankEnum | LanguageEnum | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                subject_language_type_0 = LanguageEnum(data)

                return subject_language_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            subject_language_type_1 = BlankEnum(data)

            return subject_language_type_1

        subject_language = _parse_subject_language(d.pop("subject_language", UNSET))

        mandate_statement = d.pop("mandate_statement", UNSET)

        _mandate_document = d.pop("mandate_document", UNSET)
        mandate_document: MandateDocumentRequest | Unset
        if isinstance(_mandate_document, Unset):
            mandate_document = UNSET
        else:
            mandate_document = MandateDocumentRequest.from_dict(_mandate_document)

        representative_input_request = cls(
            full_name=full_name,
            relationship=relationship,
            email=email,
            minor_age_band=minor_age_band,
            contact=contact,
            subject_language=subject_language,
            mandate_statement=mandate_statement,
            mandate_document=mandate_document,
        )

        representative_input_request.additional_properties = d
        return representative_input_request

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
