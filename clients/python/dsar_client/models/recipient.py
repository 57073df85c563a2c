from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.recipient_kind_enum import RecipientKindEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.translated_text_schema import TranslatedTextSchema


T = TypeVar("T", bound="Recipient")


@_attrs_define
class Recipient:
    """Texts in several languages are validated as such.

    Attributes:
        code (str):
        name (str):
        kind (RecipientKindEnum | Unset): * `processor` - Processor
            * `controller` - Other controller
            * `authority` - Public authority
        descriptions (TranslatedTextSchema | Unset):
        contact_email (str | Unset):
        address (str | Unset):
        country (str | Unset): ISO 3166 code
        outside_eea (bool | Unset):
        transfer_safeguards (TranslatedTextSchema | Unset):
        notify_changes (bool | Unset):
        categories (list[str] | Unset): The data categories it receives (Art. 19 notices name only these); empty: every
            category of its processing activities.
    """

    code: str
    name: str
    kind: RecipientKindEnum | Unset = UNSET
    descriptions: TranslatedTextSchema | Unset = UNSET
    contact_email: str | Unset = UNSET
    address: str | Unset = UNSET
    country: str | Unset = UNSET
    outside_eea: bool | Unset = UNSET
    transfer_safeguards: TranslatedTextSchema | Unset = UNSET
    notify_changes: bool | Unset = UNSET
    categories: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        descriptions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.descriptions, Unset):
            descriptions = self.descriptions.to_dict()

        contact_email: str | Unset
        if isinstance(self.contact_email, Unset):
            contact_email = UNSET
        else:
            contact_email = self.contact_email

        address = self.address

        country = self.country

        outside_eea = self.outside_eea

        transfer_safeguards: dict[str, Any] | Unset = UNSET
        if not isinstance(self.transfer_safeguards, Unset):
            transfer_safeguards = self.transfer_safeguards.to_dict()

        notify_changes = self.notify_changes

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "name": name,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if descriptions is not UNSET:
            field_dict["descriptions"] = descriptions
        if contact_email is not UNSET:
            field_dict["contact_email"] = contact_email
        if address is not UNSET:
            field_dict["address"] = address
        if country is not UNSET:
            field_dict["country"] = country
        if outside_eea is not UNSET:
            field_dict["outside_eea"] = outside_eea
        if transfer_safeguards is not UNSET:
            field_dict["transfer_safeguards"] = transfer_safeguards
        if notify_changes is not UNSET:
            field_dict["notify_changes"] = notify_changes
        if categories is not UNSET:
            field_dict["categories"] = categories

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.translated_text_schema import TranslatedTextSchema  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        _kind = d.pop("kind", UNSET)
        kind: RecipientKindEnum | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = RecipientKindEnum(_kind)

        _descriptions = d.pop("descriptions", UNSET)
        descriptions: TranslatedTextSchema | Unset
        if isinstance(_descriptions, Unset):
            descriptions = UNSET
        else:
            descriptions = TranslatedTextSchema.from_dict(_descriptions)

        def _parse_contact_email(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        contact_email = _parse_contact_email(d.pop("contact_email", UNSET))

        address = d.pop("address", UNSET)

        country = d.pop("country", UNSET)

        outside_eea = d.pop("outside_eea", UNSET)

        _transfer_safeguards = d.pop("transfer_safeguards", UNSET)
        transfer_safeguards: TranslatedTextSchema | Unset
        if isinstance(_transfer_safeguards, Unset):
            transfer_safeguards = UNSET
        else:
            transfer_safeguards = TranslatedTextSchema.from_dict(_transfer_safeguards)

        notify_changes = d.pop("notify_changes", UNSET)

        categories = cast(list[str], d.pop("categories", UNSET))

        recipient = cls(
            code=code,
            name=name,
            kind=kind,
            descriptions=descriptions,
            contact_email=contact_email,
            address=address,
            country=country,
            outside_eea=outside_eea,
            transfer_safeguards=transfer_safeguards,
            notify_changes=notify_changes,
            categories=categories,
        )

        recipient.additional_properties = d
        return recipient

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
