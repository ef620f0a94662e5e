"""The OpenNPS survey service: a Django project with one app per capability.

Nothing outside this package imports Django. ``opennps.web.commands`` holds the
``serve``, ``createuser`` and ``import`` commands of the CLI; they configure Django only
when they run.
"""
