"""`python -m slotbook.cli` runs the command line."""

from slotbook.cli.main import app

app()
