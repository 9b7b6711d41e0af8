"""``vigil setup``: everything ``make run`` needs before serving, safe to run again."""

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from vigil.accounts.models import User
from vigil.accounts.roles import Role
from vigil.core.encryption import ensure_key_file, key_file_path

STAFF_USERNAME = "admin"


class Command(BaseCommand):
    help = "Migrate, load reference and demo data, and create the first staff login (printed at the end)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo data.")

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(settings.DATA_DIR)
        data_dir.mkdir(parents=True, exist_ok=True)
        if not getattr(settings, "VIGIL_FIELD_KEYS", []):
            # Before migrating: migrations encrypt existing restricted values with it.
            created = not key_file_path().exists()
            ensure_key_file()
            if created:
                self.stdout.write(
                    f"Field-encryption key created in {key_file_path()}: back it up apart from the database."
                )
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        call_command("load_reference", stdout=self.stdout)
        try:
            call_command("clean_photos", stdout=self.stdout)
        except CommandError as error:
            self.stderr.write(self.style.WARNING(str(error)))
        if not options["no_demo"]:
            call_command("load_demo", stdout=self.stdout)
        username, password = self._staff_login(data_dir / "staff-login.txt")
        self.stdout.write(
            self.style.SUCCESS(
                f"\nStaff workspace: http://127.0.0.1:8000/staff/\n  user: {username}\n  password: {password}\n"
                "  second factor: at the first sign-in, scan the QR code shown with an authenticator app;\n"
                f"  no phone at hand: `vigil two_factor code {username}` prints the current code.\n"
            )
        )

    def _staff_login(self, login_file: Path) -> tuple[str, str]:
        """Create the first administrator once; keep its generated password in a private file so later runs
        can print it again (it is a laptop's first login, to be changed in the workspace)."""
        if login_file.exists() and User.objects.filter(username=STAFF_USERNAME).exists():
            return STAFF_USERNAME, login_file.read_text(encoding="utf-8").strip()
        password = secrets.token_urlsafe(12)
        user = User.objects.filter(username=STAFF_USERNAME).first() or User(username=STAFF_USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        administrators = Group.objects.filter(name=Role.ADMINISTRATOR).first()
        if administrators is not None:
            user.groups.add(administrators)
        login_file.touch(mode=0o600)
        login_file.write_text(password + "\n", encoding="utf-8")
        return STAFF_USERNAME, password
