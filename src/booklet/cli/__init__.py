"""Turn argv into a command (build, check, watch, new, i18n, preflight) and an exit status."""

from .commands import console, main

__all__ = ["console", "main"]
