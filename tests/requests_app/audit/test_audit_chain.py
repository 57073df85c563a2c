import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from requests_app import workflow
from requests_app.audit.chain import verify_request_chain
from requests_app.models import RequestEvent

pytestmark = pytest.mark.django_db


def test_the_orm_refuses_to_change_or_delete_events(new_request):
    event = new_request.events.first()
    event.kind = "request.tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        RequestEvent.objects.filter(pk=event.pk).update(kind="x")
    with pytest.raises(PermissionError):
        RequestEvent.objects.filter(pk=event.pk).delete()


def test_an_intact_chain_verifies(dpo, new_request, capsys):
    workflow.approve(new_request, actor=dpo)
    assert verify_request_chain(new_request) is None
    call_command("verify_audit_chain")
    assert "intact" in capsys.readouterr().out


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_changed_event_is_detected(dpo, new_request):
    workflow.approve(new_request, actor=dpo)
    second = new_request.events.get(seq=2)
    _raw("UPDATE requests_app_requestevent SET actor_label = %s WHERE id = %s", ["mallory", second.pk])
    broken = verify_request_chain(new_request)
    assert broken.seq == 2 and "changed" in broken.problem
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", new_request.reference)


def test_a_deleted_event_in_the_middle_is_detected(dpo, new_request):
    workflow.approve(new_request, actor=dpo)
    _raw("DELETE FROM requests_app_requestevent WHERE request_id = %s AND seq = 2", [new_request.pk])
    broken = verify_request_chain(new_request)
    assert broken.seq == 2 and "missing" in broken.problem


def test_a_deleted_last_event_is_detected(dpo, new_request):
    workflow.approve(new_request, actor=dpo)
    _raw("DELETE FROM requests_app_requestevent WHERE request_id = %s AND seq = 3", [new_request.pk])
    new_request.refresh_from_db()
    assert "end of the trail" in verify_request_chain(new_request).problem


def test_the_command_names_the_first_broken_link(dpo, new_request, capsys):
    workflow.approve(new_request, actor=dpo)
    _raw(
        "UPDATE requests_app_requestevent SET details = %s WHERE request_id = %s AND seq = 1",
        ['{"type": "erasure"}', new_request.pk],
    )
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")
    assert f"{new_request.reference} event #1" in capsys.readouterr().out
