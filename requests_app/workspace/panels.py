"""Sections of the workspace's request page contributed by other areas.

The request page (workspace) renders, in order, every registered panel whose
``applies`` is true: the engine's per-source progress, the exports review,
the execution plan... so that each area adds its section without editing the
request page itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

# Modules that register a panel on import, loaded by RequestsAppConfig.ready.
PANEL_MODULES = [
    "requests_app.workspace.history",
    "requests_app.gathering.panel",
    "requests_app.delivery.panel",
    "requests_app.execution.panel",
    "requests_app.representation.panel",
]


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    order: int = 100
    # (subject_request, user) -> extra template context
    context: Callable = field(default=lambda subject_request, user: {})
    # (subject_request) -> whether the panel shows for this request
    applies: Callable = field(default=lambda subject_request: True)


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> Panel:
    _panels[panel.key] = panel
    return panel


def panels_for(subject_request, user) -> list[tuple[Panel, dict]]:
    """The panels to render, each with its context, sorted by ``order``."""
    result = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        if panel.applies(subject_request):
            result.append((panel, panel.context(subject_request, user)))
    return result


def load_panels() -> None:
    for name in PANEL_MODULES:
        import_module(name)
