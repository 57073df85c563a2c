from enum import StrEnum


class MinorAgeBandEnum(StrEnum):
    UNDER_13 = "under_13"
    VALUE_1 = "13_15"
    VALUE_2 = "16_17"

    def __str__(self) -> str:
        return str(self.value)
