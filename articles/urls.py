from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]

tag_urlpatterns = (
    [path("<slug:slug>/", views.TagArticleListView.as_view(), name="detail")],
    "tags",
)
