from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from articles.models import Article
from hubs.models import Hub
from mindlab import search
from mindlab.views import paginate

LATEST_ARTICLES = 6
SEARCH_RESULTS_PER_PAGE = 10


def home(request):
    return render(request, "home.html", {
        "hubs": Hub.objects.published().for_cards(),
        "latest_articles": Article.objects.published().for_cards()[:LATEST_ARTICLES],
    })


def search_results(request):
    query = search.clean_query(request.GET.get("q"))
    context = {"query": query, "hubs": [], "results": None}
    if search.terms(query) and len(query) >= search.MIN_QUERY_LENGTH:
        # Counted now (a page past the end is a 404); the results are read only when the page's cached
        # fragment is missing.
        page = paginate(request, Article.objects.search(query).for_results(), SEARCH_RESULTS_PER_PAGE)
        context["page"] = page
        context["hubs"] = SimpleLazyObject(lambda: [
            (hub, search.snippet(hub.body_text, query)) for hub in Hub.objects.search(query).for_results()[:3]])
        context["results"] = SimpleLazyObject(lambda: [
            (article, search.snippet(article.body_text, query)) for article in page])
        context["pagination_prefix"] = f"{urlencode({'q': query})}&"
    elif query:
        context["hint"] = "Type at least two letters or digits to search."
    return render(request, "search.html", context)
