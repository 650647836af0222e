from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView, ListView

from hubs.models import Hub
from mindlab import jsonld, search
from mindlab.views import StaffPreviewMixin, paginate

from .models import Article, Tag


def home(request):
    return render(
        request,
        "home.html",
        {
            "hubs": Hub.objects.published().cards_with_counts(),
            "latest_articles": Article.objects.published().cards()[:6],
        },
    )


class ArticleDetailView(StaffPreviewMixin, DetailView):
    queryset = Article.objects.for_page()

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            related_cards=article.related_cards(), structured_data=jsonld.stored(article.structured_data), **kwargs
        )


class TagArticleListView(ListView):
    template_name = "articles/tag_detail.html"
    paginate_by = 12

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().tagged(self.tag).cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


SEARCH_RESULTS_PER_PAGE = 10


def search_results(request):
    query = search.clean_query(request.GET.get("q"))
    context = {"query": query, "hubs": [], "results": None}
    if search.terms(query) and len(query) >= search.MIN_QUERY_LENGTH:
        context["hubs"] = [(hub, search.snippet(hub, query)) for hub in Hub.objects.search(query)[:3]]
        page = paginate(request, Article.objects.search(query).for_cards(), SEARCH_RESULTS_PER_PAGE)
        context["page"] = page
        context["results"] = [(article, search.snippet(article, query)) for article in page]
        context["pagination_prefix"] = f"{urlencode({'q': query})}&"
    elif query:
        context["hint"] = "Type at least two letters or digits to search."
    return render(request, "search.html", context)
