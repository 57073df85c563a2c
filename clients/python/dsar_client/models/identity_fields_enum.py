from enum import StrEnum


class IdentityFieldsEnum(StrEnum):
    CUSTOMER_NUMBER = "customer_number"
    EMAIL = "email"
    FULL_NAME = "full_name"
    NATIONAL_NUMBER = "national_number"
    PHONE = "phone"

    def __str__(self) -> str:
        return str(self.value)
