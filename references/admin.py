import json

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from .formats import parse_references, upsert_from_csl
from .forms import PasteForm, ReferenceForm
from .models import Reference


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    form = ReferenceForm
    list_display = ["__str__", "container", "year", "source_type", "evidence", "doi"]
    list_filter = ["source_type", "evidence", "year"]
    search_fields = ["title", "authors", "container", "publisher", "doi"]
    readonly_fields = ["citation_preview"]
    fieldsets = [
        (None, {"fields": ["authors", "year", "title", "source_type", "evidence"]}),
        ("Published in", {"fields": ["container", "editors", "publisher", "volume", "issue", "pages"]}),
        ("Link", {"fields": ["doi", "url"]}),
        ("As pages show it", {"fields": ["citation_preview"]}),
    ]

    @admin.display(description="APA citation")
    def citation_preview(self, obj):
        return obj.apa_html() if obj.pk else "Shown after saving."

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.is_popup = IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET
        return form

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("paste/", view(self.paste_view), name="references_reference_paste"),
            path("<int:pk>/pick/", view(self.pick_view), name="references_reference_pick"),
            *super().get_urls(),
        ]

    def paste_view(self, request):
        """Pasted BibTeX, RIS or CSL-JSON become library entries (or are matched to existing ones), all or none."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        popup = IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET
        form, results = PasteForm(request.POST or None), []
        if form.is_valid():
            try:
                with transaction.atomic():
                    results = [upsert_from_csl(item) for item in parse_references(form.cleaned_data["text"])]
            except ValueError as error:
                form.add_error("text", str(error))
            else:
                form = PasteForm()  # saved: an empty box for the next paste
        query = urlencode({IS_POPUP_VAR: 1, TO_FIELD_VAR: "id"})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Paste BibTeX, RIS or CSL-JSON",
            "form": form,
            "is_popup": popup,
            "is_popup_var": IS_POPUP_VAR,
            "pick_query": query,
            "created": [reference for reference, created in results if created],
            "existing": [reference for reference, created in results if not created],
            "media": self.media,
        }
        return TemplateResponse(request, "admin/references/reference/paste.html", context)

    def pick_view(self, request, pk):
        """In the pop-up opened from a page's citations: cite this existing reference and close, as Django's
        pop-up does after adding one."""
        reference = get_object_or_404(Reference, pk=pk)
        if not self.has_view_or_change_permission(request, reference):
            raise PermissionDenied
        data = json.dumps({"value": str(reference.pk), "obj": str(reference)})
        return TemplateResponse(request, "admin/popup_response.html", {"popup_response_data": data})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            query = urlencode({key: request.GET[key] for key in (IS_POPUP_VAR, TO_FIELD_VAR) if key in request.GET})
            context["paste_url"] = reverse("admin:references_reference_paste") + (f"?{query}" if query else "")
        return super().render_change_form(request, context, add, change, form_url, obj)
