from django.contrib import admin

from .models import Reference


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "container", "year", "source_type", "doi"]
    list_filter = ["source_type", "year"]
    search_fields = ["authors", "title", "container", "doi"]
    fieldsets = [
        (None, {"fields": ["authors", "year", "title", "source_type"]}),
        ("Published in", {"fields": ["container", "volume", "issue", "pages"]}),
        ("Link", {"fields": ["doi", "url"]}),
    ]
