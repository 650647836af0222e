from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from mindlab.views import StaffPreviewMixin

from .models import Article, Tag


class ArticleDetailView(StaffPreviewMixin, DetailView):
    queryset = Article.objects.for_page()


class TagArticleListView(ListView):
    template_name = "articles/tag_detail.html"
    paginate_by = 12

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().tagged(self.tag).for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(tag=self.tag, **kwargs)
        context["indexable"] = context["paginator"].count >= Tag.MIN_ARTICLES_TO_INDEX
        return context
