"""Root pytest configuration: which source files are collected for doctests."""

# The Django project is tested through tests/web; importing its modules for doctests
# would need configured settings.
collect_ignore_glob = ["src/opennps/web/*"]
