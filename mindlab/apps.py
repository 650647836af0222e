import warnings

from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save

# The apps whose rows public pages show. A write to any model of theirs, present or future, moves the
# content version (mindlab/cache.py): no list of models or pages to keep up to date.
CONTENT_APPS = {"mindlab", "hubs", "articles", "authors", "references", "faqs", "taggit", "redirects",
                "media_library", "pages"}


def is_content(model):
    from simple_history.models import HistoricalChanges

    # Version history (django-simple-history) is staff-only: it changes no public page.
    return model._meta.app_label in CONTENT_APPS and not issubclass(model, HistoricalChanges)


class MindlabConfig(AppConfig):
    """The site itself: shared helpers, the content version and page cache, the staff groups, the demo."""

    name = "mindlab"
    verbose_name = "MindLAB site"

    def ready(self):
        from PIL import Image
        from simple_history.signals import pre_create_historical_record

        from . import auth, search  # noqa: F401 (auth registers the demo-login check)
        from .models import Page, take_version_lists

        # Pillow only warns about an image past its decompression-bomb limit and decodes it anyway; uploads are
        # refused well below that (MAX_IMAGE_PIXELS), and any other image that large is an error too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)

        for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
            signal.connect(_content_written, dispatch_uid=f"content-version-{name}")
        pre_create_historical_record.connect(take_version_lists, dispatch_uid="version-lists")
        for model in apps.get_models():
            if issubclass(model, Page):
                post_delete.connect(search.forget, sender=model, dispatch_uid=f"search-forget-{model._meta.label}")


def _content_written(sender, action="post", **kwargs):
    if is_content(sender) and action.startswith("post"):
        from .cache import content_changed

        content_changed()
