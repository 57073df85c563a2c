"""A whole access request through the generated Python client alone, against a
running system (tests/e2e/ci_api_contract.sh starts it).

The subject submits through the public intake (no token) and confirms their
address by the e-mailed link (their browser: the one step outside the API);
the DPO, by token, approves, completes the camera-footage task, downloads the
PDF and the JSON copy and releases it. Every answer must parse as the model
the contract promises: a mismatch between the API and its schema fails here.

Usage: python tests/e2e/api_client_flow.py --base URL --outbox DIR --token TOKEN
(with the generated ``dsar_client`` importable).
"""

from __future__ import annotations

import argparse
import email
import json
import re
import sys
import time
from collections.abc import Callable
from email import policy
from pathlib import Path
from typing import TypeVar

import httpx
from dsar_client import AuthenticatedClient, Client
from dsar_client.api.exports import list_records
from dsar_client.api.requests import (
    approve_request,
    complete_task,
    download_export,
    get_request,
    list_exports,
    list_request_events,
    list_tasks,
    release_request,
    submit_request,
)
from dsar_client.models import (
    CompleteTaskRequest,
    Error,
    ExportFormatEnum,
    LanguageEnum,
    ManualTask,
    ManualTaskStatusEnum,
    PaginatedEventList,
    PaginatedExportList,
    PaginatedManualTaskList,
    PaginatedRecordList,
    PublicRequestCreated,
    PublicRequestRequest,
    ReleaseRequest,
    RequestActionEnum,
    RequestDetail,
    RequestStatusEnum,
    RequestTypeEnum,
)
from dsar_client.types import File

T = TypeVar("T")


def expect(answer: object, model: type[T]) -> T:
    """The answer as the contract's model, or a failure that shows the API's error."""
    if isinstance(answer, Error):
        raise SystemExit(f"the API refused: {answer.detail!r} {answer.additional_properties!r}")
    if not isinstance(answer, model):
        raise SystemExit(f"expected {model.__name__}, got {answer!r}")
    return answer


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 180) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(2)
    raise SystemExit(f"{what}: not within {timeout:.0f} s")


def confirm_address(base: str, outbox: Path, to: str, since: float) -> None:
    """The subject follows the e-mailed link and presses the button (a web page, not the API)."""

    def link() -> str | None:
        for path in sorted(outbox.glob("*.eml"), reverse=True):
            if path.stat().st_mtime < since:
                continue
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            body = message.get_body(preferencelist=("plain",)).get_content()
            found = re.search(r"https?://\S+/verify/\S+", body)
            if to in message["To"] and found:
                return found.group(0)
        return None

    url = wait_for("the confirmation e-mail", link, timeout=60)
    with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as browser:
        page = browser.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        confirmed = browser.post(url, data={"csrfmiddlewaretoken": token}, headers={"Referer": url})
        assert confirmed.status_code == 200 and "/status/" in str(confirmed.url), confirmed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--outbox", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--subject", default="lotte.peeters@example.be")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    public = Client(base_url=base, raise_on_unexpected_status=True, timeout=httpx.Timeout(60))
    staff = AuthenticatedClient(
        base_url=base, token=args.token, raise_on_unexpected_status=True, timeout=httpx.Timeout(60)
    )
    started = time.time() - 1

    # 1. The public intake, without a token.
    form = PublicRequestRequest(
        request_type=RequestTypeEnum.ACCESS,
        full_name="Lotte Peeters",
        email=args.subject,
        language=LanguageEnum.NL,
        phone="+32 470 12 34 56",
        customer_number="C-100042",
    )
    created = expect(submit_request.sync(client=public, body=form), PublicRequestCreated)
    reference = created.reference
    assert created.status is RequestStatusEnum.UNVERIFIED, created.status
    print("submitted", reference)
    confirm_address(base, Path(args.outbox), args.subject, started)

    # 2. The DPO approves: the worker gathers from the demo sources.
    request = expect(get_request.sync(reference, client=staff), RequestDetail)
    assert request.status is RequestStatusEnum.NEW, request.status
    assert RequestActionEnum.APPROVE in request.allowed_actions, request.allowed_actions
    request = expect(approve_request.sync(reference, client=staff), RequestDetail)
    print("approved", request.status.value)

    # 3. The camera footage waits for a person: the DPO completes the task.
    def open_task() -> ManualTask | None:
        tasks = expect(list_tasks.sync(reference, client=staff), PaginatedManualTaskList)
        return next((t for t in tasks.results if t.status is ManualTaskStatusEnum.OPEN), None)

    task = wait_for("the manual task", open_task)
    body = CompleteTaskRequest(findings="No camera images of this person in the retained footage.")
    done = expect(complete_task.sync(reference, task.id, client=staff, body=body), ManualTask)
    assert done.status is ManualTaskStatusEnum.DONE, done.status
    print("task completed", task.source)

    # 4. The copy is generated: both files, downloaded as files.
    def generated() -> PaginatedExportList | None:
        current = expect(get_request.sync(reference, client=staff), RequestDetail)
        if current.status is not RequestStatusEnum.IN_REVIEW:
            return None
        exports = expect(list_exports.sync(reference, client=staff), PaginatedExportList)
        formats = {export.format_ for export in exports.results}
        return exports if {ExportFormatEnum.PDF, ExportFormatEnum.JSON} <= formats else None

    wait_for("the copy in review, its files generated", generated)
    request = expect(get_request.sync(reference, client=staff), RequestDetail)
    assert RequestActionEnum.RELEASE in request.allowed_actions, request.allowed_actions
    pdf = expect(download_export.sync(reference, ExportFormatEnum.PDF, client=staff), File)
    assert pdf.payload.read().startswith(b"%PDF-"), "not a PDF"
    copy = expect(download_export.sync(reference, ExportFormatEnum.JSON, client=staff), File)
    document = json.loads(copy.payload.read())
    assert "C-100042" in json.dumps(document), "the JSON copy lacks the demo subject's data"
    records = expect(list_records.sync(reference, client=staff), PaginatedRecordList)
    assert records.count > 0
    print("downloaded the PDF and the JSON copy;", records.count, "records")

    # 5. Released to the subject.
    # Every source was searched: no reason for an incomplete release is needed (issue 12).
    released = expect(release_request.sync(reference, client=staff, body=ReleaseRequest()), RequestDetail)
    assert released.status is RequestStatusEnum.FULFILLED, released.status
    events = expect(list_request_events.sync(reference, client=staff, page_size=200), PaginatedEventList)
    kinds = [event.kind.value for event in events.results]
    # Each staff download is recorded (Art. 5(2)); the release too.
    assert kinds.count("export.previewed") >= 2 and "request.fulfilled" in kinds, kinds
    print("released;", len(kinds), "events in the audit trail")
    return 0


if __name__ == "__main__":
    sys.exit(main())
