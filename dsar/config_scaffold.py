"""``dsar_config scaffold DATABASE_URL --identity email=Table.Column``
(issue 12, point 4): a commented starting declaration (format version 2) read
from a database's own schema.

It lists the tables reachable from the identity tables through foreign keys
(in either direction: a customer's invoices, an invoice's lines), each with a
category guessed from its columns' names, and marks for review the columns
that look like personal data: by name (e-mail, phone, IBAN, national number,
address, birth date) and by their values (python-stdnum recognises IBANs and
Belgian national numbers in a few sampled rows). Nothing is written anywhere:
the engineer reviews the text, then ``load --check`` checks it.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from stdnum import iban
from stdnum.be import nn

SAMPLE_ROWS = 20

# Column names that look like personal data, and what to call them in the review notes.
PERSONAL_NAMES = [
    (re.compile(r"e[-_]?mail|mail$", re.I), "e-mail address"),
    (re.compile(r"phone|mobile|gsm|tel$|fax", re.I), "phone number"),
    (re.compile(r"iban|bank|account_?n(o|umber)", re.I), "bank account (IBAN)"),
    (re.compile(r"national|insz|niss|ssn|rijksregister|nn$", re.I), "national number (Art. 87)"),
    (re.compile(r"street|address|postal|zip|city", re.I), "postal address"),
    (re.compile(r"birth|dob", re.I), "date of birth"),
    (re.compile(r"first_?name|last_?name|full_?name|surname|^name$", re.I), "name"),
    (re.compile(r"ip_?addr", re.I), "IP address"),
]
# A table's category, guessed from its name and its columns' names (the first that matches).
CATEGORY_GUESSES = [
    (re.compile(r"invoice|bill|payment|order|iban|amount|total|price", re.I), "financial"),
    (re.compile(r"contact|customer|client|person|user|member|email|phone|address", re.I), "identification"),
    (re.compile(r"log|usage|event|session|visit|device|ip_", re.I), "usage"),
    (re.compile(r"consent|newsletter|marketing|subscription", re.I), "marketing-preferences"),
]
IDENTITIES = ("email", "phone", "customer_number", "national_number")


def _personal(column: str, values: list) -> str:
    for pattern, label in PERSONAL_NAMES:
        if pattern.search(column):
            return label
    texts = [str(v) for v in values if isinstance(v, str) and v.strip()]
    if texts and all(iban.is_valid(t) for t in texts):
        return "bank account (IBAN, by its values)"
    if texts and all(nn.is_valid(t) for t in texts):
        return "national number (by its values, Art. 87)"
    return ""


def _category(table: str, columns: list[str]) -> str:
    for pattern, code in CATEGORY_GUESSES:
        if pattern.search(table):
            return code
    for pattern, code in CATEGORY_GUESSES:
        if any(pattern.search(column) for column in columns):
            return code
    return "identification"


def parse_identities(values: list[str]) -> dict[str, tuple[str, str]]:
    """``email=Table.Column`` -> {"email": ("Table", "Column")}."""
    result = {}
    for value in values:
        name, _, target = value.partition("=")
        table, _, column = target.partition(".")
        if name not in IDENTITIES or not table or not column:
            raise ValueError(f"Write an identity as {'|'.join(IDENTITIES)}=Table.Column, not '{value}'.")
        result[name] = (table, column)
    return result


def scaffold(url: str, identities: dict[str, tuple[str, str]], *, schema: str | None = None) -> str:
    engine = sa.create_engine(url, hide_parameters=True)
    try:
        inspector = sa.inspect(engine)
        names = inspector.get_table_names(schema=schema)
        for table, _column in identities.values():
            if table not in names:
                raise ValueError(f"The database has no table '{table}'.")
        links: dict[str, set[str]] = {name: set() for name in names}
        for name in names:
            for fk in inspector.get_foreign_keys(name, schema=schema):
                if fk.get("referred_table") in links:
                    links[name].add(fk["referred_table"])
                    links[fk["referred_table"]].add(name)
        starts = list(dict.fromkeys(table for table, _ in identities.values()))
        reachable, queue = list(starts), list(starts)
        while queue:
            for other in sorted(links[queue.pop(0)]):
                if other not in reachable:
                    reachable.append(other)
                    queue.append(other)
        lines = [
            "# Written by `dsar_config scaffold`: a starting point to review, not a finished declaration.",
            "# Check each category and each column marked REVIEW, give the connector a name the subject",
            "# understands, then run `dsar_config load --check` on the file (dsar/CONFIG.md).",
            "version: 2",
            "connectors:",
            "  - code: CHANGE-ME",
            "    name: CHANGE ME",
            "    kind: sql",
            f"    identity_fields: [{', '.join(identities)}]",
            "    operations: [access]   # add erase, rectify, restrict once the erasure settings are reviewed",
            "    config:",
            f'      url: "{engine.url.render_as_string(hide_password=True)}"   # a password goes in password_env',
        ]
        if schema:
            lines.append(f"      schema: {schema}")
        lines.append("      tables:")
        with engine.connect() as connection:
            for name in reachable:
                columns = [c["name"] for c in inspector.get_columns(name, schema=schema)]
                source = sa.Table(name, sa.MetaData(), *(sa.Column(c) for c in columns), schema=schema)
                rows = [dict(r._mapping) for r in connection.execute(sa.select(source).limit(SAMPLE_ROWS))]
                primary = inspector.get_pk_constraint(name, schema=schema).get("constrained_columns") or []
                lines.append(f"        {name}:")
                match = {identity: column for identity, (t, column) in identities.items() if t == name}
                if match:
                    lines.append("          match: {" + ", ".join(f"{k}: {v}" for k, v in match.items()) + "}")
                lines.append(f"          category: {_category(name, columns)}   # guessed: REVIEW")
                if len(primary) != 1:
                    lines.append("          # REVIEW: no single-column primary key: declare key: <column>")
                if not match and not any(
                    fk.get("referred_table") in reachable for fk in inspector.get_foreign_keys(name, schema=schema)
                ):
                    lines.append("          # REVIEW: reached through a table pointing at it: declare parent or match")
                for column in columns:
                    label = _personal(column, [row.get(column) for row in rows])
                    if label:
                        lines.append(f"          # REVIEW {column}: looks like {label}")
                lines.append("          erasure: {action: delete}   # or mask with fields: {column: null | hash}")
    finally:
        engine.dispose()
    return "\n".join(lines) + "\n"
