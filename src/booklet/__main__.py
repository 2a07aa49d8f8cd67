"""Run the command line with `python -m booklet`."""

from .cli.commands import console

console()
