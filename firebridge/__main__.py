"""``python -m firebridge`` is the ``firebridge`` command."""

from firebridge.cli import main

raise SystemExit(main())
