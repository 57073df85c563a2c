"""Issue 15, point 1: an address correction the subject wrote as one line is
mapped onto the street, the postal code and the town, each with its value,
only where those fields are held; the DPO sees each record before and after,
the approval says what must be decided first, and the subject is told which
fields were corrected, in how many records (Art. 16, Art. 12(1))."""

from __future__ import annotations

from django.urls import reverse

from dsar.execution import service
from dsar.execution.models import Action, Plan
from dsar.models import Connector, DataCategory
from requests_app.execution.selectors import fulfilment_context
from tests.support.execution_steps import approve_plan, approve_request, complete_tasks, lotte, panel

ADDRESS = {"street": "Neustraße 12", "postal_code": "4700", "city": "Eupen"}


def address_request():
    return lotte(
        "rectification",
        items=[{"field": "Adresse", "current": "Eliensingel 3, 5532 Kemmel", "correct": "Neustraße 12, 4700 Eupen"}],
        restrict_meanwhile=False,
    )


def map_address(client, subject_request, capture, values=ADDRESS):
    with capture(execute=True):
        return client.post(
            reverse("execution:map_correction", args=[subject_request.reference, 0]),
            {f"value:{name}": value for name, value in values.items()},
            follow=True,
        )


def test_an_unmapped_correction_disables_the_approval_and_says_why(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    subject_request = address_request()
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)

    page = panel(client, subject_request)

    assert "Say which field each correction is about before approving: “Adresse”." in page
    assert 'disabled aria-describedby="plan-approve-blocked"' in page
    # A forged POST is refused with the same words, and nothing is approved.
    refused = approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    assert "Say which field each correction is about before approving" in refused
    plan.refresh_from_db()
    assert plan.status == Plan.Status.READY


