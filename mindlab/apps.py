from django.apps import AppConfig


class MindlabConfig(AppConfig):
    """The site itself: shared helpers, the staff groups and the demo content command."""

    name = "mindlab"
    verbose_name = "MindLAB site"
