#!/usr/bin/env python
"""Django's command-line utility; ``vigil`` (vigil/cli.py) is the friendlier entry point."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
