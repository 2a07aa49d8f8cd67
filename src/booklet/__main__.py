"""Run the command line with `python -m booklet`."""

from .cli import console

console()
