from django.contrib import admin


class ReviewQueueFilter(admin.SimpleListFilter):
    """The review queue as a list filter: each choice is one of the workflow's queryset methods, so the admin
    home's counts and the list they link to are the same rows. A choice is offered only where the page's
    queryset has its method (hubs have no schedule)."""

    title = "review queue"
    parameter_name = "queue"
    queues = [
        ("waiting", "Waiting for review", "awaiting_review"),
        ("for-me", "Waiting for my review (not mine)", "awaiting_review"),
        ("changes", "Changes requested", "changes_requested"),
        ("mine", "Changes requested of me", "changes_requested"),
        ("scheduled", "Scheduled", "scheduled"),
    ]

    def lookups(self, request, model_admin):
        pages = model_admin.model._default_manager.none()
        return [(value, label) for value, label, method in self.queues if hasattr(pages, method)]

    def queryset(self, request, queryset):
        chosen = {value: method for value, _, method in self.queues}.get(self.value())
        if chosen is None or not hasattr(queryset, chosen):
            return queryset
        pages = getattr(queryset, chosen)()
        if self.value() == "for-me":
            return pages.exclude(submitted_by=request.user)
        if self.value() == "mine":
            return pages.filter(submitted_by=request.user)
        return pages
