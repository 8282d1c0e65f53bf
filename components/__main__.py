"""``python -m components``: the app's stepper frozen into a file (see components/cli.py)."""

from .cli import main

raise SystemExit(main())
