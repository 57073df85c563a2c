from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.scheduled_lift import ScheduledLift
from ...types import Response


def _get_kwargs(
    reference: str,
    lift_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/requests/{reference}/plan/lifts/{lift_id}/cancel/".format(
            reference=quote(str(reference), safe=""),
            lift_id=quote(str(lift_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | ScheduledLift | None:
    if response.status_code == 200:
        response_200 = ScheduledLift.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | ScheduledLift]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reference: str,
    lift_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[Error | ScheduledLift]:
    """Cancel a scheduled lifting: the restriction stays (Art. 18(3))

     Only who may approve the plan; `id` from `scheduled_lift` of the plan (or GET .../plan/lift/).
    Recorded in the audit trail. 409 when it is no longer scheduled (it ran, or was cancelled).

    Args:
        reference (str):
        lift_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ScheduledLift]
    """

    kwargs = _get_kwargs(
        reference=reference,
        lift_id=lift_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    lift_id: int,
    *,
    client: AuthenticatedClient,
) -> Error | ScheduledLift | None:
    """Cancel a scheduled lifting: the restriction stays (Art. 18(3))

     Only who may approve the plan; `id` from `scheduled_lift` of the plan (or GET .../plan/lift/).
    Recorded in the audit trail. 409 when it is no longer scheduled (it ran, or was cancelled).

    Args:
        reference (str):
        lift_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ScheduledLift
    """

    return sync_detailed(
        reference=reference,
        lift_id=lift_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    reference: str,
    lift_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[Error | ScheduledLift]:
    """Cancel a scheduled lifting: the restriction stays (Art. 18(3))

     Only who may approve the plan; `id` from `scheduled_lift` of the plan (or GET .../plan/lift/).
    Recorded in the audit trail. 409 when it is no longer scheduled (it ran, or was cancelled).

    Args:
        reference (str):
        lift_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ScheduledLift]
    """

    kwargs = _get_kwargs(
        reference=reference,
        lift_id=lift_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    lift_id: int,
    *,
    client: AuthenticatedClient,
) -> Error | ScheduledLift | None:
    """Cancel a scheduled lifting: the restriction stays (Art. 18(3))

     Only who may approve the plan; `id` from `scheduled_lift` of the plan (or GET .../plan/lift/).
    Recorded in the audit trail. 409 when it is no longer scheduled (it ran, or was cancelled).

    Args:
        reference (str):
        lift_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ScheduledLift
    """

    return (
        await asyncio_detailed(
            reference=reference,
            lift_id=lift_id,
            client=client,
        )
    ).parsed
