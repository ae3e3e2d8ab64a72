"""The `slotbook` command line (Typer)."""
