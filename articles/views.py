from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView, ListView

from hubs.models import Hub
from mindlab import jsonld
from mindlab.views import StaffPreviewMixin

from .models import Article, Tag

RELATED_ARTICLES = 6


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
    queryset = Article.objects.select_related("primary_hub", "author", "reviewer").prefetch_related(
        "tags", "author__credentials", "reviewer__credentials"
    )

    def get_context_data(self, **kwargs):
        article = self.object
        citations = article.citations.select_related("reference")
        faqs = article.faqs.all()
        hub = article.primary_hub
        return super().get_context_data(
            citations=citations,
            faqs=faqs,
            related_articles=Article.objects.related_to(article).for_cards()[:RELATED_ARTICLES],
            structured_data=jsonld.script(
                jsonld.medical_page(
                    article,
                    headline=article.title,
                    description=article.meta_description or article.summary,
                    writer=article.author,
                    citations=citations,
                    date_published=article.publish_at,
                    reviewer=article.reviewer,
                    last_reviewed=article.last_reviewed,
                ),
                jsonld.faq_page(faqs),
                jsonld.breadcrumbs(
                    ("Home", "/"), (hub.title, hub.get_absolute_url()), (article.title, article.get_absolute_url())
                ),
            ),
            **kwargs,
        )


class TagArticleListView(ListView):
    template_name = "articles/tag_detail.html"
    paginate_by = 12

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().tagged(self.tag).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)
