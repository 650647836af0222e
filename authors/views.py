from django.views.generic import DetailView

from .models import Author


class AuthorDetailView(DetailView):
    queryset = Author.objects.prefetch_related("credentials", "featured_in", "profile_links")

    def get_context_data(self, **kwargs):
        return super().get_context_data(articles=self.object.articles.published().for_cards(), **kwargs)
