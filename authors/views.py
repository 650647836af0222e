from django.views.generic import DetailView

from mindlab import jsonld
from mindlab.views import paginate

from .models import Author

ARTICLES_PER_PAGE = 12


class AuthorDetailView(DetailView):
    queryset = Author.objects.prefetch_related("credentials", "featured_in", "profile_links")

    def get_context_data(self, **kwargs):
        author = self.object
        return super().get_context_data(
            articles=paginate(self.request, author.articles.published().cards(), ARTICLES_PER_PAGE),
            structured_data=jsonld.graph(
                jsonld.author_page(author),
                jsonld.breadcrumbs(("Home", "/"), (author.name, author.get_absolute_url())),
            ),
            **kwargs,
        )
