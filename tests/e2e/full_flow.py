"""The whole mission against a running system (`make run` or the CI stack).

A data subject submits an access request in Dutch, confirms it from the
e-mail, the DPO approves it, the worker gathers from the demo sources, the
camera-footage task is completed, the DPO releases the copy, and the subject
downloads the PDF with the one-time code. Screenshots go to --shots.

Usage: python tests/e2e/full_flow.py --base http://127.0.0.1:8000 --outbox var/outbox --password PW
"""

from __future__ import annotations

import argparse
import email
import re
import sys
import tempfile
import time
from email import policy
from pathlib import Path

# Run as a script from tests/e2e: the flags live beside the browser-test fixtures.
from conftest import CHROMIUM_FLAGS as FLAGS  # noqa: E402
from playwright.sync_api import sync_playwright


def latest_mail(outbox: Path, to: str, pattern: str, since: float, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(outbox.glob("*.eml"), reverse=True):
            if path.stat().st_mtime < since:
                continue
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            body = message.get_body(preferencelist=("plain",)).get_content()
            if to in message["To"] and re.search(pattern, body):
                return body
        time.sleep(0.5)
    raise SystemExit(f"no e-mail to {to} matching {pattern!r} within {timeout} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--outbox", default="var/outbox")
    parser.add_argument("--password", required=True)
    parser.add_argument("--shots", default="")
    parser.add_argument("--subject", default="lotte.peeters@example.be")
    args = parser.parse_args()
    outbox, base = Path(args.outbox), args.base.rstrip("/")
    shots = Path(args.shots) if args.shots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)

    def shot(page, name):
        if shots:
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    started = time.time() - 1
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        subject = browser.new_context(locale="nl-BE").new_page()
        subject.set_default_timeout(30000)
        subject.goto(base + "/")
        shot(subject, "01-form-nl")
        subject.locator("input[name=request_type][value=access]").check()
        subject.locator("input[name=full_name]").fill("Lotte Peeters")
        subject.locator("input[name=email]").fill(args.subject)
        subject.locator("input[name=phone]").fill("+32 470 12 34 56")
        subject.locator("input[name=customer_number]").fill("C-100042")
        subject.locator("main form button[type=submit]").last.click()
        subject.wait_for_load_state()
        shot(subject, "02-submitted")
        body = latest_mail(outbox, args.subject, r"/verify/", started)
        verify_url = re.search(r"https?://\S+/verify/\S+", body).group(0)
        subject.goto(verify_url)
        shot(subject, "03-verify")
        subject.locator("main form button[type=submit]").first.click()
        subject.wait_for_url(re.compile(r".*/status/.*"))
        status_url = subject.url
        shot(subject, "04-status")
        reference = re.search(r"DSAR-\d{4}-\d{5}", subject.content()).group(0)
        print("submitted and verified", reference)

        dpo = browser.new_context(locale="en-GB").new_page()
        dpo.set_default_timeout(30000)
        dpo.goto(base + "/workspace/")
        dpo.locator("input[name=username]").fill("dpo")
        dpo.locator("input[name=password]").fill(args.password)
        dpo.get_by_role("button", name=re.compile("Sign in", re.I)).click()
        dpo.wait_for_load_state()
        shot(dpo, "05-queue")
        dpo.goto(f"{base}/workspace/requests/{reference}/")
        dpo.get_by_role("button", name=re.compile("^Approve")).first.click()
        dpo.wait_for_load_state()
        print("approved")
        # The worker gathers; the camera footage waits for a person.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            dpo.reload()
            if dpo.locator("textarea[name=findings]").count():
                break
            time.sleep(2)
        else:
            shot(dpo, "99-no-task")
            raise SystemExit("the manual task never appeared")
        shot(dpo, "06-gathered")
        dpo.locator("textarea[name=findings]").first.fill("No camera images of this person in the retained footage.")
        dpo.locator("textarea[name=findings]").first.locator("xpath=ancestor::form").locator(
            "button[type=submit]"
        ).click()
        dpo.wait_for_load_state()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            dpo.reload()
            # The release is a link to its confirmation page once the files are ready (issue 15).
            release = dpo.locator("#actions").get_by_role("link", name=re.compile("Release", re.I))
            if release.count():
                break
            time.sleep(2)
        else:
            shot(dpo, "99-no-release")
            raise SystemExit("the copy was never ready for release")
        shot(dpo, "07-review")
        release.first.click()
        dpo.wait_for_load_state()
        shot(dpo, "07b-confirm-release")
        dpo.locator("input[name=confirm]").check()
        dpo.locator("input[name=confirm]").locator("xpath=ancestor::form").locator("button.primary").click()
        dpo.wait_for_load_state()
        shot(dpo, "08-released")
        print("released")

        body = latest_mail(outbox, args.subject, r"/download/", started, timeout=90)
        download_url = re.search(r"https?://\S+/download/\S+", body).group(0)
        subject.goto(download_url)
        shot(subject, "09-download")
        asked = time.time() - 1
        subject.locator("main form button[type=submit]").first.click()
        subject.wait_for_load_state()
        body = latest_mail(outbox, args.subject, r"\b\d{6}\b", asked)
        code = re.search(r"\b(\d{6})\b", body).group(1)
        subject.locator("input[name=code]").fill(code)
        subject.locator("input[name=code]").locator("xpath=ancestor::form").locator("button").click()
        subject.wait_for_load_state()
        shot(subject, "10-files")
        with subject.expect_download() as download:
            subject.locator("a[href*=pdf]").first.click()
        target = (shots or Path(tempfile.gettempdir())) / f"{reference}.pdf"
        download.value.save_as(str(target))
        print("downloaded", target, target.stat().st_size, "bytes")
        subject.goto(status_url)
        shot(subject, "11-status-fulfilled")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
