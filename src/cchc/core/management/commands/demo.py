import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load the shipped data, print a demo administrator's login and serve on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="prepare the database only")

    def handle(self, *args, addrport: str, no_serve: bool, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_defaults", stdout=self.stdout)
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username="admin")
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo administrator — user: admin   password: {password}\n"
                f"Open http://{addrport}/ (database: {settings.DATABASES['default']['NAME']})\n"
            )
        )
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)
