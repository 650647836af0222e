from django.shortcuts import render
from django.views.generic import DetailView

from hubs.models import Hub
from mindlab.views import StaffPreviewMixin

from .models import Article


def home(request):
    return render(
        request,
        "home.html",
        {
            "hubs": Hub.objects.published().with_article_counts(),
            "latest_articles": Article.objects.published().for_cards()[:6],
        },
    )


class ArticleDetailView(StaffPreviewMixin, DetailView):
    queryset = Article.objects.select_related("primary_hub", "author", "reviewer")

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            citations=article.citations.select_related("reference"),
            faqs=article.faqs.all(),
            **kwargs,
        )
