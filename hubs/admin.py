from django.contrib import admin

from faqs.admin import FAQGroupInline, HubFAQInline
from media_library.admin import BodyImagesAdminMixin
from mindlab.admin import SaveErrorsAdminMixin, VersionsAdminMixin, ViewOnSiteAdminMixin
from mindlab.editor import MarkdownEditorAdminMixin
from mindlab.seo_admin import PageForm
from mindlab.workflow import RevisionsFilter, StateFilter, WorkflowAdminMixin
from references.cite_admin import PasteCitationsAdminMixin

from .models import Hub, HubCitation


class HubCitationInline(admin.TabularInline):
    model = HubCitation
    extra = 0
    autocomplete_fields = ["reference"]


@admin.register(Hub)
class HubAdmin(BodyImagesAdminMixin, MarkdownEditorAdminMixin, SaveErrorsAdminMixin, ViewOnSiteAdminMixin,
               PasteCitationsAdminMixin, WorkflowAdminMixin, VersionsAdminMixin, admin.ModelAdmin):
    form = PageForm
    markdown_fields = {"intro": "16rem", "body": "70vh"}
    publish_permission = "hubs.publish_hub"
    list_display = ["title", "pillar_label", "order", "state", "is_sensitive", "updated"]
    list_editable = ["order"]
    list_filter = [RevisionsFilter, StateFilter, "is_sensitive"]
    search_fields = ["title", "tagline", "pillar_label"]
    autocomplete_fields = ["author", "reviewer", "related_hubs"]
    inlines = [HubCitationInline, FAQGroupInline, HubFAQInline]  # groups saved before the FAQs put in them
    fieldsets = [
        (None, {"fields": ["title", "slug", "tagline", "pillar_label", "author", "order"]}),
        ("Featured article", {"fields": ["featured_article"]}),
        ("Medical review", {"fields": ["reviewer", "last_reviewed"]}),
        ("Content", {"fields": ["intro", "key_takeaways", "body"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt"]}),
        ("Related", {"fields": ["related_hubs", "is_sensitive"]}),
        ("Dates", {"fields": ["content_updated", "mark_updated"]}),
        ("Search results and sharing", {"fields": ["seo_title", "meta_description"]}),
        ("Review decision", {"fields": ["decision_comment"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        field = form.base_fields.get("featured_article")
        if field is not None:
            field.queryset = Hub.featured_choices(obj)
            field.help_text = ("A published article of this hub (save a new hub first), shown as a card above the "
                               "title. Readers see it only while the article is published.")
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # A revision carries no related hubs of its own: the link is symmetrical (see Hub.related_hubs).
        return [*fields, "related_hubs"] if obj is not None and obj.draft_of_id else fields