def test_an_address_is_mapped_onto_three_fields_only_where_they_are_held(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    subject_request = address_request()
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)
    before = dict(demo.execute("SELECT street, postal_code, city FROM customers WHERE id = 1").fetchone())

    map_address(client, subject_request, django_capture_on_commit_callbacks)

    plan.refresh_from_db()
    crm = plan.items.get(action=Action.RECTIFY)
    assert crm.fields == ADDRESS and crm.before_values == before
    # The marketing platform holds a postal code only; the cameras hold images, not addresses.
    marketing = plan.items.get(run__connector__code="demo-marketing")
    assert marketing.fields["changes"] == {"postal_code": "4700"}
    assert not plan.items.filter(run__connector__code="camera-footage").exists()
    page = panel(client, subject_request)
    # Labels, not column names; the record before and after.
    # Each field with its value, in the order stored (PostgreSQL's jsonb keeps its own key order).
    for shown in ("Street and number → “Neustraße 12”", "Postcode → “4700”", "Town → “Eupen”"):
        assert shown in page
    assert "Street and number" in page and before["street"] in page and "Neustraße 12" in page
    assert "plan-approve-blocked" not in page

    approve_plan(client, subject_request, django_capture_on_commit_callbacks)
    complete_tasks(plan, dpo, django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE
    row = dict(demo.execute("SELECT street, postal_code, city FROM customers WHERE id = 1").fetchone())
    assert row == ADDRESS
    assert client.get("/demo/marketing/contacts/lotte.peeters@example.be").json()["postal_code"] == "4700"
    event = subject_request.events.get(kind="plan.approved")
    assert event.details["corrections_approved"] == 2

    # She is told which fields were corrected, in how many records, in her language (Dutch).
    done = {
        line["source"]: [str(label) for label, _ in line["counts"]]
        for line in fulfilment_context(subject_request, plan)["done"]
    }
    # The fields in the order stored (PostgreSQL's jsonb keeps its own key order).
    [line] = done["Klantenbestand"]
    assert line.startswith("verbeterd (") and sorted(line[len("verbeterd (") : -1].split(", ")) == [
        "Gemeente",
        "Postcode",
        "Straat en nummer",
    ]
    assert done["Nieuwsbrieven en webinars"] == ["verbeterd (Postcode)"]


def test_a_field_left_unticked_is_not_written_and_not_announced(demo, dpo, client, django_capture_on_commit_callbacks):
    subject_request = address_request()
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)
    map_address(client, subject_request, django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    crm = plan.items.get(action=Action.RECTIFY)
    old_city = demo.execute("SELECT city FROM customers WHERE id = 1").fetchone()["city"]

    client.post(
        reverse("execution:change_item", args=[subject_request.reference, crm.pk]),
        {"change": "fields", "fields": ["street", "postal_code"]},
    )
    # Unticking every field is no decision: the record is left out instead.
    response = client.post(
        reverse("execution:change_item", args=[subject_request.reference, crm.pk]), {"change": "fields"}, follow=True
    )
    assert "Tick at least one field, or leave the record out of the plan." in response.content.decode()
    approve_plan(client, subject_request, django_capture_on_commit_callbacks)

    assert demo.execute("SELECT city FROM customers WHERE id = 1").fetchone()["city"] == old_city
    done = {
        line["source"]: [str(label) for label, _ in line["counts"]]
        for line in fulfilment_context(subject_request, plan)["done"]
    }
    assert done["Klantenbestand"] == ["verbeterd (Straat en nummer, Postcode)"]


def test_a_mapping_with_an_unknown_field_or_no_value_is_refused_and_changes_nothing(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    subject_request = address_request()
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)

    response = map_address(client, subject_request, django_capture_on_commit_callbacks, {"shoe_size": "44"})

    assert "Unknown field." in response.content.decode()
    plan.refresh_from_db()
    assert "fields" not in plan.job.options["corrections"][0]


def api_source(code: str, category: str):
    """An API that takes the corrected fields as they are named (no ``fields`` mapping)."""
    connector = Connector.objects.create(
        code=code,
        name=code,
        kind="http",
        operations=["rectify"],
        config={
            "base_url": "http://127.0.0.1:9/",
            "execution": {"rectify": {"method": "PATCH", "path": "people/{email}", "json": "{changes}"}},
        },
    )
    connector.categories.add(DataCategory.objects.get(code=category))
    return connector


def test_an_api_taking_fields_as_named_is_offered_the_address_only_if_it_holds_contact_data(demo):
    api_source("newsletter-api", "marketing-preferences")
    api_source("address-book-api", "identification")
    plan = service.create_plan(
        external_ref="DSAR-2026-00077",
        operation="rectify",
        identity={"email": "lotte.peeters@example.be", "customer_number": "C-100042"},
        options={"corrections": [{"field": "Adresse", "correct": "Neustraße 12, 4700 Eupen", "fields": ADDRESS}]},
    )

    plan = service.compute(plan.pk)

    assert not plan.items.filter(run__connector__code="newsletter-api").exists()
    assert plan.items.get(run__connector__code="address-book-api").fields["changes"] == ADDRESS


def test_before_the_mapping_no_source_is_given_the_unknown_field_and_after_it_the_boxes_keep_the_values(
    demo, dpo, client, django_capture_on_commit_callbacks
):
    import re

    subject_request = address_request()
    plan = approve_request(subject_request, dpo, django_capture_on_commit_callbacks)
    client.force_login(dpo)

    page = panel(client, subject_request)

    # The cameras' task does not announce "Adresse → Neustraße 12" before the DPO says what it is.
    camera_items = plan.items.filter(run__connector__code="camera-footage")
    assert not [item for item in camera_items if "Adresse" in str(item.fields)]
    # The fields to choose from read in the order of their labels, as the DPO reads them.
    select = page.split('<select name="field"')[1].split("</select>")[0]
    labels = re.findall(r'<option value="[a-z_]+"[^>]*>([^<]+)</option>', select)
    assert len(labels) > 3 and labels == sorted(labels, key=str.casefold)

    map_address(client, subject_request, django_capture_on_commit_callbacks)

    page = panel(client, subject_request)
    boxes = page.split('class="map-several"')[1].split("</details>")[0]
    assert 'name="value:street" maxlength="500" value="Neustraße 12"' in boxes
    assert 'name="value:postal_code" maxlength="500" value="4700"' in boxes
    assert 'name="value:city" maxlength="500" value="Eupen"' in boxes
