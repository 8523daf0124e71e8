"""An attachment's size, shown beside it; and the metrics of R&D over two years (the little giant's
"近2年研发费用总额不低于1200万元且每年不低于3%"), filled from the yearly figures as `metrics.refresh` writes
them: the previous year's R&D expense, and this year's plus that one (NULL when either is missing)."""

from django.db import migrations, models

FILL = [
    "UPDATE policies_metrics SET rd_expense_prev = (SELECT p.rd_expense FROM enterprises_indicator p "
    "WHERE p.enterprise_id = policies_metrics.enterprise_id AND p.year = policies_metrics.year - 1)",
    "UPDATE policies_metrics SET rd_expense_2y = rd_expense + rd_expense_prev",
]


def sizes(apps, schema_editor):
    Attachment = apps.get_model("policies", "Attachment")
    for attachment in Attachment.objects.all():
        try:
            attachment.size = attachment.file.size
        except (FileNotFoundError, ValueError):
            continue
        attachment.save(update_fields=["size"])


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0003_applications_and_money"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="size",
            field=models.PositiveBigIntegerField(default=0, editable=False, verbose_name="size"),
        ),
        migrations.AddField(
            model_name="metrics",
            name="rd_expense_prev",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=20, null=True),
        ),
        migrations.AddField(
            model_name="metrics",
            name="rd_expense_2y",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=20, null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.RunPython(sizes, migrations.RunPython.noop),
    ]
