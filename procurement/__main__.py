"""Run the command line with `python -m procurement`."""

from procurement.cli import main

main()
