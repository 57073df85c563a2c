"""The parties an export names: the subject (as identified, the national
number masked), the controller and its DPO, and the supervisory authority
with the court (Art. 15(1)(f), 77, 79)."""

from __future__ import annotations

import json

from dsar.core.national_number import mask_national_number


def subject_identity(job) -> dict:
    try:
        identity = json.loads(job.identity or "{}")
    except ValueError:
        identity = {}
    result = {key: str(value) for key, value in identity.items() if value}
    if "national_number" in result:
        # Masked as everywhere else (the records themselves carry the full number).
        result["national_number"] = mask_national_number(result["national_number"])
    return result


def controller_block(controller: dict) -> dict:
    return {
        "name": controller.get("name", ""),
        "address": controller.get("address", ""),
        "enterprise_number": controller.get("enterprise_number", ""),
        "website": controller.get("website", ""),
        "dpo": {
            "name": controller.get("dpo_name", ""),
            "email": controller.get("dpo_email", ""),
            "phone": controller.get("dpo_phone", ""),
        },
    }


def authority_block(controller: dict) -> dict:
    return {
        "name": controller.get("authority_name", ""),
        "address": controller.get("authority_address", ""),
        "phone": controller.get("authority_phone", ""),
        "email": controller.get("authority_email", ""),
        "website": controller.get("authority_website", ""),
        # Art. 79: the court (Belgium: Act of 30 July 2018, art. 209).
        "court": controller.get("court_name", ""),
        "court_reference": controller.get("court_reference", ""),
    }
