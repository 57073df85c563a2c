from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.legal_basis_enum import LegalBasisEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.translated_text_schema_request import TranslatedTextSchemaRequest


T = TypeVar("T", bound="ProcessingActivityRequest")


@_attrs_define
class ProcessingActivityRequest:
    """Texts in several languages are validated as such.

    Attributes:
        code (str):
        legal_basis (LegalBasisEnum): * `consent` - Consent (Art. 6(1)(a))
            * `contract` - Contract (Art. 6(1)(b))
            * `legal_obligation` - Legal obligation (Art. 6(1)(c))
            * `vital_interests` - Vital interests (Art. 6(1)(d))
            * `public_task` - Public task (Art. 6(1)(e))
            * `legitimate_interests` - Legitimate interests (Art. 6(1)(f))
        names (TranslatedTextSchemaRequest | Unset):
        purposes (TranslatedTextSchemaRequest | Unset):
        legitimate_interests (TranslatedTextSchemaRequest | Unset):
        data_subjects (list[TranslatedTextSchemaRequest] | Unset): The categories of data subjects (Art. 30(1)(c)), each
            by its name per language.
        categories (list[str] | Unset):
        recipients (list[str] | Unset):
        retention (TranslatedTextSchemaRequest | Unset):
        legal_hold_years (int | None | Unset):
        legal_hold_reason (TranslatedTextSchemaRequest | Unset):
        sources (TranslatedTextSchemaRequest | Unset):
        automated_decisions (TranslatedTextSchemaRequest | Unset):
        automated_significance (TranslatedTextSchemaRequest | Unset):
        automated_consequences (TranslatedTextSchemaRequest | Unset):
        security_measures (TranslatedTextSchemaRequest | Unset):
        direct_marketing (bool | Unset):
        active (bool | Unset):
    """

    code: str
    legal_basis: LegalBasisEnum
    names: TranslatedTextSchemaRequest | Unset = UNSET
    purposes: TranslatedTextSchemaRequest | Unset = UNSET
    legitimate_interests: TranslatedTextSchemaRequest | Unset = UNSET
    data_subjects: list[TranslatedTextSchemaRequest] | Unset = UNSET
    categories: list[str] | Unset = UNSET
    recipients: list[str] | Unset = UNSET
    retention: TranslatedTextSchemaRequest | Unset = UNSET
    legal_hold_years: int | None | Unset = UNSET
    legal_hold_reason: TranslatedTextSchemaRequest | Unset = UNSET
    sources: TranslatedTextSchemaRequest | Unset = UNSET
    automated_decisions: TranslatedTextSchemaRequest | Unset = UNSET
    automated_significance: TranslatedTextSchemaRequest | Unset = UNSET
    automated_consequences: TranslatedTextSchemaRequest | Unset = UNSET
    security_measures: TranslatedTextSchemaRequest | Unset = UNSET
    direct_marketing: bool | Unset = UNSET
    active: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        legal_basis = self.legal_basis.value

        names: dict[str, Any] | Unset = UNSET
        if not isinstance(self.names, Unset):
            names = self.names.to_dict()

        purposes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.purposes, Unset):
            purposes = self.purposes.to_dict()

        legitimate_interests: dict[str, Any] | Unset = UNSET
        if not isinstance(self.legitimate_interests, Unset):
            legitimate_interests = self.legitimate_interests.to_dict()

        data_subjects: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.data_subjects, Unset):
            data_subjects = []
            for data_subjects_item_data in self.data_subjects:
                data_subjects_item = data_subjects_item_data.to_dict()
                data_subjects.append(data_subjects_item)

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        recipients: list[str] | Unset = UNSET
        if not isinstance(self.recipients, Unset):
            recipients = self.recipients

        retention: dict[str, Any] | Unset = UNSET
        if not isinstance(self.retention, Unset):
            retention = self.retention.to_dict()

        legal_hold_years: int | None | Unset
        if isinstance(self.legal_hold_years, Unset):
            legal_hold_years = UNSET
        else:
            legal_hold_years = self.legal_hold_years

        legal_hold_reason: dict[str, Any] | Unset = UNSET
        if not isinstance(self.legal_hold_reason, Unset):
            legal_hold_reason = self.legal_hold_reason.to_dict()

        sources: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sources, Unset):
            sources = self.sources.to_dict()

        automated_decisions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.automated_decisions, Unset):
            automated_decisions = self.automated_decisions.to_dict()

        automated_significance: dict[str, Any] | Unset = UNSET
        if not isinstance(self.automated_significance, Unset):
            automated_significance = self.automated_significance.to_dict()

        automated_consequences: dict[str, Any] | Unset = UNSET
        if not isinstance(self.automated_consequences, Unset):
            automated_consequences = self.automated_consequences.to_dict()

        security_measures: dict[str, Any] | Unset = UNSET
        if not isinstance(self.security_measures, Unset):
            security_measures = self.security_measures.to_dict()

        direct_marketing = self.direct_marketing

        active = self.active

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "legal_basis": legal_basis,
            }
        )
        if names is not UNSET:
            field_dict["names"] = names
        if purposes is not UNSET:
            field_dict["purposes"] = purposes
        if legitimate_interests is not UNSET:
            field_dict["legitimate_interests"] = legitimate_interests
        if data_subjects is not UNSET:
            field_dict["data_subjects"] = data_subjects
        if categories is not UNSET:
            field_dict["categories"] = categories
        if recipients is not UNSET:
            field_dict["recipients"] = recipients
        if retention is not UNSET:
            field_dict["retention"] = retention
        if legal_hold_years is not UNSET:
            field_dict["legal_hold_years"] = legal_hold_years
        if legal_hold_reason is not UNSET:
            field_dict["legal_hold_reason"] = legal_hold_reason
        if sources is not UNSET:
            field_dict["sources"] = sources
        if automated_decisions is not UNSET:
            field_dict["automated_decisions"] = automated_decisions
        if automated_significance is not UNSET:
            field_dict["automated_significance"] = automated_significance
        if automated_consequences is not UNSET:
            field_dict["automated_consequences"] = automated_consequences
        if security_measures is not UNSET:
            field_dict["security_measures"] = security_measures
        if direct_marketing is not UNSET:
            field_dict["direct_marketing"] = direct_marketing
        if active is not UNSET:
            field_dict["active"] = active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.translated_text_schema_request import TranslatedTextSchemaRequest  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        legal_basis = LegalBasisEnum(d.pop("legal_basis"))

        _names = d.pop("names", UNSET)
        names: TranslatedTextSchemaRequest | Unset
        if isinstance(_names, Unset):
            names = UNSET
        else:
            names = TranslatedTextSchemaRequest.from_dict(_names)

        _purposes = d.pop("purposes", UNSET)
        purposes: TranslatedTextSchemaRequest | Unset
        if isinstance(_purposes, Unset):
            purposes = UNSET
        else:
            purposes = TranslatedTextSchemaRequest.from_dict(_purposes)

        _legitimate_interests = d.pop("legitimate_interests", UNSET)
        legitimate_interests: TranslatedTextSchemaRequest | Unset
        if isinstance(_legitimate_interests, Unset):
            legitimate_interests = UNSET
        else:
            legitimate_interests = TranslatedTextSchemaRequest.from_dict(_legitimate_interests)

        _data_subjects = d.pop("data_subjects", UNSET)
        data_subjects: list[TranslatedTextSchemaRequest] | Unset = UNSET
        if _data_subjects is not UNSET:
            data_subjects = []
            for data_subjects_item_data in _data_subjects:
                data_subjects_item = TranslatedTextSchemaRequest.from_dict(data_subjects_item_data)

                data_subjects.append(data_subjects_item)

        categories = cast(list[str], d.pop("categories", UNSET))

        recipients = cast(list[str], d.pop("recipients", UNSET))

        _retention = d.pop("retention", UNSET)
        retention: TranslatedTextSchemaRequest | Unset
        if isinstance(_retention, Unset):
            retention = UNSET
        else:
            retention = TranslatedTextSchemaRequest.from_dict(_retention)

        def _parse_legal_hold_years(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        legal_hold_years = _parse_legal_hold_years(d.pop("legal_hold_years", UNSET))

        _legal_hold_reason = d.pop("legal_hold_reason", UNSET)
        legal_hold_reason: TranslatedTextSchemaRequest | Unset
        if isinstance(_legal_hold_reason, Unset):
            legal_hold_reason = UNSET
        else:
            legal_hold_reason = TranslatedTextSchemaRequest.from_dict(_legal_hold_reason)

        _sources = d.pop("sources", UNSET)
        sources: TranslatedTextSchemaRequest | Unset
        if isinstance(_sources, Unset):
            sources = UNSET
        else:
            sources = TranslatedTextSchemaRequest.from_dict(_sources)

        _automated_decisions = d.pop("automated_decisions", UNSET)
        automated_decisions: TranslatedTextSchemaRequest | Unset
        if isinstance(_automated_decisions, Unset):
            automated_decisions = UNSET
        else:
            automated_decisions = TranslatedTextSchemaRequest.from_dict(_automated_decisions)

        _automated_significance = d.pop("automated_significance", UNSET)
        automated_significance: TranslatedTextSchemaRequest | Unset
        if isinstance(_automated_significance, Unset):
            automated_significance = UNSET
        else:
            automated_significance = TranslatedTextSchemaRequest.from_dict(_automated_significance)

        _automated_consequences = d.pop("automated_consequences", UNSET)
        automated_consequences: TranslatedTextSchemaRequest | Unset
        if isinstance(_automated_consequences, Unset):
            automated_consequences = UNSET
        else:
            automated_consequences = TranslatedTextSchemaRequest.from_dict(_automated_consequences)

        _security_measures = d.pop("security_measures", UNSET)
        security_measures: TranslatedTextSchemaRequest | Unset
        if isinstance(_security_measures, Unset):
            security_measures = UNSET
        else:
            security_measures = TranslatedTextSchemaRequest.from_dict(_security_measures)

        direct_marketing = d.pop("direct_marketing", UNSET)

        active = d.pop("active", UNSET)

        processing_activity_request = cls(
            code=code,
            legal_basis=legal_basis,
            names=names,
            purposes=purposes,
            legitimate_interests=legitimate_interests,
            data_subjects=data_subjects,
            categories=categories,
            recipients=recipients,
            retention=retention,
            legal_hold_years=legal_hold_years,
            legal_hold_reason=legal_hold_reason,
            sources=sources,
            automated_decisions=automated_decisions,
            automated_significance=automated_significance,
            automated_consequences=automated_consequences,
            security_measures=security_measures,
            direct_marketing=direct_marketing,
            active=active,
        )

        processing_activity_request.additional_properties = d
        return processing_activity_request

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
