"""The project's configuration only: settings, root URLs, WSGI/ASGI, the home
pages, context processors, the admin site, writing a development ``.env`` and the
system check. No app imports it."""
