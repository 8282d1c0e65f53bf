"""``python -m autodiff``: see ``autodiff/cli.py`` and ``python -m autodiff --help``."""

from .cli import main

raise SystemExit(main())
