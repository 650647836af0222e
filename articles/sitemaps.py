from django.db.models import Count, Max

from mindlab.sitemaps import CanonicalSitemap

from .models import Article, Tag


class ArticleSitemap(CanonicalSitemap):
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated").order_by("pk")

    def lastmod(self, article):
        return article.updated


class TagSitemap(CanonicalSitemap):
    """Tags that carry enough published articles to be indexed (`Tag.MIN_ARTICLES_TO_INDEX`, as the tag page's
    noindex); last modified when the newest of those was."""

    priority = 0.4

    def items(self):
        published = Article.objects.published().values("pk")
        return (
            Tag.objects.filter(tagged_articles__content_object__in=published)
            .annotate(lastmod=Max("tagged_articles__content_object__updated"), articles=Count("tagged_articles"))
            .filter(articles__gte=Tag.MIN_ARTICLES_TO_INDEX)
            .order_by("name")
        )

    def lastmod(self, tag):
        return tag.lastmod
