from django.contrib import admin

from media_library.admin import BodyImagesAdminMixin
from mindlab.admin import SaveErrorsAdminMixin, VersionsAdminMixin, ViewOnSiteAdminMixin
from mindlab.editor import MarkdownEditorAdminMixin
from mindlab.seo_admin import PageForm
from mindlab.workflow import RevisionsFilter, StateFilter, WorkflowAdminMixin

from .models import NavigationLink, Page


@admin.register(Page)
class PageAdmin(BodyImagesAdminMixin, MarkdownEditorAdminMixin, SaveErrorsAdminMixin, ViewOnSiteAdminMixin,
                WorkflowAdminMixin, VersionsAdminMixin, admin.ModelAdmin):
    form = PageForm
    markdown_fields = {"body": "70vh"}
    publish_permission = "pages.publish_page"
    list_display = ["title", "slug", "state", "updated"]
    list_filter = [RevisionsFilter, StateFilter]
    search_fields = ["title", "body"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body"]}),
        ("Dates", {"fields": ["content_updated", "mark_updated"]}),
        ("Search results and sharing", {"fields": ["seo_title", "meta_description", "hero_image", "hero_alt"],
                                        "description": "The image is used only when the page is shared."}),
        ("Review decision", {"fields": ["decision_comment"]}),
    ]


@admin.register(NavigationLink)
class NavigationLinkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "menu", "order", "target"]
    list_editable = ["order"]
    list_filter = ["menu"]
    autocomplete_fields = ["hub", "page"]
    fieldsets = [
        (None, {"fields": ["menu", "order", "label"]}),
        ("Links to (exactly one)", {
            "fields": ["hub", "page", "built_in", "url"],
            "description": "A link to a hub or page that is not published is not shown until it is.",
        }),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("hub", "page")

    @admin.display(description="links to")
    def target(self, link):
        return link.link()["url"]
