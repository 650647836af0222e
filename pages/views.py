from django.views.generic import DetailView

from mindlab.views import StaffPreviewMixin

from .models import Page


class PageDetailView(StaffPreviewMixin, DetailView):
    queryset = Page.objects.for_page()
