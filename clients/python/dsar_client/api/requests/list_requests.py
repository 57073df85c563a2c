from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.channel_enum import ChannelEnum
from ...models.error import Error
from ...models.paginated_request_list_list import PaginatedRequestListList
from ...models.request_type_enum import RequestTypeEnum
from ...models.status_filter_enum import StatusFilterEnum
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    assignee: str | Unset = UNSET,
    channel: ChannelEnum | Unset = UNSET,
    due_within: int | Unset = UNSET,
    held: bool | None | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    q: str | Unset = UNSET,
    request_type: RequestTypeEnum | Unset = UNSET,
    status: StatusFilterEnum | Unset = UNSET,
    type_: RequestTypeEnum | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["assignee"] = assignee

    json_channel: str | Unset = UNSET
    if not isinstance(channel, Unset):
        json_channel = channel.value

    params["channel"] = json_channel

    params["due_within"] = due_within

    json_held: bool | None | Unset
    if isinstance(held, Unset):
        json_held = UNSET
    else:
        json_held = held
    params["held"] = json_held

    json_overdue: bool | None | Unset
    if isinstance(overdue, Unset):
        json_overdue = UNSET
    else:
        json_overdue = overdue
    params["overdue"] = json_overdue

    params["page"] = page

    params["page_size"] = page_size

    params["q"] = q

    json_request_type: str | Unset = UNSET
    if not isinstance(request_type, Unset):
        json_request_type = request_type.value

    params["request_type"] = json_request_type

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_type_: str | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_.value

    params["type"] = json_type_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/requests/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | PaginatedRequestListList | None:
    if response.status_code == 200:
        response_200 = PaginatedRequestListList.from_dict(response.json())

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
) -> Response[Error | PaginatedRequestListList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    assignee: str | Unset = UNSET,
    channel: ChannelEnum | Unset = UNSET,
    due_within: int | Unset = UNSET,
    held: bool | None | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    q: str | Unset = UNSET,
    request_type: RequestTypeEnum | Unset = UNSET,
    status: StatusFilterEnum | Unset = UNSET,
    type_: RequestTypeEnum | Unset = UNSET,
) -> Response[Error | PaginatedRequestListList]:
    """List requests

     The workspace queue, with the page's own filters, ordered by legal deadline. Each filter here gives
    the same requests as on the page.

    Args:
        assignee (str | Unset):
        channel (ChannelEnum | Unset): * `web` - Web form
            * `api` - API
            * `email` - E-mail
            * `letter` - Letter
            * `phone` - Phone
            * `in_person` - In person
        due_within (int | Unset):
        held (bool | None | Unset):
        overdue (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        q (str | Unset):
        request_type (RequestTypeEnum | Unset): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))
        status (StatusFilterEnum | Unset):
        type_ (RequestTypeEnum | Unset): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedRequestListList]
    """

    kwargs = _get_kwargs(
        assignee=assignee,
        channel=channel,
        due_within=due_within,
        held=held,
        overdue=overdue,
        page=page,
        page_size=page_size,
        q=q,
        request_type=request_type,
        status=status,
        type_=type_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    assignee: str | Unset = UNSET,
    channel: ChannelEnum | Unset = UNSET,
    due_within: int | Unset = UNSET,
    held: bool | None | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    q: str | Unset = UNSET,
    request_type: RequestTypeEnum | Unset = UNSET,
    status: StatusFilterEnum | Unset = UNSET,
    type_: RequestTypeEnum | Unset = UNSET,
) -> Error | PaginatedRequestListList | None:
    """List requests

     The workspace queue, with the page's own filters, ordered by legal deadline. Each filter here gives
    the same requests as on the page.

    Args:
        assignee (str | Unset):
        channel (ChannelEnum | Unset): * `web` - Web form
            * `api` - API
            * `email` - E-mail
            * `letter` - Letter
            * `phone` - Phone
            * `in_person` - In person
        due_within (int | Unset):
        held (bool | None | Unset):
        overdue (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        q (str | Unset):
        request_type (RequestTypeEnum | Unset): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))
        status (StatusFilterEnum | Unset):
        type_ (RequestTypeEnum | Unset): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedRequestListList
    """

    return sync_detailed(
        client=client,
        assignee=assignee,
        channel=channel,
        due_within=due_within,
        held=held,
        overdue=overdue,
        page=page,
        page_size=page_size,
        q=q,
        request_type=request_type,
        status=status,
        type_=type_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    assignee: str | Unset = UNSET,
    channel: ChannelEnum | Unset = UNSET,
    due_within: int | Unset = UNSET,
    held: bool | None | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    q: str | Unset = UNSET,
    request_type: RequestTypeEnum | Unset = UNSET,
    status: StatusFilterEnum | Unset = UNSET,
    type_: RequestTypeEnum | Unset = UNSET,
) -> Response[Error | PaginatedRequestListList]:
    """List requests

     The workspace queue, with the page's own filters, ordered by legal deadline. Each filter here gives
    the same requests as on the page.

    Args:
        assignee (str | Unset):
        channel (ChannelEnum | Unset): * `web` - Web form
            * `api` - API
            * `email` - E-mail
            * `letter` - Letter
            * `phone` - Phone
            * `in_person` - In person
        due_within (int | Unset):
        held (bool | None | Unset):
        overdue (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        q (str | Unset):
        request_type (RequestTypeEnum | Unset): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))
        status (StatusFilterEnum | Unset):
        type_ (RequestTypeEnum | Unset): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedRequestListList]
    """

    kwargs = _get_kwargs(
        assignee=assignee,
        channel=channel,
        due_within=due_within,
        held=held,
        overdue=overdue,
        page=page,
        page_size=page_size,
        q=q,
        request_type=request_type,
        status=status,
        type_=type_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    assignee: str | Unset = UNSET,
    channel: ChannelEnum | Unset = UNSET,
    due_within: int | Unset = UNSET,
    held: bool | None | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    q: str | Unset = UNSET,
    request_type: RequestTypeEnum | Unset = UNSET,
    status: StatusFilterEnum | Unset = UNSET,
    type_: RequestTypeEnum | Unset = UNSET,
) -> Error | PaginatedRequestListList | None:
    """List requests

     The workspace queue, with the page's own filters, ordered by legal deadline. Each filter here gives
    the same requests as on the page.

    Args:
        assignee (str | Unset):
        channel (ChannelEnum | Unset): * `web` - Web form
            * `api` - API
            * `email` - E-mail
            * `letter` - Letter
            * `phone` - Phone
            * `in_person` - In person
        due_within (int | Unset):
        held (bool | None | Unset):
        overdue (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        q (str | Unset):
        request_type (RequestTypeEnum | Unset): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))
        status (StatusFilterEnum | Unset):
        type_ (RequestTypeEnum | Unset): * `access` - Access to my data (Art. 15)
            * `rectification` - Correction of my data (Art. 16)
            * `erasure` - Erasure of my data (Art. 17)
            * `restriction` - Restriction of processing (Art. 18)
            * `portability` - Data portability (Art. 20)
            * `objection` - Objection to processing (Art. 21)
            * `withdrawal` - Withdrawal of consent (Art. 7(3))

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedRequestListList
    """

    return (
        await asyncio_detailed(
            client=client,
            assignee=assignee,
            channel=channel,
            due_within=due_within,
            held=held,
            overdue=overdue,
            page=page,
            page_size=page_size,
            q=q,
            request_type=request_type,
            status=status,
            type_=type_,
        )
    ).parsed
