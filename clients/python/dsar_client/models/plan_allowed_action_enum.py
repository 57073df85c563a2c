from enum import StrEnum


class PlanAllowedActionEnum(StrEnum):
    APPROVE = "approve"
    CORRECTIONS = "corrections"
    ITEMS = "items"
    LIFT_RESTRICTION = "lift-restriction"
    RECOMPUTE = "recompute"
    REMIND = "remind"
    RESUME = "resume"
    TELL_RECIPIENTS = "tell-recipients"

    def __str__(self) -> str:
        return str(self.value)
