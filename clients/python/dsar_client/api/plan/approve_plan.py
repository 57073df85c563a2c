from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.approve_plan_request import ApprovePlanRequest
from ...models.error import Error
from ...models.plan import Plan
from ...types import Response


def _get_kwargs(
    reference: str,
    *,
    body: ApprovePlanRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/requests/{reference}/plan/approve/".format(
            reference=quote(str(reference), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Plan | None:
    if response.status_code == 200:
        response_200 = Plan.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Plan]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: ApprovePlanRequest,
) -> Response[Error | Plan]:
    """Approve the plan and change the sources

     An erasure plan only by a DPO, who names the ground of Art. 17(1) (`erasure_ground`, required for an
    erasure); other plans also by the request's agent. The workers then change the sources; a refusal is
    recorded in the audit trail. Refused (409, with the reason) while `approval_blocked` says something
    must be decided first. A rectification's records on which no field was approved get every proposed
    field approved, as the plan shows them (`fields`, `before`); a restriction while the accuracy was
    checked is then lifted on a scheduled date, after telling the subject (Art. 18(3),
    `scheduled_lift`).

    Args:
        reference (str):
        body (ApprovePlanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Plan]
    """

    kwargs = _get_kwargs(
        reference=reference,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: ApprovePlanRequest,
) -> Error | Plan | None:
    """Approve the plan and change the sources

     An erasure plan only by a DPO, who names the ground of Art. 17(1) (`erasure_ground`, required for an
    erasure); other plans also by the request's agent. The workers then change the sources; a refusal is
    recorded in the audit trail. Refused (409, with the reason) while `approval_blocked` says something
    must be decided first. A rectification's records on which no field was approved get every proposed
    field approved, as the plan shows them (`fields`, `before`); a restriction while the accuracy was
    checked is then lifted on a scheduled date, after telling the subject (Art. 18(3),
    `scheduled_lift`).

    Args:
        reference (str):
        body (ApprovePlanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Plan
    """

    return sync_detailed(
        reference=reference,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: ApprovePlanRequest,
) -> Response[Error | Plan]:
    """Approve the plan and change the sources

     An erasure plan only by a DPO, who names the ground of Art. 17(1) (`erasure_ground`, required for an
    erasure); other plans also by the request's agent. The workers then change the sources; a refusal is
    recorded in the audit trail. Refused (409, with the reason) while `approval_blocked` says something
    must be decided first. A rectification's records on which no field was approved get every proposed
    field approved, as the plan shows them (`fields`, `before`); a restriction while the accuracy was
    checked is then lifted on a scheduled date, after telling the subject (Art. 18(3),
    `scheduled_lift`).

    Args:
        reference (str):
        body (ApprovePlanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Plan]
    """

    kwargs = _get_kwargs(
        reference=reference,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: ApprovePlanRequest,
) -> Error | Plan | None:
    """Approve the plan and change the sources

     An erasure plan only by a DPO, who names the ground of Art. 17(1) (`erasure_ground`, required for an
    erasure); other plans also by the request's agent. The workers then change the sources; a refusal is
    recorded in the audit trail. Refused (409, with the reason) while `approval_blocked` says something
    must be decided first. A rectification's records on which no field was approved get every proposed
    field approved, as the plan shows them (`fields`, `before`); a restriction while the accuracy was
    checked is then lifted on a scheduled date, after telling the subject (Art. 18(3),
    `scheduled_lift`).

    Args:
        reference (str):
        body (ApprovePlanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Plan
    """

    return (
        await asyncio_detailed(
            reference=reference,
            client=client,
            body=body,
        )
    ).parsed
