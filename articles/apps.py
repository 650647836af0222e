from django.apps import AppConfig
from django.db.models.signals import m2m_changed


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from .models import Article

        m2m_changed.connect(_reindex_on_tag_change, sender=Article.tags.through, dispatch_uid="article-tags-search")


def _reindex_on_tag_change(sender, instance, action, **kwargs):
    # Tags are weighted in the search index; they change after the article itself is saved.
    if action in {"post_add", "post_remove", "post_clear"} and hasattr(instance, "update_search_vector"):
        instance.update_search_vector()
