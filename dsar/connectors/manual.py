"""Manual sources: what no machine can read (paper archives, camera footage, a mailbox).

Configuration (``Connector.config``)::

    instructions: |
      Look for the subject in the camera recordings of the entrance...
    # Connector.default_assignee receives the task.

Gathering opens a ``ManualTask`` for the connector's default assignee and the
run waits until a person completes it in the workspace (findings and files).
"""

from __future__ import annotations

from dsar.connectors.base import BaseConnector, ConnectorError, FindResult, SubjectIdentity, register


@register
class ManualConnector(BaseConnector):
    kind = "manual"

    @classmethod
    def validate_config(cls, config: dict) -> list[tuple[str, str]]:
        instructions = config.get("instructions")
        if not isinstance(instructions, str) or not instructions.strip():
            return [("instructions", "Write the instructions for the person who will search this source.")]
        return []

    def test_connection(self) -> str:
        errors = self.validate_config(self.config)
        if errors:
            raise ConnectorError(errors[0][1])
        if self.model.default_assignee_id is None:
            raise ConnectorError("Nobody receives the tasks of this source: choose a default assignee.")
        return f"Tasks go to {self.model.default_assignee}."

    def find(self, identity: SubjectIdentity) -> FindResult:
        # Gathering opens a task instead (dsar.gathering); a person finds the records.
        raise ConnectorError("A manual source is searched by a person, through its task.")
