"""The third-quarter report is titled "Quarter III" (its window is one quarter, 15/06–14/09); deadlines of existing
periods that fell on or before the data cut-off (communes on the 10th) move to the configured days after it."""

import datetime as dt

from django.conf import settings
from django.db import migrations, models


def deadlines_after_cutoff(apps, schema_editor):
    ReportPeriod = apps.get_model("reports", "ReportPeriod")
    days = {
        "due_department": settings.CCHC_REPORT_DUE_DAY_DEPARTMENT,
        "due_district": settings.CCHC_REPORT_DUE_DAY_DISTRICT,
        "due_commune": settings.CCHC_REPORT_DUE_DAY_COMMUNE,
    }
    for period in ReportPeriod.objects.all():
        changed = []
        for name, day in days.items():
            due = getattr(period, name)
            if due <= period.data_to:
                setattr(period, name, dt.date(period.data_to.year, period.data_to.month, day))
                changed.append(name)
        if changed:
            period.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reportperiod",
            name="kind",
            field=models.CharField(
                choices=[("Q1", "Quarter I"), ("H1", "Six months"), ("Q3", "Quarter III"), ("Y", "Year")],
                max_length=2,
                verbose_name="report",
            ),
        ),
        migrations.RunPython(deadlines_after_cutoff, migrations.RunPython.noop),
    ]
