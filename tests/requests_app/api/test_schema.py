"""The API contract (docs/openapi.json): what clients are generated from.

The committed file is the code's schema, so that every change to the contract
shows in review; each operation has a verb for a name, a summary and a
description, one request content type, and the downloads are files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from requests_app.api import API_VERSION
from requests_app.api.operations import OPERATIONS

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    out = tmp_path_factory.mktemp("schema") / "openapi.json"
    call_command("spectacular", format="openapi-json", file=str(out))
    return out.read_text()


def operations(schema_text):
    paths = json.loads(schema_text)["paths"]
    return [(path, method, op) for path, item in paths.items() for method, op in item.items() if method in METHODS]


def test_it_matches_the_committed_schema(schema):
    assert schema == COMMITTED.read_text(), "the API contract changed: run `make schema` and commit docs/openapi.json"


def test_it_is_generated_the_same_way_twice(schema, tmp_path):
    again = tmp_path / "again.json"
    call_command("spectacular", format="openapi-json", file=str(again))
    assert again.read_text() == schema


def test_the_version_is_a_plain_semantic_version_from_one_place(schema):
    info = json.loads(schema)["info"]
    assert info["version"] == API_VERSION
    assert re.fullmatch(r"\d+\.\d+\.\d+", API_VERSION)
    assert info["license"]["name"] and json.loads(schema)["servers"]


def test_every_operation_has_a_verb_for_a_name_a_summary_and_a_description(schema):
    ops = operations(schema)
    assert len(ops) == len(OPERATIONS)
    ids = [op["operationId"] for _path, _method, op in ops]
    assert len(set(ids)) == len(ids)
    verbs = r"(list|get|create|update|patch|delete|submit|approve|assign|change|close|download|exclude|extend|forward|add|map|lift|remind|recompute|resume|tell|reject|release|request|place|retry|complete|decide|redeliver|rotate|test|dismiss|settle|cancel|record|announce|withhold|give)"
    for path, method, op in ops:
        assert re.fullmatch(verbs + r"[A-Z][A-Za-z]*", op["operationId"]), (method, path, op["operationId"])
        assert op.get("summary") and op.get("description"), (method, path)
    expected = {"approveRequest", "completeTask", "downloadExport", "changePlanItem", "submitRequest"}
    assert expected <= set(ids)


def test_each_request_body_has_one_content_type_json_unless_files_are_sent(schema):
    for path, method, op in operations(schema):
        body = op.get("requestBody")
        if body is None:
            continue
        expected = ["multipart/form-data"] if op["operationId"] == "completeTask" else ["application/json"]
        assert list(body["content"]) == expected, (method, path)
        if method in ("post", "put"):
            assert body["required"] is True, (method, path)


def test_downloads_are_files_with_their_media_types_and_errors_are_json(schema):
    by_id = {op["operationId"]: op for _path, _method, op in operations(schema)}
    export = by_id["downloadExport"]
    assert set(export["responses"]["200"]["content"]) == {"application/pdf", "application/zip", "application/json"}
    attachment = by_id["downloadAttachment"]
    assert "*/*" not in attachment["responses"]["200"]["content"]
    for op in (export, attachment):
        assert all(
            c["schema"] == {"type": "string", "format": "binary"} for c in op["responses"]["200"]["content"].values()
        )
        assert not [p for p in op.get("parameters", []) if p["name"] == "format"]
        for code, response in op["responses"].items():
            if code != "200":
                assert list(response["content"]) == ["application/json"], code


def test_field_errors_are_typed_and_enums_have_names(schema):
    components = json.loads(schema)["components"]["schemas"]
    # A list of messages (or of per-item objects), or the messages per position of a list.
    assert [kind["type"] for kind in components["Error"]["additionalProperties"]["oneOf"]] == ["array", "object"]
    assert not [name for name in components if re.fullmatch(r"(Change|Code|Decision|Format)Enum", name)]
    assert components["ManualTask"]["properties"]["status"] == {"$ref": "#/components/schemas/ManualTaskStatusEnum"}
    assert components["Event"]["properties"]["kind"]["allOf"] == [{"$ref": "#/components/schemas/EventKindEnum"}]
    assert components["RequestDetail"]["properties"]["allowed_actions"]["items"] == {
        "$ref": "#/components/schemas/RequestActionEnum"
    }
