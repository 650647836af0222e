class StaffPreviewMixin:
    """Public visitors see published objects only; staff also see drafts, marked as a preview.

    This is what makes the admin's "View on site" work for an unpublished page.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.user.is_staff:
            return queryset
        return queryset.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_published
        return context
