from django.db import migrations, models


def hear_of_pauses(apps, schema_editor):
    """Pausing an appeal was notified as "replied": channels that heard of it keep hearing of it."""
    Channel = apps.get_model("notifications", "Channel")
    for channel in Channel.objects.all():
        if "replied" in (channel.events or []) and "paused" not in channel.events:
            channel.events = [*channel.events, "paused"]
            channel.save(update_fields=["events"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="event",
            field=models.CharField(
                choices=[
                    ("assigned", "Assigned"),
                    ("deadline_near", "Deadline near"),
                    ("overdue", "Overdue"),
                    ("replied", "Replied"),
                    ("paused", "Waiting on the enterprise"),
                ],
                max_length=32,
                verbose_name="event",
            ),
        ),
        migrations.RunPython(hear_of_pauses, migrations.RunPython.noop),
    ]
