from django.contrib import admin

from .models import FAQ


class FAQInline(admin.StackedInline):
    """Used on the hub and article change forms, so each FAQ is written beside its page."""

    model = FAQ
    extra = 0
    fields = ["question", "answer", "order"]


@admin.register(FAQ)
class FAQAdmin(admin.ModelAdmin):
    list_display = ["question", "hub", "article", "order"]
    list_filter = ["hub"]
    search_fields = ["question", "answer"]
    autocomplete_fields = ["hub", "article"]
    fields = ["hub", "article", "question", "answer", "order"]
