"""`python -m tui_admin` runs the CLI."""

from tui_admin.cli import main

raise SystemExit(main())
