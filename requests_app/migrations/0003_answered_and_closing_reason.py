from django.db import migrations, models


def fill_answered_at(apps, schema_editor):
    """Existing answers: the release event for fulfilled requests, the closing
    moment for refusals (which closed them at once)."""
    SubjectRequest = apps.get_model("requests_app", "SubjectRequest")
    RequestEvent = apps.get_model("requests_app", "RequestEvent")
    released = RequestEvent.objects.filter(kind="request.fulfilled").values_list("request_id", "created_at")
    for request_id, created_at in released.iterator():
        SubjectRequest.objects.filter(pk=request_id, answered_at__isnull=True).update(answered_at=created_at)
    SubjectRequest.objects.filter(status="rejected", answered_at__isnull=True).update(answered_at=models.F("closed_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0002_queue_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="subjectrequest",
            name="answered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="answered"),
        ),
        migrations.AddField(
            model_name="subjectrequest",
            name="closing_reason",
            field=models.TextField(blank=True, verbose_name="reason for closing"),
        ),
        migrations.RunPython(fill_answered_at, migrations.RunPython.noop),
    ]
