from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Standalone pages (About, Approach, Privacy policy, Terms) and the header and footer navigation."""

    name = "pages"
    verbose_name = "Pages and navigation"
