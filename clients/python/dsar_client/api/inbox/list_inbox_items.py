from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.inbox_state_enum import InboxStateEnum
from ...models.paginated_inbox_item_list import PaginatedInboxItemList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    state: InboxStateEnum | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page"] = page

    params["page_size"] = page_size

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/inbox/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | PaginatedInboxItemList | None:
    if response.status_code == 200:
        response_200 = PaginatedInboxItemList.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | PaginatedInboxItemList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    state: InboxStateEnum | Unset = UNSET,
) -> Response[Error | PaginatedInboxItemList]:
    """List the privacy mailbox

     E-mails to the privacy address (IMAP, ESP webhook, imported files), newest first: sender, subject,
    day of receipt, the right guessed from the words and the triage state.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        state (InboxStateEnum | Unset): * `new` - To triage
            * `converted` - Turned into a request
            * `attached` - Attached to a request
            * `dismissed` - Dismissed

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedInboxItemList]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        state=state,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    state: InboxStateEnum | Unset = UNSET,
) -> Error | PaginatedInboxItemList | None:
    """List the privacy mailbox

     E-mails to the privacy address (IMAP, ESP webhook, imported files), newest first: sender, subject,
    day of receipt, the right guessed from the words and the triage state.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        state (InboxStateEnum | Unset): * `new` - To triage
            * `converted` - Turned into a request
            * `attached` - Attached to a request
            * `dismissed` - Dismissed

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedInboxItemList
    """

    return sync_detailed(
        client=client,
        page=page,
        page_size=page_size,
        state=state,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    state: InboxStateEnum | Unset = UNSET,
) -> Response[Error | PaginatedInboxItemList]:
    """List the privacy mailbox

     E-mails to the privacy address (IMAP, ESP webhook, imported files), newest first: sender, subject,
    day of receipt, the right guessed from the words and the triage state.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        state (InboxStateEnum | Unset): * `new` - To triage
            * `converted` - Turned into a request
            * `attached` - Attached to a request
            * `dismissed` - Dismissed

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedInboxItemList]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        state=state,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    state: InboxStateEnum | Unset = UNSET,
) -> Error | PaginatedInboxItemList | None:
    """List the privacy mailbox

     E-mails to the privacy address (IMAP, ESP webhook, imported files), newest first: sender, subject,
    day of receipt, the right guessed from the words and the triage state.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        state (InboxStateEnum | Unset): * `new` - To triage
            * `converted` - Turned into a request
            * `attached` - Attached to a request
            * `dismissed` - Dismissed

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedInboxItemList
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            page_size=page_size,
            state=state,
        )
    ).parsed
