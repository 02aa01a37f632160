"""The data version (cchc.core.dataversion): a one-row counter on SQLite, a sequence on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE SEQUENCE IF NOT EXISTS core_data_version")
        else:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS core_dataversion (id INTEGER PRIMARY KEY CHECK (id = 1), "
                "counter INTEGER NOT NULL)"
            )
            cursor.execute("INSERT OR IGNORE INTO core_dataversion (id, counter) VALUES (1, 0)")


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SEQUENCE IF EXISTS core_data_version")
        else:
            cursor.execute("DROP TABLE IF EXISTS core_dataversion")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_job_arguments_job_attempts_job_function_and_more")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
