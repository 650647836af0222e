from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView

from mindlab.views import StaffPreviewMixin, paginate

from .models import ARTICLES_PER_PAGE, Hub

LATEST_ARTICLES = 3


class HubDetailView(StaffPreviewMixin, DetailView):
    queryset = Hub.objects.for_page()

    def get_context_data(self, **kwargs):
        hub = self.object
        # Counted now (a page past the end is a 404); the cards are read only when the page's cached fragment
        # is missing, and page 1 opens with the newest cards already, so they are not read twice.
        articles = paginate(self.request, hub.articles.for_cards(), ARTICLES_PER_PAGE)
        cards = articles.object_list
        articles.object_list = SimpleLazyObject(lambda: list(cards))
        latest = articles.object_list if articles.number == 1 else SimpleLazyObject(
            lambda: list(hub.articles.for_cards()[:LATEST_ARTICLES]))
        return super().get_context_data(latest_articles=latest, articles=articles, **kwargs)
