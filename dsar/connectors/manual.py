"""Manual sources: what no machine can read (paper archives, camera footage, a mailbox).

Configuration (``Connector.config``)::

    instructions: |
      Look for the subject in the camera recordings of the entrance...
    # or one text per language, each reader getting their own:
    instructions: {en: "Look for...", nl: "Zoek..."}
    # Connector.default_assignee receives the task.

Gathering opens a ``ManualTask`` for the connector's default assignee and the
run waits until a person completes it in the workspace (findings and files).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from dsar.connectors.base import BaseConnector, ConnectorError, FindResult, Message, SubjectIdentity, register


@register
class ManualConnector(BaseConnector):
    kind = "manual"

    @classmethod
    def validate_config(cls, config: dict) -> list[tuple[str, str]]:
        instructions = config.get("instructions")
        # One text, or one per language ({en: ..., nl: ...}; dsar.gathering.manual_instructions).
        texts = list(instructions.values()) if isinstance(instructions, dict) else [instructions]
        if not any(isinstance(text, str) and text.strip() for text in texts):
            return [("instructions", "Write the instructions for the person who will search this source.")]
        return []

    def test_connection(self) -> str:
        errors = self.validate_config(self.config)
        if errors:
            raise ConnectorError(errors[0][1])
        if self.model.default_assignee_id is None:
            raise ConnectorError(
                Message(gettext_noop("Nobody receives the tasks of this source: choose a default assignee."))
            )
        return Message(gettext_noop("Tasks go to %(person)s."), person=str(self.model.default_assignee))

    def find(self, identity: SubjectIdentity) -> FindResult:
        # Gathering opens a task instead (dsar.gathering); a person finds the records.
        raise ConnectorError(Message(gettext_noop("A manual source is searched by a person, through its task.")))
