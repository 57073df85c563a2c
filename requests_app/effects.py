"""Side effects of workflow events, run after commit (see workflow.on_event).

Each area registers its own effects in its own module; this module imports
them so that they are active in every process (web, worker, beat).
"""

from importlib import import_module

# Modules that register effects with @workflow.on_event. A module missing
# from this list does nothing, so new areas add themselves here.
EFFECT_MODULES = [
    "requests_app.delivery.effects",
    "requests_app.forwarding.effects",
    "requests_app.execution.effects",
    "requests_app.gathering.effects",
    "requests_app.intake.effects",
    "requests_app.representation.effects",
    "requests_app.workspace.effects",
    "requests_app.accounts.effects",
    "requests_app.register.effects",
    "requests_app.api.webhooks",
    # Not a workflow effect: connects the inbound e-mail signal of django-anymail.
    "requests_app.inbox.webhooks",
]

for _name in EFFECT_MODULES:
    import_module(_name)
