from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.blank_enum import BlankEnum
from ..models.erasure_ground_enum import ErasureGroundEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApprovePlanRequest")


@_attrs_define
class ApprovePlanRequest:
    """
    Attributes:
        erasure_ground (BlankEnum | ErasureGroundEnum | Unset): Erasure (required): the ground of Art. 17(1) on which
            the data is erased; kept in the audit trail.

            * `no_longer_necessary` - (a) No longer necessary for the purposes for which it was collected
            * `consent_withdrawn` - (b) The subject withdrew their consent and no other legal ground remains
            * `objection` - (c) The subject objected under Art. 21(1) with no overriding grounds, or under Art. 21(2)
            * `unlawful` - (d) The data was unlawfully processed
            * `legal_obligation` - (e) Erasure is required by a legal obligation of EU or Member State law
            * `child_service` - (f) Collected from a child for an information society service (Art. 8(1)) Default:
            BlankEnum.EMPTY.
    """

    erasure_ground: BlankEnum | ErasureGroundEnum | Unset = BlankEnum.EMPTY
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        erasure_ground: str | Unset
        if isinstance(self.erasure_ground, Unset):
            erasure_ground = UNSET
        elif isinstance(self.erasure_ground, ErasureGroundEnum):
            erasure_ground = self.erasure_ground.value
        else:
            erasure_ground = self.erasure_ground.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if erasure_ground is not UNSET:
            field_dict["erasure_ground"] = erasure_ground

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_erasure_ground(data: object) -> BlankEnum | ErasureGroundEnum | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                erasure_ground_type_0 = ErasureGroundEnum(data)

                return erasure_ground_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            erasure_ground_type_1 = BlankEnum(data)

            return erasure_ground_type_1

        erasure_ground = _parse_erasure_ground(d.pop("erasure_ground", UNSET))

        approve_plan_request = cls(
            erasure_ground=erasure_ground,
        )

        approve_plan_request.additional_properties = d
        return approve_plan_request

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
