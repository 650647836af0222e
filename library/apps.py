from django.apps import AppConfig


class LibraryConfig(AppConfig):
    """The library's front door: the home page and search, which read across hubs and articles."""

    name = "library"
