from enum import StrEnum


class TransmissionDecisionEnum(StrEnum):
    NOT_FEASIBLE = "not_feasible"
    SEND = "send"

    def __str__(self) -> str:
        return str(self.value)
