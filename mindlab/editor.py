"""The writing desk of the page admins (articles, hubs): Markdown fields as an editor with the site's own
preview, full-width fields, sections that stay open or closed as the editor left them, and a warning before
leaving a form with unsaved changes (static/js/admin-form.js)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path, reverse_lazy

from .markdown import render
from .widgets import MarkdownEditor


class MarkdownEditorAdminMixin:
    # {field name: height of its writing pane}
    markdown_fields = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.markdown_fields:
            kwargs["widget"] = MarkdownEditor(self._preview_url(), height=self.markdown_fields[db_field.name])
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def _preview_url(self):
        opts = self.opts
        return reverse_lazy(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_markdown_preview")

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/admin-form.css"]}, js=["js/admin-form.js"])

    def get_urls(self):
        opts = self.opts
        return [
            path("markdown-preview/", self.admin_site.admin_view(self.markdown_preview_view),
                 name=f"{opts.app_label}_{opts.model_name}_markdown_preview"),
            *super().get_urls(),
        ]

    def preview_html(self, html):
        """The rendered body as the page shows it; a mixin that expands placeholders at render time (the media
        library's figures) extends this, so the preview equals the published page."""
        return html

    def markdown_preview_view(self, request):
        """The HTML a page would publish for the Markdown in `text`: the same render() as saving, nothing
        stored. Staff only, with the CSRF token (admin_view), for anyone who may add or change this model."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        rendered = render(request.POST.get("text", ""))
        return JsonResponse({
            "html": self.preview_html(rendered.html),
            "words": rendered.word_count,
            "reading_minutes": rendered.reading_minutes,
        })
