from django.db.models import Max

from mindlab.sitemaps import CanonicalSitemap

from .models import Article, Tag


class ArticleSitemap(CanonicalSitemap):
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated").order_by("pk")

    def lastmod(self, article):
        return article.updated


class TagSitemap(CanonicalSitemap):
    """Tags that carry at least one published article; last modified when the newest of those was."""

    priority = 0.4

    def items(self):
        published = Article.objects.published().values("pk")
        return (
            Tag.objects.filter(tagged_articles__content_object__in=published)
            .annotate(lastmod=Max("tagged_articles__content_object__updated"))
            .order_by("name")
        )

    def lastmod(self, tag):
        return tag.lastmod
