"""The ``briefing`` command: thin commands over the core (``main``), one module per command group."""

from generator.cli.main import main

__all__ = ["main"]
