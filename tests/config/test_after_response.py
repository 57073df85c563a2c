"""config.after_response: a view that answers first sends its response, then does the work."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from config import after_response


def test_outside_a_view_that_answers_first_the_work_runs_at_once():
    done = []
    after_response.soon(lambda: done.append("work"))
    assert done == ["work"]


def test_the_work_waits_for_the_response_to_be_closed():
    done = []

    @after_response.answer_first
    def view():
        after_response.soon(lambda: done.append("work"))
        done.append("answer")
        return HttpResponse("ok")

    response = view()
    assert done == ["answer"]
    response.close()  # what the server does once the response is sent
    assert done == ["answer", "work"]
    # Outside the view again: at once.
    after_response.soon(lambda: done.append("later"))
    assert done[-1] == "later"


def test_a_response_closed_twice_does_the_work_once():
    done = []

    @after_response.answer_first
    def view():
        after_response.soon(lambda: done.append("work"))
        return HttpResponse("ok")

    response = view()
    response.close()
    response.close()
    assert done == ["work"]


def test_work_handed_over_before_an_error_is_still_done():
    done = []

    @after_response.answer_first
    def view():
        after_response.soon(lambda: done.append("work"))
        raise ValueError("the page failed after the commit")

    with pytest.raises(ValueError):
        view()
    assert done == ["work"]


def test_one_failing_piece_of_work_does_not_stop_the_others(caplog):
    done = []

    def failing():
        raise RuntimeError("broker down")

    @after_response.answer_first
    def view():
        after_response.soon(failing)
        after_response.soon(lambda: done.append("second"))
        return HttpResponse("ok")

    view().close()
    assert done == ["second"] and "Work after the response failed" in caplog.text
