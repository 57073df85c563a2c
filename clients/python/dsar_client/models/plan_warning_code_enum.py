from enum import StrEnum


class PlanWarningCodeEnum(StrEnum):
    CORRECTION_UNMATCHED = "correction_unmatched"
    PLAN_FAILED = "plan_failed"
    RECIPIENTS_WITHOUT_EMAIL = "recipients_without_email"
    RESTRICT_BY_HAND = "restrict_by_hand"
    RESTRICT_FAILED = "restrict_failed"
    SOURCES_UNREADABLE = "sources_unreadable"

    def __str__(self) -> str:
        return str(self.value)
