import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from articles.sitemaps import ArticleSitemap, TagSitemap
from articles.urls import tag_urlpatterns
from authors.sitemaps import AuthorSitemap
from hubs.sitemaps import HubSitemap
from library.views import home, search_results
from mindlab import media
from mindlab.sitemaps import HomeSitemap, StaticPagesSitemap
from mindlab.views import healthz, robots_txt
from pages.sitemaps import PageSitemap

SITEMAPS = {
    "home": HomeSitemap,
    "hubs": HubSitemap,
    "articles": ArticleSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
    "pages": PageSitemap,
    "site-pages": StaticPagesSitemap,
}

urlpatterns = [
    path("", home, name="home"),
    path("hubs/", include("hubs.urls")),
    path("articles/", include("articles.urls")),
    path("authors/", include("authors.urls")),
    path("tags/", include(tag_urlpatterns)),
    path("search/", search_results, name="search"),
    path("feeds/", include("articles.feed_urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("strategy-call/", include("strategy_calls.urls")),
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_PATH, admin.site.urls),
]

# Uploads on this machine's disk are served by the app, with or without DEBUG; object storage serves its own.
if media.serves_media() and settings.MEDIA_URL.startswith("/"):
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.+)$", media.serve, name="media"))

# Standalone pages (/about/) come after every other route, so they can never hide one (pages/urls.py).
urlpatterns.append(path("", include("pages.urls")))
