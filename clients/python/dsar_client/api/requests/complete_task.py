from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.complete_task_request import CompleteTaskRequest
from ...models.error import Error
from ...models.manual_task import ManualTask
from ...types import Response


def _get_kwargs(
    reference: str,
    task_id: int,
    *,
    body: CompleteTaskRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/requests/{reference}/tasks/{task_id}/complete/".format(
            reference=quote(str(reference), safe=""),
            task_id=quote(str(task_id), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | ManualTask | None:
    if response.status_code == 200:
        response_200 = ManualTask.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | ManualTask]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reference: str,
    task_id: int,
    *,
    client: AuthenticatedClient,
    body: CompleteTaskRequest,
) -> Response[Error | ManualTask]:
    """Complete a manual task

     A task of a gathering (access, portability): by the staff member it is assigned to, the request's
    agent or a DPO, with what was found in `findings` and/or `files` (multipart/form-data); the source
    is then done and the gathering goes on.

    A task of an execution plan (erasure, rectification, restriction, objection, withdrawal): as on the
    plan panel, by a DPO or the request's agent only, with what was done in `findings` and no files. The
    plan's items of that source are then done, the plan completes when it was the last open step
    (recipients are notified, an erasure already released is purged), and `plan.task_completed` is
    recorded in the audit trail.

    Args:
        reference (str):
        task_id (int):
        body (CompleteTaskRequest): The same limits as the request page's forms (``plan_task`` in
            the context: the plan panel's).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ManualTask]
    """

    kwargs = _get_kwargs(
        reference=reference,
        task_id=task_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    task_id: int,
    *,
    client: AuthenticatedClient,
    body: CompleteTaskRequest,
) -> Error | ManualTask | None:
    """Complete a manual task

     A task of a gathering (access, portability): by the staff member it is assigned to, the request's
    agent or a DPO, with what was found in `findings` and/or `files` (multipart/form-data); the source
    is then done and the gathering goes on.

    A task of an execution plan (erasure, rectification, restriction, objection, withdrawal): as on the
    plan panel, by a DPO or the request's agent only, with what was done in `findings` and no files. The
    plan's items of that source are then done, the plan completes when it was the last open step
    (recipients are notified, an erasure already released is purged), and `plan.task_completed` is
    recorded in the audit trail.

    Args:
        reference (str):
        task_id (int):
        body (CompleteTaskRequest): The same limits as the request page's forms (``plan_task`` in
            the context: the plan panel's).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ManualTask
    """

    return sync_detailed(
        reference=reference,
        task_id=task_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    reference: str,
    task_id: int,
    *,
    client: AuthenticatedClient,
    body: CompleteTaskRequest,
) -> Response[Error | ManualTask]:
    """Complete a manual task

     A task of a gathering (access, portability): by the staff member it is assigned to, the request's
    agent or a DPO, with what was found in `findings` and/or `files` (multipart/form-data); the source
    is then done and the gathering goes on.

    A task of an execution plan (erasure, rectification, restriction, objection, withdrawal): as on the
    plan panel, by a DPO or the request's agent only, with what was done in `findings` and no files. The
    plan's items of that source are then done, the plan completes when it was the last open step
    (recipients are notified, an erasure already released is purged), and `plan.task_completed` is
    recorded in the audit trail.

    Args:
        reference (str):
        task_id (int):
        body (CompleteTaskRequest): The same limits as the request page's forms (``plan_task`` in
            the context: the plan panel's).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ManualTask]
    """

    kwargs = _get_kwargs(
        reference=reference,
        task_id=task_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    task_id: int,
    *,
    client: AuthenticatedClient,
    body: CompleteTaskRequest,
) -> Error | ManualTask | None:
    """Complete a manual task

     A task of a gathering (access, portability): by the staff member it is assigned to, the request's
    agent or a DPO, with what was found in `findings` and/or `files` (multipart/form-data); the source
    is then done and the gathering goes on.

    A task of an execution plan (erasure, rectification, restriction, objection, withdrawal): as on the
    plan panel, by a DPO or the request's agent only, with what was done in `findings` and no files. The
    plan's items of that source are then done, the plan completes when it was the last open step
    (recipients are notified, an erasure already released is purged), and `plan.task_completed` is
    recorded in the audit trail.

    Args:
        reference (str):
        task_id (int):
        body (CompleteTaskRequest): The same limits as the request page's forms (``plan_task`` in
            the context: the plan panel's).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ManualTask
    """

    return (
        await asyncio_detailed(
            reference=reference,
            task_id=task_id,
            client=client,
            body=body,
        )
    ).parsed
