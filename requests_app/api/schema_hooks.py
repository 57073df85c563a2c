"""Post-processing of the generated OpenAPI schema."""

from __future__ import annotations


def request_submission_any_of(result, generator, request, public):
    """``POST /api/v1/requests/`` takes the public shape or the staff shape. A
    staff body (with ``channel`` and an ``email``) also fits the public shape,
    which allows extra fields, so "exactly one of" would call it invalid:
    "any of" says what the endpoint does (the token decides which applies)."""
    schemas = result.get("components", {}).get("schemas", {})
    schema = schemas.get("RequestSubmissionRequest")
    if schema and "oneOf" in schema:
        schema["anyOf"] = schema.pop("oneOf")
    # The same for a request's ``type_details``: the empty object of an access
    # request fits every shape whose fields are all optional; its
    # ``request_type`` says which one applies.
    details = schemas.get("TypeDetails")
    if details and "oneOf" in details:
        details["anyOf"] = details.pop("oneOf")
        # drf-spectacular leaves out a serializer without fields: access asks
        # nothing more than the request itself, an empty object.
        schemas["AccessDetails"] = {
            "type": "object",
            "description": "Access (Art. 15), or any request whose type asks nothing more: an empty object.",
        }
        details["anyOf"].append({"$ref": "#/components/schemas/AccessDetails"})
    return result


# Per-field messages of a 400: a list of messages; for a list of objects
# (``rectification_items``), one object of per-field messages per item; for a
# list of values (``operations``, ``events``), the messages per position
# ({"1": ["..."]}), as DRF reports them.
_MESSAGES = {"type": "array", "items": {"type": "string"}}
_BY_KEY = {
    "type": "object",
    "description": "Messages per field of an item, or per position in a list (empty when that one was right).",
    "additionalProperties": _MESSAGES,
}
FIELD_ERRORS = {
    "description": "The messages about this field.",
    "oneOf": [
        {"type": "array", "items": {"oneOf": [{"type": "string"}, _BY_KEY]}},
        _BY_KEY,
    ],
}


# The integer ranges Django's database backends enforce on model fields
# (connection.ops.integer_field_range): SQLite allows 64 bits everywhere,
# PostgreSQL 16 or 32 bits by column type, MySQL also unsigned ranges. Left
# out of the contract, which must read the same whatever database generated
# it (docs/openapi.json); the server still refuses a value out of range (400).
DATABASE_BOUNDS = {
    *(2**bits - 1 for bits in (15, 16, 31, 32, 63, 64)),
    *(-(2**bits) for bits in (15, 31, 63)),
}


def client_ready(result, generator, request, public):
    """What a client generator and a validator need beyond what
    drf-spectacular writes: typed per-field errors, a readable name for the
    empty choice, nullable objects as "the object or null", a type beside
    every ``nullable``, no default an optional e-mail field would refuse, an
    explicit ``security`` on every operation, and the named enums on the
    parameters."""
    schemas = result.get("components", {}).get("schemas", {})
    error = schemas.get("Error")
    if error is not None:
        error["additionalProperties"] = FIELD_ERRORS
    if "BlankEnum" in schemas:
        schemas["BlankEnum"].update(
            type="string", description="An empty string: no value chosen.", **{"x-enum-varnames": ["EMPTY"]}
        )

    # Made before the walk below, which refers to it (and must not add to a
    # mapping it is walking).
    schemas.setdefault("NullEnum", {"enum": [None]})

    def type_of(schema):
        if "type" in schema:
            return schema["type"]
        for ref in schema.get("allOf", []) + schema.get("oneOf", []):
            name = ref.get("$ref", "").rsplit("/", 1)[-1]
            if schemas.get(name, {}).get("type"):
                return schemas[name]["type"]
            if "properties" in schemas.get(name, {}):
                return "object"
        return None

    def visit(schema):
        if isinstance(schema, dict):
            if schema.get("nullable") and len(schema.get("allOf", [])) == 1 and "oneOf" not in schema:
                # An object or null: said as "one of the object or null", as
                # drf-spectacular says it of a nullable choice, because
                # generators drop ``nullable`` beside ``allOf`` and then
                # fail on the null.
                schema["oneOf"] = [schema.pop("allOf")[0], {"$ref": "#/components/schemas/NullEnum"}]
            if schema.get("nullable") and "type" not in schema and type_of(schema):
                # OpenAPI 3.0: ``nullable`` only means something beside ``type``.
                schema["type"] = type_of(schema)
            if schema.get("type") == "integer" and (
                schema.get("maximum") in DATABASE_BOUNDS or schema.get("minimum") in DATABASE_BOUNDS
            ):
                for bound in ("maximum", "minimum"):
                    if schema.get(bound) in DATABASE_BOUNDS:
                        del schema[bound]
                if schema.get("format") == "int64":
                    del schema["format"]
            if schema.get("format") == "email" and schema.get("default") == "":
                # An optional address left out is empty; "" is not an e-mail
                # address, so it cannot be the declared default.
                del schema["default"]
            for value in schema.values():
                visit(value)
        elif isinstance(schema, list):
            for value in schema:
                visit(value)

    visit(result)
    if "NullEnum" in schemas:
        schemas["NullEnum"]["description"] = "null: no value (yet)."

    for path in result.get("paths", {}).values():
        for operation in path.values():
            # Said outright: this operation needs no authentication (the
            # public intake, where a staff token is optional; see its
            # description). ``[{}, {bearerAuth: []}]`` would be exact, but
            # generators then demand a token from the public.
            operation.setdefault("security", [])

    # A parameter with a fixed set of values (a list filter, the export's
    # format) uses the named enum of that set, as the fields do.
    named = {
        tuple(sorted(map(str, schema["enum"]))): name
        for name, schema in sorted(schemas.items())
        if "enum" in schema and None not in schema["enum"] and "" not in schema["enum"]
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                for target in (schema, schema.get("items", {})):
                    values = tuple(sorted(map(str, target.get("enum", []))))
                    if values and values not in named:
                        # A set of a filter's own (the queue's status: "open",
                        # "all" and each status): named after the filter.
                        name = "".join(part.title() for part in parameter["name"].split("_")) + "FilterEnum"
                        if name not in schemas:
                            schemas[name] = {"type": target.get("type", "string"), "enum": target["enum"]}
                            named[values] = name
                    name = named.get(values)
                    if name:
                        # minLength: every value of the enum has one already.
                        dropped = ("enum", "type", "description", "minLength")
                        kept = {k: v for k, v in target.items() if k not in dropped}
                        target.clear()
                        ref = {"$ref": f"#/components/schemas/{name}"}
                        # OpenAPI 3.0 ignores a $ref's siblings (a default): allOf keeps them.
                        target.update({"allOf": [ref], **kept} if kept else ref)
    return result
