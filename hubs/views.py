from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView

from mindlab.views import StaffPreviewMixin, paginate

from .models import ARTICLES_PER_PAGE, Hub

LATEST_ARTICLES = 3


class HubDetailView(StaffPreviewMixin, DetailView):
    queryset = Hub.objects.for_page()

    def get_context_data(self, **kwargs):
        """No article is listed twice on one page: page 1 of the list opens with the newest under "Latest
        articles", and "More articles" goes on from the next one (nothing more for a hub of three or fewer).
        Later pages keep the newest at the top; their lists start further down, so they never repeat them."""
        hub = self.object
        # Counted now (a page past the end is a 404); the cards are read only when the page's cached fragment
        # is missing, once: page 1's newest cards are the first of its list.
        articles = paginate(self.request, hub.articles.for_cards(), ARTICLES_PER_PAGE)
        cards = articles.object_list
        page_cards = SimpleLazyObject(lambda: list(cards))
        articles.object_list = page_cards
        if articles.number == 1:
            latest = SimpleLazyObject(lambda: page_cards[:LATEST_ARTICLES])
            listed = SimpleLazyObject(lambda: page_cards[LATEST_ARTICLES:])
        else:
            latest = SimpleLazyObject(lambda: list(hub.articles.for_cards()[:LATEST_ARTICLES]))
            listed = page_cards
        return super().get_context_data(latest_articles=latest, listed_articles=listed, articles=articles, **kwargs)
