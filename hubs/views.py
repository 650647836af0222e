from django.views.generic import DetailView

from mindlab.views import StaffPreviewMixin, paginate

from .models import ARTICLES_PER_PAGE, Hub

LATEST_ARTICLES = 3


class HubDetailView(StaffPreviewMixin, DetailView):
    queryset = Hub.objects.for_page()

    def get_context_data(self, **kwargs):
        hub = self.object
        articles = paginate(self.request, hub.articles.for_cards(), ARTICLES_PER_PAGE)
        articles.object_list = list(articles.object_list)
        # Page 1 opens with the newest cards already: no second query for them.
        latest = articles.object_list if articles.number == 1 else hub.articles.for_cards()
        return super().get_context_data(latest_articles=list(latest[:LATEST_ARTICLES]), articles=articles, **kwargs)
