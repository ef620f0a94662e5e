"""``python -m opennps``: the same as the ``opennps`` command."""

from opennps.cli import main

main()
