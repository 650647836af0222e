from django.apps import AppConfig


class MediaLibraryConfig(AppConfig):
    """Images that bodies show as figures: `![alt](image:12)` in Markdown (see models.py)."""

    name = "media_library"
    verbose_name = "Media library"
