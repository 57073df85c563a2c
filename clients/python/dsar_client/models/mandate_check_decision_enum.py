from enum import StrEnum


class MandateCheckDecisionEnum(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"

    def __str__(self) -> str:
        return str(self.value)
