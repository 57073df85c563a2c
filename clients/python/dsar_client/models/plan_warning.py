from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plan_warning_code_enum import PlanWarningCodeEnum

T = TypeVar("T", bound="PlanWarning")


@_attrs_define
class PlanWarning:
    """
    Attributes:
        code (PlanWarningCodeEnum): * `plan_failed` - plan_failed
            * `sources_unreadable` - sources_unreadable
            * `restrict_by_hand` - restrict_by_hand
            * `restrict_failed` - restrict_failed
            * `recipients_without_email` - recipients_without_email
            * `correction_unmatched` - correction_unmatched
        message (str): In the language asked for with Accept-Language.
        sources (list[str]): The sources or recipients concerned.
    """

    code: PlanWarningCodeEnum
    message: str
    sources: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        message = self.message

        sources = self.sources

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "sources": sources,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = PlanWarningCodeEnum(d.pop("code"))

        message = d.pop("message")

        sources = cast(list[str], d.pop("sources"))

        plan_warning = cls(
            code=code,
            message=message,
            sources=sources,
        )

        plan_warning.additional_properties = d
        return plan_warning

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
