"""Every event kind the code records has a label, and every public one a
sentence for the subject.

The kinds are read from the source (calls of ``record_event``, ``log_event``
and ``_transition``), so a new ``kind=`` anywhere in ``requests_app`` that is
not in ``requests_app.audit.labels`` fails here, not on a DPO's screen.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from requests_app.audit import labels as event_labels
from requests_app.intake import timeline

ROOT = Path(__file__).resolve().parents[3] / "requests_app"
# name -> public by default; record_register_event: the register's own trail (requests_app/register/).
RECORDERS = {
    "record_event": False,
    "record_first_event": False,
    "log_event": False,
    "_transition": True,
    "record_register_event": False,
}
# Where ``kind`` is a parameter passed on, not a kind of its own.
PASS_THROUGH = {("events.py", "log_event"), ("transitions.py", "_transition")}


def _strings(node) -> list[str] | None:
    """The string values an expression can take, or None when it is not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def collect(source: str, filename: str = "<source>") -> tuple[dict[str, bool], list[str]]:
    """Kinds recorded in this source, each with whether it may be public, and
    the places where a kind is computed and cannot be read."""
    kinds: dict[str, bool] = {}
    unreadable: list[str] = []
    tree = ast.parse(source)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    enclosing = {id(inner): f.name for f in functions for inner in ast.walk(f)}
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
        if name not in RECORDERS:
            continue
        keywords = {k.arg: k.value for k in call.keywords}
        public_node = keywords.get("public")
        public = (
            RECORDERS[name]
            if public_node is None
            else not (isinstance(public_node, ast.Constant) and public_node.value is False)
        )
        if "kind" in keywords:
            values = _strings(keywords["kind"])
        elif name == "_transition" and _strings(keywords.get("action")):
            values = [f"request.{action}" for action in _strings(keywords["action"])]
        else:
            values = None
        if values is None:
            if (Path(filename).name, enclosing.get(id(call))) not in PASS_THROUGH:
                unreadable.append(f"{filename}:{call.lineno}")
            continue
        for kind in values:
            kinds[kind] = kinds.get(kind, False) or public
    return kinds, unreadable


def recorded_kinds() -> tuple[dict[str, bool], list[str]]:
    kinds: dict[str, bool] = {}
    unreadable: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        found, where = collect(path.read_text(), str(path.relative_to(ROOT)))
        for kind, public in found.items():
            kinds[kind] = kinds.get(kind, False) or public
        unreadable += where
    return kinds, unreadable


def test_the_collector_reads_literal_conditional_and_default_kinds():
    source = """
def f(request, excluded):
    workflow.log_event(request, actor=a, kind="export.previewed")
    workflow.record_event(request, actor=a, kind="x.in" if excluded else "x.out", public=True)
    _transition(request, actor=a, action="approve")
    _transition(request, actor=a, action="assign", public=False, kind="request.assigned")
    workflow.log_event(request, actor=a, kind=computed())
"""
    kinds, unreadable = collect(source)
    assert kinds == {
        "export.previewed": False,
        "x.in": True,
        "x.out": True,
        "request.approve": True,
        "request.assigned": False,
    }
    assert unreadable == ["<source>:7"]


def test_every_recorded_kind_is_read_from_the_code():
    kinds, unreadable = recorded_kinds()
    assert unreadable == [], f"event kinds computed at run time cannot be checked for a label: {unreadable}"
    # The collector sees the workflow's defaults and the other areas' kinds.
    assert {"request.verify", "request.created", "export.downloaded", "plan.executed", "source.retried"} <= set(kinds)


def test_every_recorded_kind_has_a_label_and_every_label_a_kind():
    kinds, _unreadable = recorded_kinds()
    labelled = set(event_labels.EVENT_KINDS) | set(event_labels.REGISTER_EVENT_KINDS)
    assert sorted(set(kinds) - labelled) == [], "add these kinds to requests_app/audit/labels.py"
    assert sorted(labelled - set(kinds)) == [], "no code records these kinds any more"


def test_every_public_kind_is_worded_for_the_subject():
    kinds, _unreadable = recorded_kinds()
    public = {kind for kind, may_be_public in kinds.items() if may_be_public}
    assert {"export.downloaded", "recipients.told", "request.cancel"} <= public
    assert sorted(public - timeline.worded_kinds()) == [], "word these kinds in requests_app/intake/timeline.py"


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_label_is_translated(language):
    from django.utils import translation

    with translation.override("en"):
        english = {kind: str(entry.label) for kind, entry in event_labels.EVENT_KINDS.items()}
    with translation.override(language):
        untranslated = [k for k, e in event_labels.EVENT_KINDS.items() if str(e.label) == english[k]]
    assert untranslated == []
