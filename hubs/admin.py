from django.contrib import admin

from faqs.admin import FAQInline
from mindlab.admin import (
    PublishPermissionAdminMixin,
    PublishPermissionForm,
    ReviewQueueFilter,
    SaveErrorsAdminMixin,
    VersionsAdminMixin,
    ViewOnSiteAdminMixin,
)

from .models import Hub, HubCitation


class HubForm(PublishPermissionForm):
    publish_permission = "hubs.publish_hub"
    publish_field = "is_published"
    published_value = True


class HubCitationInline(admin.TabularInline):
    model = HubCitation
    extra = 0
    autocomplete_fields = ["reference"]


@admin.register(Hub)
class HubAdmin(SaveErrorsAdminMixin, ViewOnSiteAdminMixin, VersionsAdminMixin, PublishPermissionAdminMixin,
               admin.ModelAdmin):
    form = HubForm
    list_display = ["title", "pillar_label", "order", "is_published", "is_sensitive", "updated"]
    list_editable = ["order"]
    list_filter = ["is_published", ReviewQueueFilter, "is_sensitive"]
    search_fields = ["title", "tagline", "pillar_label"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "related_hubs"]
    inlines = [HubCitationInline, FAQInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "tagline", "pillar_label", "author", "is_published", "order"]}),
        ("Content", {"fields": ["intro", "key_takeaways", "body", "faq_heading"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt"]}),
        ("Related", {"fields": ["related_hubs", "is_sensitive"]}),
        ("SEO", {"classes": ["collapse"], "fields": ["seo_title", "meta_description"]}),
    ]
