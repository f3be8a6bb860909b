"""The meetings' own notices (MeetingNotice) become the core's notifications, kind
"meeting.<kind>", each with its sentence, the meeting's reference and the link to the meeting;
read or unread as they were. Then MeetingNotice goes: one notice system, not two."""

from django.db import migrations
from django.urls import reverse

LABELS = {
    "invited": "You have been invited to a strategy meeting",
    "changed": "A strategy meeting you are invited to has changed",
    "removed": "You are no longer invited to a strategy meeting",
    "finalised": "The minutes of a strategy meeting you were invited to are final",
}


def fold(apps, schema_editor):
    MeetingNotice = apps.get_model("strategy_meetings", "MeetingNotice")
    Notification = apps.get_model("cse_portal", "Notification")
    rows = []
    for notice in MeetingNotice.objects.select_related("meeting").order_by("pk").iterator():
        reference = f"SM-{notice.meeting_id:05d}"
        text = f"{LABELS.get(notice.kind, 'A strategy meeting has changed')}: {reference}"
        if notice.detail and notice.detail != reference:
            text += f" ({notice.detail})"
        link = reverse(
            "strategy_meetings:detail",
            kwargs={"child_pk": notice.meeting.child_id, "pk": notice.meeting_id},
        )
        rows.append(
            Notification(
                recipient_id=notice.officer_id,
                kind=f"meeting.{notice.kind}",
                text=text[:200],
                link=link,
                created_at=notice.created_at,
                read_at=notice.read_at,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=2000)


def unfold(apps, schema_editor):
    Notification = apps.get_model("cse_portal", "Notification")
    Notification.objects.filter(kind__startswith="meeting.").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cse_portal", "0007_notifications"),
        ("strategy_meetings", "0003_assessment_source_and_person_meetings"),
    ]

    operations = [
        migrations.RunPython(fold, unfold),
        migrations.DeleteModel(name="MeetingNotice"),
    ]
