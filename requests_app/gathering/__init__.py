"""The ticket's side of gathering (the engine's side is ``dsar.gathering``):
start the engine on approval of an access or portability request, follow it,
and move the request on when every source has answered.

The engine knows nothing of requests: a job carries the request's reference
as ``external_ref`` and the engine's signals bring us back here.

- ``selectors``: reads (the request's job, its identity for the sources);
- ``services``: start the gathering, retry a source, complete a manual task;
- ``effects``: what runs on workflow events and on the engine's signals;
- ``matching``: records found only by identifiers nobody verified are held back;
- ``panel``: the sources' section of the request page;
- ``forms`` / ``views`` / ``urls``: the workspace's actions on gathering.
"""
