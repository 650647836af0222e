from django.urls import path

from . import feeds

app_name = "feeds"
urlpatterns = [
    path("rss/", feeds.LatestArticlesRSS(), name="rss"),
    path("atom/", feeds.LatestArticlesAtom(), name="atom"),
    path("hubs/<slug:slug>/rss/", feeds.HubArticlesRSS(), name="hub-rss"),
    path("hubs/<slug:slug>/atom/", feeds.HubArticlesAtom(), name="hub-atom"),
]
