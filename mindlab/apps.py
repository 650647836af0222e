from django.apps import AppConfig, apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

# Everything a public page shows. A change to any of them makes every cached page stale.
CONTENT_MODELS = [
    "hubs.Hub", "hubs.HubCitation", "articles.Article", "articles.ArticleCitation", "articles.Tag",
    "articles.TaggedArticle", "authors.Author", "authors.Credential", "authors.FeaturedIn", "authors.ProfileLink",
    "references.Reference", "faqs.FAQ", "mindlab.SiteSettings",
]
CONTENT_RELATIONS = [("hubs.Hub", "related_hubs"), ("articles.Article", "hubs"),
                     ("articles.Article", "related_articles")]


class MindlabConfig(AppConfig):
    """The site itself: shared helpers, the staff groups, the page cache and the demo content command."""

    name = "mindlab"
    verbose_name = "MindLAB site"

    def ready(self):
        from . import search
        from .models import Page

        for label in CONTENT_MODELS:
            model = apps.get_model(label)
            post_save.connect(content_changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")
        for label, field in CONTENT_RELATIONS:
            through = getattr(apps.get_model(label), field).through
            m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"page-cache-m2m-{label}-{field}")
        for model in apps.get_models():
            if issubclass(model, Page):
                post_delete.connect(search.forget, sender=model, dispatch_uid=f"search-forget-{model._meta.label}")


def content_changed(**kwargs):
    from .cache import bump

    # After commit: a worker that re-rendered before then would cache the old content under the new token.
    transaction.on_commit(bump)
