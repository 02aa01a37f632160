"""The suite's own clean-up (src/cchc/conftest.py): the flush that ends every transactional test empties every table a
test wrote to, and leaves content types and permissions as migrating leaves them."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from cchc.plans.models import Plan, Task
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


def flush_as_after_a_transactional_test():
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)


def test_the_flush_empties_every_table_written_and_keeps_content_types(plan_2023_audited, django_user_model):
    from auditlog.models import LogEntry

    django_user_model.objects.create_user("someone", password="someone-pass-2023")
    ContentType.objects.filter(app_label="plans", model="task").delete()  # a test removing one: written back
    types = ContentType.objects.count()
    assert Task.objects.exists() and LogEntry.objects.exists()

    flush_as_after_a_transactional_test()

    assert not Plan.objects.exists() and not Task.objects.exists() and not Unit.objects.exists()
    assert not django_user_model.objects.exists() and not LogEntry.objects.exists()
    assert ContentType.objects.count() == types + 1
    assert Permission.objects.filter(content_type=ContentType.objects.get_for_model(Task)).count() == 4
