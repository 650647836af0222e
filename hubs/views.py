from django.views.generic import DetailView

from mindlab.views import StaffPreviewMixin

from .models import Hub


class HubDetailView(StaffPreviewMixin, DetailView):
    queryset = Hub.objects.select_related("author")

    def get_context_data(self, **kwargs):
        hub = self.object
        return super().get_context_data(
            latest_articles=hub.articles.for_cards()[:6],
            citations=hub.citations.select_related("reference"),
            faqs=hub.faqs.all(),
            **kwargs,
        )
