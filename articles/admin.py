from django.contrib import admin
from taggit.models import Tag as TaggitTag

from faqs.admin import FAQInline
from mindlab.admin import PublishPermissionAdminMixin, PublishPermissionForm

from .models import Article, ArticleCitation, Tag

# Articles use their own tag model (it can mark a topic as sensitive); taggit's generic one is unused.
admin.site.unregister(TaggitTag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_sensitive"]
    list_filter = ["is_sensitive"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ArticleForm(PublishPermissionForm):
    publish_permission = "articles.publish_article"
    publish_field = "status"
    published_value = Article.Status.PUBLISHED


class ArticleCitationInline(admin.TabularInline):
    model = ArticleCitation
    extra = 0
    autocomplete_fields = ["reference"]


@admin.register(Article)
class ArticleAdmin(PublishPermissionAdminMixin, admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "status", "publish_at", "primary_hub", "author", "reviewer", "last_reviewed", "updated"]
    list_filter = ["status", "primary_hub", "author", "tags"]
    search_fields = ["title", "slug", "excerpt"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["primary_hub", "hubs", "author", "reviewer", "related_articles"]
    inlines = [ArticleCitationInline, FAQInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "excerpt", "primary_hub", "hubs", "tags", "author"]}),
        ("Content", {"fields": ["key_takeaways", "body"]}),
        ("Review and publishing", {"fields": ["status", "publish_at", "reviewer", "last_reviewed"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt"]}),
        ("Audio version", {"classes": ["collapse"], "fields": ["audio_file", "audio_url", "audio_duration"]}),
        ("Related articles", {"classes": ["collapse"], "fields": ["related_articles"]}),
        ("Disclaimer", {"classes": ["collapse"], "fields": ["disclaimer"]}),
        ("SEO", {"classes": ["collapse"], "fields": ["seo_title", "meta_description"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm("articles.review_article"):
            return ()
        return ("reviewer", "last_reviewed")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("primary_hub", "author", "reviewer")
