from enum import StrEnum


class RequestActionEnum(StrEnum):
    APPROVE = "approve"
    ASSIGN = "assign"
    CHANGE_TYPE = "change-type"
    CLOSE = "close"
    EXTEND = "extend"
    FEE = "fee"
    FORWARD = "forward"
    IDENTITY_CHECK = "identity-check"
    MANDATE_CHECK = "mandate-check"
    NOTES = "notes"
    REJECT = "reject"
    RELEASE = "release"
    REQUEST_INFO = "request-info"
    RETENTION_HOLD = "retention-hold"
    RETENTION_HOLDLIFT = "retention-hold/lift"
    TRANSMISSION = "transmission"

    def __str__(self) -> str:
        return str(self.value)
