from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from taggit.models import Tag as TaggitTag

from faqs.admin import FAQInline
from hubs.models import Hub
from media_library.admin import BodyImagesAdminMixin
from mindlab import seo
from mindlab.admin import SaveErrorsAdminMixin, VersionsAdminMixin, ViewOnSiteAdminMixin
from mindlab.cache import PREVIEW_FRAGMENTS
from mindlab.editor import MarkdownEditorAdminMixin
from mindlab.seo_admin import PageForm
from mindlab.workflow import CitationInlineMixin, RevisionsFilter, StateFilter, WorkflowAdminMixin
from references.cite_admin import PasteCitationsAdminMixin

from .models import REVIEW_DUE_SOON_DAYS, STATES, Article, ArticleCitation, Tag
from .views import ArticleDetailView
from .word_import import WordImportAdminMixin

# Articles use their own tag model (it can mark a topic as sensitive); taggit's generic one is unused.
admin.site.unregister(TaggitTag)

REVIEW_FIELDS = ("reviewer", "last_reviewed", "review_note", "review_interval_months")


@admin.register(Tag)
class TagAdmin(ViewOnSiteAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "is_sensitive"]
    list_filter = ["is_sensitive"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ArticleForm(PageForm):
    rule_fields = ("reviewer", "last_reviewed")


class ArticleCitationInline(CitationInlineMixin, admin.TabularInline):
    model = ArticleCitation
    extra = 0
    autocomplete_fields = ["reference"]
    publish_permission = "articles.publish_article"


class ReviewDueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue (published)"),
            ("soon", f"Due in the next {REVIEW_DUE_SOON_DAYS} days"),
            ("never", "Never reviewed"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "soon":
            return queryset.review_due_soon()
        if self.value() == "never":
            return queryset.filter(last_reviewed__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(BodyImagesAdminMixin, MarkdownEditorAdminMixin, WordImportAdminMixin, SaveErrorsAdminMixin,
                   ViewOnSiteAdminMixin, PasteCitationsAdminMixin, WorkflowAdminMixin, VersionsAdminMixin,
                   admin.ModelAdmin):
    form = ArticleForm
    markdown_fields = {"body": "70vh"}
    publish_permission = "articles.publish_article"
    model_states = STATES
    change_form_template = "admin/articles/article/change_form.html"
    versions_review_fields = ("reviewer", "last_reviewed")
    list_display = ["title", "state", "publish_at", "primary_hub", "author", "reviewer", "review_due", "updated"]
    list_filter = [RevisionsFilter, StateFilter, ReviewDueFilter, "primary_hub", "author", "tags"]
    search_fields = ["title", "slug", "excerpt"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["primary_hub", "hubs", "author", "reviewer", "related_articles"]
    inlines = [ArticleCitationInline, FAQInline]
    actions = ["submit_for_review", "publish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "excerpt", "primary_hub", "hubs", "tags", "author"]}),
        ("Content", {"fields": ["key_takeaways", "body", "reading_time_override"]}),
        ("Publishing", {"fields": ["publish_at", "expire_at", "content_updated", "mark_updated"]}),
        ("Medical review", {"fields": list(REVIEW_FIELDS)}),
        ("Review decision", {"fields": ["decision_comment"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt"]}),
        ("Audio version", {"classes": ["collapse"], "fields": ["audio_file", "audio_url", "audio_duration"]}),
        ("Related articles", {"classes": ["collapse"], "fields": ["related_articles"]}),
        ("Disclaimer", {"classes": ["collapse"], "fields": ["disclaimer_position", "disclaimer"]}),
        ("Search results and sharing", {"fields": ["seo_title", "meta_description"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Editors see the review record; only reviewers write it.
        return fields if request.user.has_perm("articles.review_article") else [*fields, *REVIEW_FIELDS]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("primary_hub", "author", "reviewer")

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        drafts = queryset.filter(status__in=[Article.Status.DRAFT, Article.Status.CHANGES_REQUESTED])
        for article in drafts:
            article.submit(request.user)
        self.message_user(request, f"{len(drafts)} draft(s) submitted for review.")

    @admin.action(description="Approve and publish selected articles", permissions=["publish"])
    def publish(self, request, queryset):
        self.publish_each(request, queryset.exclude(status=Article.Status.PUBLISHED))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("dashboard/", view(self.dashboard_view), name="articles_article_dashboard"),
            path("add/preview/", view(self.preview_view), name="articles_article_preview_new"),
            path("<path:object_id>/change/preview/", view(self.preview_view), name="articles_article_preview"),
            *super().get_urls(),
        ]

    def dashboard_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        everything = Article.objects.select_related("primary_hub").order_by("title")
        articles = everything.live_pages()
        now = timezone.now()
        sections = [
            ("Medical review expired", "Published and reviewed once, but past the review interval: review again.",
             articles.review_expired().order_by("review_due")),
            ("Never medically reviewed", "Published with no medical review recorded.", articles.never_reviewed()),
            (f"Review due in the next {REVIEW_DUE_SOON_DAYS} days", "", articles.review_due_soon()),
            ("Waiting for review", "Submitted by an editor; a reviewer records the review and publishes.",
             everything.awaiting_review()),
            ("Scheduled", "Published with a future publish date; they appear by themselves.",
             articles.scheduled().order_by("publish_at")),
            ("Expiring within a week", "", articles.published().filter(expire_at__lte=now + timedelta(days=7))),
            ("Images without alt text", "A hero image or an image in the body has no description.",
             articles.missing_alt_text()),
            ("Missing meta description", "Search engines will write their own.", articles.missing_meta_description()),
            ("Search title or description outside the recommended lengths",
             f"The title in search results (with the site's name) over {seo.TITLE_MAX} characters, or a meta "
             f"description outside {seo.DESCRIPTION_MIN}–{seo.DESCRIPTION_MAX}. Hubs are listed below.",
             articles.seo_out_of_range()),
            ("No references", "Every article should cite its sources.", articles.without_references()),
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Editorial dashboard",
            "sections": [(title, note, list(queryset[:50]), queryset.count()) for title, note, queryset in sections],
            "broken_links": Article.objects.live_pages().with_broken_links(),
            "hubs_out_of_range": Hub.objects.live_pages().seo_out_of_range(),
        }
        return TemplateResponse(request, "admin/articles/dashboard.html", context)

    def preview_view(self, request, object_id=None):
        """The public page as it would look with the edits in the form, saved nowhere.

        The edits are saved inside a transaction, rendered, and rolled back, so the preview is exactly
        what the public template makes of them (tags, citations and FAQs included). New uploads are not
        previewed: a file would outlive the rollback.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and obj is None:
            raise Http404("No such article.")
        change = obj is not None
        if not (self.has_change_permission(request, obj) if change else self.has_add_permission(request)):
            raise PermissionDenied
        form = self.get_form(request, obj, change=change)(request.POST, instance=obj)
        form_valid = form.is_valid()
        article = self.save_form(request, form, change=change) if form_valid else form.instance
        formsets, _ = self._create_formsets(request, article, change=change)
        if not (form_valid and all_valid(formsets)):
            errors = [*form.errors.items(), *((f"{formset.prefix}", formset.errors) for formset in formsets
                                              if any(formset.errors))]
            return TemplateResponse(request, "admin/articles/article/preview_invalid.html", {
                **self.admin_site.each_context(request), "title": "Cannot preview yet", "errors": errors,
            }, status=400)
        with transaction.atomic():
            self.save_model(request, article, form, change)
            self.save_related(request, form, formsets, change)
            # An editor's edits of a public page are in its new revision: that is what they preview.
            response = self._render_public_page(request, getattr(request, "workflow_page", article))
            transaction.set_rollback(True)
        return response

    def _render_public_page(self, request, article):
        view = ArticleDetailView()
        view.setup(request, slug=article.slug)
        view.object = view.get_object()
        context = view.get_context_data(object=view.object)
        context["is_preview"] = True
        context.update(PREVIEW_FRAGMENTS)  # the unsaved text is neither read from nor written to a shared cache
        response = TemplateResponse(request, view.get_template_names(), context)
        response.render()
        return response
