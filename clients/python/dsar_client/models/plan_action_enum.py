from enum import StrEnum


class PlanActionEnum(StrEnum):
    API_CALL = "api_call"
    DELETE = "delete"
    KEEP = "keep"
    MANUAL = "manual"
    MASK = "mask"
    RECTIFY = "rectify"
    RESTRICT = "restrict"
    STOP = "stop"
    UNRESTRICT = "unrestrict"

    def __str__(self) -> str:
        return str(self.value)
