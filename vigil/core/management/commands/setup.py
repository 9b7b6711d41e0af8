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
from vigil.core.encryption import encrypted_values_stored, ensure_key_file, key_file_path

STAFF_USERNAME = "admin"


class Command(BaseCommand):
    help = "Migrate, load reference and demo data, and create the first staff login (printed at the end)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo data.")

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(settings.DATA_DIR)
        # The database, evidence and keys live here: readable by the account that runs Vigil only.
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not getattr(settings, "VIGIL_FIELD_KEYS", []):
            # Before migrating: migrations encrypt existing restricted values with it.
            created = not key_file_path().exists()
            if created and encrypted_values_stored():
                # Run from a new data folder (another machine, a restored server): a new key would be
                # created beside values it cannot read, and new values written under it.
                raise CommandError(
                    f"This database already holds encrypted values, but there is no key file at "
                    f"{key_file_path()} and VIGIL_FIELD_KEYS is not set: copy the key file they were "
                    "written with there (or set VIGIL_FIELD_KEYS) and run setup again. No new key was made."
                )
            ensure_key_file()
            if created:
                self.stdout.write(
                    f"Field-encryption key created in {key_file_path()}: back it up apart from the database."
                )
        call_command("migrate", interactive=False, verbosity=0)
        database = Path(str(settings.DATABASES["default"]["NAME"]))
        if str(settings.DATABASES["default"]["ENGINE"]).endswith("sqlite3") and database.is_file():
            database.chmod(0o600)
        self.stdout.write("Database migrated.")
        call_command("load_reference", stdout=self.stdout)
        try:
            call_command("clean_photos", stdout=self.stdout)
        except CommandError as error:
            self.stderr.write(self.style.WARNING(str(error)))
        if not options["no_demo"]:
            call_command("load_demo", stdout=self.stdout)
        username, password = self._staff_login(data_dir / "staff-login.txt")
        where = "http://127.0.0.1:8000/staff/" if settings.DEBUG else "/staff/"
        if password is None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nStaff workspace: {where}\n  user {username} exists; its password is yours.\n"
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"\nStaff workspace: {where}\n  user: {username}\n  password: {password}\n"
                "  second factor: at the first sign-in, scan the QR code shown with an authenticator app;\n"
                f"  no phone at hand: `vigil two_factor code {username}` prints the current code.\n"
            )
        )

    def _staff_login(self, login_file: Path) -> tuple[str, str | None]:
        """Create the first administrator once, with a generated password kept in a private file so that
        later runs (``make run`` each time) print it again while it is still the password. An existing
        account is never changed: run again after an upgrade, setup printed a new password and made the
        account a superuser again. Its password is not printed once it has been changed or the file deleted."""
        user = User.objects.filter(username=STAFF_USERNAME).first()
        if user is not None:
            kept = login_file.read_text(encoding="utf-8").strip() if login_file.exists() else ""
            return STAFF_USERNAME, kept if kept and user.check_password(kept) else None
        password = secrets.token_urlsafe(12)
        user = User(username=STAFF_USERNAME, is_staff=True, is_superuser=True)
        user.set_password(password)
        user.save()
        administrators = Group.objects.filter(name=Role.ADMINISTRATOR).first()
        if administrators is not None:
            user.groups.add(administrators)
        login_file.touch(mode=0o600)
        login_file.write_text(password + "\n", encoding="utf-8")
        return STAFF_USERNAME, password
