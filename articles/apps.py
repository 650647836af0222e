from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from .models import Article, Tag

        m2m_changed.connect(_reindex_on_tag_change, sender=Article.tags.through, dispatch_uid="article-tags-search")
        # Tag names are in their articles' search index: a renamed or deleted tag indexes them again.
        pre_delete.connect(_note_tagged_articles, sender=Tag, dispatch_uid="tag-deleting-search")
        post_save.connect(_reindex_tagged_articles, sender=Tag, dispatch_uid="tag-saved-search")
        post_delete.connect(_reindex_tagged_articles, sender=Tag, dispatch_uid="tag-deleted-search")


def _reindex_on_tag_change(sender, instance, action, **kwargs):
    # Tags are weighted in the search index; they change after the article itself is saved.
    if action in {"post_add", "post_remove", "post_clear"} and hasattr(instance, "update_search_vector"):
        instance.update_search_vector()


def _note_tagged_articles(instance, **kwargs):
    instance._tagged_articles = list(instance.tagged_articles.values_list("content_object", flat=True))


def _reindex_tagged_articles(instance, created=False, **kwargs):
    from mindlab import search

    from .models import Article

    if created:
        return
    ids = getattr(instance, "_tagged_articles", None)
    articles = Article.objects.filter(pk__in=instance.tagged_articles.values("content_object") if ids is None else ids)
    search.index_rows(articles.prefetch_related("tags"))
