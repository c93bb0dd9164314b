"""``python -m firebridge`` is the ``firebridge`` command."""

from .cli import main

raise SystemExit(main())
