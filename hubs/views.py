from django.views.generic import DetailView

from mindlab import jsonld
from mindlab.views import StaffPreviewMixin, paginate

from .models import Hub

LATEST_ARTICLES = 3
ARTICLES_PER_PAGE = 12


class HubDetailView(StaffPreviewMixin, DetailView):
    queryset = Hub.objects.for_page()

    def get_context_data(self, **kwargs):
        hub = self.object
        citations = hub.citations.select_related("reference")
        faqs = hub.faqs.all()
        articles = paginate(self.request, hub.articles.for_listing(), ARTICLES_PER_PAGE)
        return super().get_context_data(
            latest_articles=hub.articles.for_cards()[:LATEST_ARTICLES],
            articles=articles,
            citations=citations,
            faqs=faqs,
            related_hubs=hub.related_hubs.published().only("title", "slug"),
            structured_data=jsonld.graph(
                jsonld.medical_page(
                    hub,
                    headline=hub.title,
                    description=hub.meta_description or hub.tagline,
                    writer=hub.author,
                    citations=citations,
                ),
                jsonld.faq_page(faqs),
                jsonld.breadcrumbs(("Home", "/"), (hub.title, hub.get_absolute_url())),
            ),
            **kwargs,
        )
