from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import m2m_changed, post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from . import pages
        from .models import Article

        m2m_changed.connect(_reindex_on_tag_change, sender=Article.tags.through, dispatch_uid="article-tags-search")
        pages.connect()
        post_migrate.connect(_render_missing_pages, sender=self, dispatch_uid="articles-render-missing-pages")


def _reindex_on_tag_change(sender, instance, action, **kwargs):
    # Tags are weighted in the search vector; they change after the article itself is saved.
    if action in {"post_add", "post_remove", "post_clear"} and hasattr(instance, "update_search_vector"):
        instance.update_search_vector()


def _render_missing_pages(apps=global_apps, **kwargs):
    # Only once the stored blocks exist: `migrate` can also go back to before they did.
    def has(label, field):
        return field in {field.name for field in apps.get_model(label)._meta.get_fields()}

    if has("articles.Article", "related_html") and has("hubs.Hub", "listing_count"):
        from . import pages

        pages.render_missing()
