from enum import StrEnum


class RequestTypeEnum(StrEnum):
    ACCESS = "access"
    ERASURE = "erasure"
    OBJECTION = "objection"
    PORTABILITY = "portability"
    RECTIFICATION = "rectification"
    RESTRICTION = "restriction"
    WITHDRAWAL = "withdrawal"

    def __str__(self) -> str:
        return str(self.value)
