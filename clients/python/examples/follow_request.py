"""Submit an access request through the public intake, then follow it as staff
until it is answered: a typed example of the generated client.

    pip install clients/python/dist/dsar_desk_client-*.whl
    python follow_request.py --base http://127.0.0.1:8000 --token dsar_... --email you@example.org

The subject still has to confirm their address with the e-mailed link; until
then the request is ``unverified``.
"""

from __future__ import annotations

import argparse
import time

from dsar_client import AuthenticatedClient, Client
from dsar_client.api.requests import get_request, list_request_events, submit_request
from dsar_client.models import (
    Error,
    LanguageEnum,
    PaginatedEventList,
    PublicRequestCreated,
    PublicRequestRequest,
    RequestDetail,
    RequestStatusEnum,
    RequestTypeEnum,
)

# Where a request stops moving by itself: answered, or ended otherwise.
ENDED = {
    RequestStatusEnum.FULFILLED,
    RequestStatusEnum.CLOSED,
    RequestStatusEnum.REJECTED,
    RequestStatusEnum.CANCELLED,
    RequestStatusEnum.EXPIRED,
}


def submit(public: Client, *, full_name: str, email: str) -> str:
    form = PublicRequestRequest(
        request_type=RequestTypeEnum.ACCESS, full_name=full_name, email=email, language=LanguageEnum.EN
    )
    answer = submit_request.sync(client=public, body=form)
    if isinstance(answer, Error):
        # A 400 says what is wrong per field: {"email": ["Enter a valid e-mail address."]}.
        raise SystemExit(f"refused: {answer.detail or answer.additional_properties}")
    if not isinstance(answer, PublicRequestCreated):
        raise SystemExit(f"unexpected answer: {answer!r}")
    print(answer.reference, answer.status.value, "-", answer.message)
    return answer.reference


def follow(staff: AuthenticatedClient, reference: str, *, every: float = 30) -> RequestDetail:
    seen = 0
    while True:
        request = get_request.sync(reference, client=staff)
        if not isinstance(request, RequestDetail):
            raise SystemExit(f"cannot read {reference}: {request!r}")
        events = list_request_events.sync(reference, client=staff, page_size=200)
        if isinstance(events, PaginatedEventList):
            for event in events.results[seen:]:
                print(f"{event.created_at:%Y-%m-%d %H:%M}  {event.kind.value:<28} {event.label}")
            seen = len(events.results)
        if request.status in ENDED:
            return request
        print(
            f"  {request.status.value}, {request.days_left} days left; may do: "
            + ", ".join(action.value for action in request.allowed_actions)
        )
        time.sleep(every)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True, help="A staff token (manage.py create_api_token USER).")
    parser.add_argument("--email", required=True)
    parser.add_argument("--name", default="Example Subject")
    args = parser.parse_args()
    with Client(base_url=args.base) as public, AuthenticatedClient(base_url=args.base, token=args.token) as staff:
        reference = submit(public, full_name=args.name, email=args.email)
        request = follow(staff, reference)
    print(reference, "ended as", request.status.value)


if __name__ == "__main__":
    main()
