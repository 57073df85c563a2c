"""What a copy reads (issue 17): the counts, the sources and the header once per
generation, for the JSON and the PDF that attaches it; the register's other
sources do not add queries."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dsar.exports import content, service
from dsar.models import Connector

pytestmark = pytest.mark.django_db


def _queries(spec, formats) -> int:
    with CaptureQueriesContext(connection) as queries:
        service.generate(spec, formats)
    return len(queries)


def test_the_registers_other_sources_add_no_query(job, make_spec):
    service.generate(make_spec(job), ["json"])  # every later generation replaces a file
    before = _queries(make_spec(job), ["json"])
    # Sources this job did not search, whose tables hold columns of a category of their own.
    for n in range(10):
        Connector.objects.create(
            code=f"other-{n}",
            name=f"Other {n}",
            kind=Connector.Kind.SQL,
            config={"tables": {"customers": {"columns": {"iban": {"category": "billing"}}}}},
        )
    assert _queries(make_spec(job), ["json"]) == before


def test_the_json_and_the_pdf_share_one_header_and_one_count(job, make_spec):
    spec = make_spec(job)
    with (
        mock.patch.object(content, "_header", wraps=content._header) as header,
        mock.patch.object(content, "_sources", wraps=content._sources) as sources,
        mock.patch.object(content, "counts_in_job", wraps=content.counts_in_job) as counts,
    ):
        json_file, pdf_file = service.generate(spec, ["json", "pdf"])
    assert header.call_count == 1 and sources.call_count == 1
    # Asked by the summary, the Art. 15 information and the sources' list: read once.
    assert counts.call_count >= 2
    with CaptureQueriesContext(connection) as queries:
        content.counts_in_job(spec)
    assert len(queries) == 0
    assert json_file.record_count == pdf_file.record_count == 8
