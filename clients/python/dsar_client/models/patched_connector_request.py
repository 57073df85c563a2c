from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.connector_kind_enum import ConnectorKindEnum
from ..models.identity_fields_enum import IdentityFieldsEnum
from ..models.operation_enum import OperationEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.patched_connector_request_config import PatchedConnectorRequestConfig


T = TypeVar("T", bound="PatchedConnectorRequest")


@_attrs_define
class PatchedConnectorRequest:
    """
    Attributes:
        code (str | Unset):
        name (str | Unset):
        kind (ConnectorKindEnum | Unset): * `sql` - SQL database
            * `http` - HTTP API
            * `manual` - Manual task
        config (PatchedConnectorRequestConfig | Unset): Kind-specific settings. Never a secret: name the environment
            variable instead (password_env).
        categories (list[str] | Unset):
        activities (list[str] | Unset):
        identity_fields (list[IdentityFieldsEnum] | Unset):
        operations (list[OperationEnum] | Unset):
        timeout_seconds (int | Unset):
        max_rows (int | Unset):
        enabled (bool | Unset):
        default_assignee (None | str | Unset): Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.
    """

    code: str | Unset = UNSET
    name: str | Unset = UNSET
    kind: ConnectorKindEnum | Unset = UNSET
    config: PatchedConnectorRequestConfig | Unset = UNSET
    categories: list[str] | Unset = UNSET
    activities: list[str] | Unset = UNSET
    identity_fields: list[IdentityFieldsEnum] | Unset = UNSET
    operations: list[OperationEnum] | Unset = UNSET
    timeout_seconds: int | Unset = UNSET
    max_rows: int | Unset = UNSET
    enabled: bool | Unset = UNSET
    default_assignee: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        activities: list[str] | Unset = UNSET
        if not isinstance(self.activities, Unset):
            activities = self.activities

        identity_fields: list[str] | Unset = UNSET
        if not isinstance(self.identity_fields, Unset):
            identity_fields = []
            for identity_fields_item_data in self.identity_fields:
                identity_fields_item = identity_fields_item_data.value
                identity_fields.append(identity_fields_item)

        operations: list[str] | Unset = UNSET
        if not isinstance(self.operations, Unset):
            operations = []
            for operations_item_data in self.operations:
                operations_item = operations_item_data.value
                operations.append(operations_item)

        timeout_seconds = self.timeout_seconds

        max_rows = self.max_rows

        enabled = self.enabled

        default_assignee: None | str | Unset
        if isinstance(self.default_assignee, Unset):
            default_assignee = UNSET
        else:
            default_assignee = self.default_assignee

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if code is not UNSET:
            field_dict["code"] = code
        if name is not UNSET:
            field_dict["name"] = name
        if kind is not UNSET:
            field_dict["kind"] = kind
        if config is not UNSET:
            field_dict["config"] = config
        if categories is not UNSET:
            field_dict["categories"] = categories
        if activities is not UNSET:
            field_dict["activities"] = activities
        if identity_fields is not UNSET:
            field_dict["identity_fields"] = identity_fields
        if operations is not UNSET:
            field_dict["operations"] = operations
        if timeout_seconds is not UNSET:
            field_dict["timeout_seconds"] = timeout_seconds
        if max_rows is not UNSET:
            field_dict["max_rows"] = max_rows
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if default_assignee is not UNSET:
            field_dict["default_assignee"] = default_assignee

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.patched_connector_request_config import PatchedConnectorRequestConfig  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code", UNSET)

        name = d.pop("name", UNSET)

        _kind = d.pop("kind", UNSET)
        kind: ConnectorKindEnum | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = ConnectorKindEnum(_kind)

        _config = d.pop("config", UNSET)
        config: PatchedConnectorRequestConfig | Unset
        if isinstance(_config, Unset):
            config = UNSET
        else:
            config = PatchedConnectorRequestConfig.from_dict(_config)

        categories = cast(list[str], d.pop("categories", UNSET))

        activities = cast(list[str], d.pop("activities", UNSET))

        _identity_fields = d.pop("identity_fields", UNSET)
        identity_fields: list[IdentityFieldsEnum] | Unset = UNSET
        if _identity_fields is not UNSET:
            identity_fields = []
            for identity_fields_item_data in _identity_fields:
                identity_fields_item = IdentityFieldsEnum(identity_fields_item_data)

                identity_fields.append(identity_fields_item)

        _operations = d.pop("operations", UNSET)
        operations: list[OperationEnum] | Unset = UNSET
        if _operations is not UNSET:
            operations = []
            for operations_item_data in _operations:
                operations_item = OperationEnum(operations_item_data)

                operations.append(operations_item)

        timeout_seconds = d.pop("timeout_seconds", UNSET)

        max_rows = d.pop("max_rows", UNSET)

        enabled = d.pop("enabled", UNSET)

        def _parse_default_assignee(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        default_assignee = _parse_default_assignee(d.pop("default_assignee", UNSET))

        patched_connector_request = cls(
            code=code,
            name=name,
            kind=kind,
            config=config,
            categories=categories,
            activities=activities,
            identity_fields=identity_fields,
            operations=operations,
            timeout_seconds=timeout_seconds,
            max_rows=max_rows,
            enabled=enabled,
            default_assignee=default_assignee,
        )

        patched_connector_request.additional_properties = d
        return patched_connector_request

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
