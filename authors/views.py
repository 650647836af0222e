from django.views.generic import DetailView

from mindlab.views import paginate

from .models import Author

ARTICLES_PER_PAGE = 12


class AuthorDetailView(DetailView):
    queryset = Author.objects.all()

    def get_context_data(self, **kwargs):
        articles = self.object.articles.published().for_cards()
        return super().get_context_data(articles=paginate(self.request, articles, ARTICLES_PER_PAGE), **kwargs)
