from enum import StrEnum


class OperationEnum(StrEnum):
    ACCESS = "access"
    ERASE = "erase"
    RECTIFY = "rectify"
    RESTRICT = "restrict"
    STOP_PROCESSING = "stop_processing"

    def __str__(self) -> str:
        return str(self.value)
