from django.core.paginator import Page, Paginator
from django.views.generic import DetailView

from mindlab import jsonld
from mindlab.views import StaffPreviewMixin, paginate

from .models import ARTICLES_PER_PAGE, Hub

LATEST_ARTICLES = 3


class HubDetailView(StaffPreviewMixin, DetailView):
    queryset = Hub.objects.for_page()

    def get_context_data(self, **kwargs):
        hub = self.object
        articles = self.first_page_as_stored() or paginate(self.request, hub.articles.cards(), ARTICLES_PER_PAGE)
        articles.object_list = list(articles.object_list)
        # Page 1 opens with the newest cards already: no second query for them.
        latest = articles.object_list if articles.number == 1 else hub.articles.cards()
        return super().get_context_data(
            latest_articles=list(latest[:LATEST_ARTICLES]),
            articles=articles,
            structured_data=jsonld.stored(hub.structured_data),
            **kwargs,
        )

    def first_page_as_stored(self):
        """Page 1 of the article list from the hub's row, when it is still exact: no query."""
        stored = self.object.stored_listing()
        if stored is None or self.request.GET.get("page", "1") != "1":
            return None
        cards, count = stored
        paginator = Paginator((), ARTICLES_PER_PAGE)
        paginator.count = count  # known, so the paginator never reads its (empty) list
        return Page(cards, 1, paginator)
