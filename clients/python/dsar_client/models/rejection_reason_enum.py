from enum import StrEnum


class RejectionReasonEnum(StrEnum):
    EXCESSIVE = "excessive"
    IDENTITY_NOT_CONFIRMED = "identity_not_confirmed"
    MANIFESTLY_UNFOUNDED = "manifestly_unfounded"
    NOT_CONTROLLER = "not_controller"
    NO_DATA_HELD = "no_data_held"
    NO_RIGHT_APPLIES = "no_right_applies"

    def __str__(self) -> str:
        return str(self.value)
