from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.erasure_scope_enum import ErasureScopeEnum
from ..models.portability_format_enum import PortabilityFormatEnum
from ..models.request_type_enum import RequestTypeEnum
from ..models.restriction_ground_enum import RestrictionGroundEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.correction_request import CorrectionRequest
    from ..models.representative_input_request import RepresentativeInputRequest


T = TypeVar("T", bound="ChangeTypeRequest")


@_attrs_define
class ChangeTypeRequest:
    """Documents the change of type: the new type with the type-specific fields of
    the web form, which replace the old type's; the workspace's form validates them.

        Attributes:
            request_type (RequestTypeEnum): * `access` - Access to my data (Art. 15)
                * `rectification` - Correction of my data (Art. 16)
                * `erasure` - Erasure of my data (Art. 17)
                * `restriction` - Restriction of processing (Art. 18)
                * `portability` - Data portability (Art. 20)
                * `objection` - Objection to processing (Art. 21)
                * `withdrawal` - Withdrawal of consent (Art. 7(3))
            reason (str): Why the type changes (kept as an internal note).
            representative (RepresentativeInputRequest | Unset):
            rectification_field (str | Unset):
            rectification_current (str | Unset):
            rectification_correct (str | Unset):
            rectification_items (list[CorrectionRequest] | Unset): Rectification: up to 5 corrections. Either this list or
                the single rectification_field/rectification_current/rectification_correct, not both.
            rectification_restrict (bool | Unset): Rectification: restrict the data while the correction is checked (Art.
                18(1)(a)).
            restriction_ground (RestrictionGroundEnum | Unset): * `contested_accuracy` - (a) The data is inaccurate:
                restrict it while it is checked
                * `unlawful_processing` - (b) The processing is unlawful, but the subject wants restriction instead of erasure
                * `legal_claims` - (c) No longer needed by us, but needed by the subject for a legal claim
                * `pending_objection` - (d) The subject objected (Art. 21(1)); restrict while our legitimate grounds are
                verified
            restriction_contested_categories (list[str] | Unset): Restriction on ground "contested_accuracy" (Art.
                18(1)(a)), optional: the codes of the data categories of the processing register whose accuracy the subject
                contests. In SQL sources only the tables holding them are then restricted; none sent, all the subject's data is.
                An unknown code is refused; with any other ground the list is ignored (those grounds concern all the subject's
                data).
            rectification_tell_recipients (bool | Unset): Rectification: the subject asks which recipients were informed
                (Art. 19).
            restriction_tell_recipients (bool | Unset): Restriction: the subject asks which recipients were informed (Art.
                19).
            erasure_tell_recipients (bool | Unset): Erasure: the subject asks which recipients were informed (Art. 19).
            erasure_scope (ErasureScopeEnum | Unset): * `all` - all
                * `specific` - specific
            erasure_categories (list[str] | Unset): Erasure of specific data (erasure_scope "specific"): the codes of the
                data categories of the processing register to erase; required then when the register lists categories.
            erasure_specific (str | Unset): Erasure of specific data: more about the data, in the subject's words (optional
                with categories).
            objection_activities (list[str] | Unset):
            withdrawal_consents (list[str] | Unset):
            portability_format (PortabilityFormatEnum | Unset): * `json` - json
                * `csv` - csv
            portability_target (str | Unset): Portability: the organisation the subject wants the data sent to directly
                (Art. 20(2)).
            portability_target_email (str | Unset): Portability: that organisation's e-mail address, if the subject knows
                it.
    """

    request_type: RequestTypeEnum
    reason: str
    representative: RepresentativeInputRequest | Unset = UNSET
    rectification_field: str | Unset = UNSET
    rectification_current: str | Unset = UNSET
    rectification_correct: str | Unset = UNSET
    rectification_items: list[CorrectionRequest] | Unset = UNSET
    rectification_restrict: bool | Unset = UNSET
    restriction_ground: RestrictionGroundEnum | Unset = UNSET
    restriction_contested_categories: list[str] | Unset = UNSET
    rectification_tell_recipients: bool | Unset = UNSET
    restriction_tell_recipients: bool | Unset = UNSET
    erasure_tell_recipients: bool | Unset = UNSET
    erasure_scope: ErasureScopeEnum | Unset = UNSET
    erasure_categories: list[str] | Unset = UNSET
    erasure_specific: str | Unset = UNSET
    objection_activities: list[str] | Unset = UNSET
    withdrawal_consents: list[str] | Unset = UNSET
    portability_format: PortabilityFormatEnum | Unset = UNSET
    portability_target: str | Unset = UNSET
    portability_target_email: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_type = self.request_type.value

        reason = self.reason

        representative: dict[str, Any] | Unset = UNSET
        if not isinstance(self.representative, Unset):
            representative = self.representative.to_dict()

        rectification_field = self.rectification_field

        rectification_current = self.rectification_current

        rectification_correct = self.rectification_correct

        rectification_items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.rectification_items, Unset):
            rectification_items = []
            for rectification_items_item_data in self.rectification_items:
                rectification_items_item = rectification_items_item_data.to_dict()
                rectification_items.append(rectification_items_item)

        rectification_restrict = self.rectification_restrict

        restriction_ground: str | Unset = UNSET
        if not isinstance(self.restriction_ground, Unset):
            restriction_ground = self.restriction_ground.value

        restriction_contested_categories: list[str] | Unset = UNSET
        if not isinstance(self.restriction_contested_categories, Unset):
            restriction_contested_categories = self.restriction_contested_categories

        rectification_tell_recipients = self.rectification_tell_recipients

        restriction_tell_recipients = self.restriction_tell_recipients

        erasure_tell_recipients = self.erasure_tell_recipients

        erasure_scope: str | Unset = UNSET
        if not isinstance(self.erasure_scope, Unset):
            erasure_scope = self.erasure_scope.value

        erasure_categories: list[str] | Unset = UNSET
        if not isinstance(self.erasure_categories, Unset):
            erasure_categories = self.erasure_categories

        erasure_specific = self.erasure_specific

        objection_activities: list[str] | Unset = UNSET
        if not isinstance(self.objection_activities, Unset):
            objection_activities = self.objection_activities

        withdrawal_consents: list[str] | Unset = UNSET
        if not isinstance(self.withdrawal_consents, Unset):
            withdrawal_consents = self.withdrawal_consents

        portability_format: str | Unset = UNSET
        if not isinstance(self.portability_format, Unset):
            portability_format = self.portability_format.value

        portability_target = self.portability_target

        portability_target_email: str | Unset
        if isinstance(self.portability_target_email, Unset):
            portability_target_email = UNSET
        else:
            portability_target_email = self.portability_target_email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_type": request_type,
                "reason": reason,
            }
        )
        if representative is not UNSET:
            field_dict["representative"] = representative
        if rectification_field is not UNSET:
            field_dict["rectification_field"] = rectification_field
        if rectification_current is not UNSET:
            field_dict["rectification_current"] = rectification_current
        if rectification_correct is not UNSET:
            field_dict["rectification_correct"] = rectification_correct
        if rectification_items is not UNSET:
            field_dict["rectification_items"] = rectification_items
        if rectification_restrict is not UNSET:
            field_dict["rectification_restrict"] = rectification_restrict
        if restriction_ground is not UNSET:
            field_dict["restriction_ground"] = restriction_ground
        if restriction_contested_categories is not UNSET:
            field_dict["restriction_contested_categories"] = restriction_contested_categories
        if rectification_tell_recipients is not UNSET:
            field_dict["rectification_tell_recipients"] = rectification_tell_recipients
        if restriction_tell_recipients is not UNSET:
            field_dict["restriction_tell_recipients"] = restriction_tell_recipients
        if erasure_tell_recipients is not UNSET:
            field_dict["erasure_tell_recipients"] = erasure_tell_recipients
        if erasure_scope is not UNSET:
            field_dict["erasure_scope"] = erasure_scope
        if erasure_categories is not UNSET:
            field_dict["erasure_categories"] = erasure_categories
        if erasure_specific is not UNSET:
            field_dict["erasure_specific"] = erasure_specific
        if objection_activities is not UNSET:
            field_dict["objection_activities"] = objection_activities
        if withdrawal_consents is not UNSET:
            field_dict["withdrawal_consents"] = withdrawal_consents
        if portability_format is not UNSET:
            field_dict["portability_format"] = portability_format
        if portability_target is not UNSET:
            field_dict["portability_target"] = portability_target
        if portability_target_email is not UNSET:
            field_dict["portability_target_email"] = portability_target_email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.correction_request import CorrectionRequest  # noqa: PLC0415
        from ..models.representative_input_request import RepresentativeInputRequest  # noqa: PLC0415

        d = dict(src_dict)
        request_type = RequestTypeEnum(d.pop("request_type"))

        reason = d.pop("reason")

        _representative = d.pop("representative", UNSET)
        representative: RepresentativeInputRequest | Unset
        if isinstance(_representative, Unset):
            representative = UNSET
        else:
            representative = RepresentativeInputRequest.from_dict(_representative)

        rectification_field = d.pop("rectification_field", UNSET)

        rectification_current = d.pop("rectification_current", UNSET)

        rectification_correct = d.pop("rectification_correct", UNSET)

        _rectification_items = d.pop("rectification_items", UNSET)
        rectification_items: list[CorrectionRequest] | Unset = UNSET
        if _rectification_items is not UNSET:
            rectification_items = []
            for rectification_items_item_data in _rectification_items:
                rectification_items_item = CorrectionRequest.from_dict(rectification_items_item_data)

                rectification_items.append(rectification_items_item)

        rectification_restrict = d.pop("rectification_restrict", UNSET)

        _restriction_ground = d.pop("restriction_ground", UNSET)
        restriction_ground: RestrictionGroundEnum | Unset
        if isinstance(_restriction_ground, Unset):
            restriction_ground = UNSET
        else:
            restriction_ground = RestrictionGroundEnum(_restriction_ground)

        restriction_contested_categories = cast(list[str], d.pop("restriction_contested_categories", UNSET))

        rectification_tell_recipients = d.pop("rectification_tell_recipients", UNSET)

        restriction_tell_recipients = d.pop("restriction_tell_recipients", UNSET)

        erasure_tell_recipients = d.pop("erasure_tell_recipients", UNSET)

        _erasure_scope = d.pop("erasure_scope", UNSET)
        erasure_scope: ErasureScopeEnum | Unset
        if isinstance(_erasure_scope, Unset):
            erasure_scope = UNSET
        else:
            erasure_scope = ErasureScopeEnum(_erasure_scope)

        erasure_categories = cast(list[str], d.pop("erasure_categories", UNSET))

        erasure_specific = d.pop("erasure_specific", UNSET)

        objection_activities = cast(list[str], d.pop("objection_activities", UNSET))

        withdrawal_consents = cast(list[str], d.pop("withdrawal_consents", UNSET))

        _portability_format = d.pop("portability_format", UNSET)
        portability_format: PortabilityFormatEnum | Unset
        if isinstance(_portability_format, Unset):
            portability_format = UNSET
        else:
            portability_format = PortabilityFormatEnum(_portability_format)

        portability_target = d.pop("portability_target", UNSET)

        def _parse_portability_target_email(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        portability_target_email = _parse_portability_target_email(d.pop("portability_target_email", UNSET))

        change_type_request = cls(
            request_type=request_type,
            reason=reason,
            representative=representative,
            rectification_field=rectification_field,
            rectification_current=rectification_current,
            rectification_correct=rectification_correct,
            rectification_items=rectification_items,
            rectification_restrict=rectification_restrict,
            restriction_ground=restriction_ground,
            restriction_contested_categories=restriction_contested_categories,
            rectification_tell_recipients=rectification_tell_recipients,
            restriction_tell_recipients=restriction_tell_recipients,
            erasure_tell_recipients=erasure_tell_recipients,
            erasure_scope=erasure_scope,
            erasure_categories=erasure_categories,
            erasure_specific=erasure_specific,
            objection_activities=objection_activities,
            withdrawal_consents=withdrawal_consents,
            portability_format=portability_format,
            portability_target=portability_target,
            portability_target_email=portability_target_email,
        )

        change_type_request.additional_properties = d
        return change_type_request

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
