"""Side effects of workflow events, run after commit (see workflow.on_event).

Each area registers its own effects in its own module; this module imports
them so that they are active in every process (web, worker, beat).
"""

from importlib import import_module

# Modules that register effects with @workflow.on_event (and preconditions,
# the engine's signal receivers, request-page panels). A module missing from
# this list does nothing, so new areas add themselves here.
EFFECT_MODULES = [
    "requests_app.notifications",
    "requests_app.delivery",
    "requests_app.forwarding",
    "requests_app.execution.effects",
    "requests_app.execution.panel",
    "requests_app.gathering.effects",
    "requests_app.gathering.panel",
    "requests_app.intake.notifications",
    "requests_app.workspace.notifications",
    "requests_app.api.webhooks",
]

for _name in EFFECT_MODULES:
    import_module(_name)
