from django.contrib import admin

from mindlab.admin import SaveErrorsAdminMixin, ViewOnSiteAdminMixin

from .models import Author, Credential, FeaturedIn, ProfileLink


class CredentialInline(admin.TabularInline):
    model = Credential
    extra = 0


class FeaturedInInline(admin.TabularInline):
    model = FeaturedIn
    extra = 0


class ProfileLinkInline(admin.TabularInline):
    model = ProfileLink
    extra = 0


@admin.register(Author)
class AuthorAdmin(SaveErrorsAdminMixin, ViewOnSiteAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "role"]
    list_filter = ["kind"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CredentialInline, FeaturedInInline, ProfileLinkInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "role", "short_bio", "bio"]}),
        ("Headshot", {"fields": ["headshot", "headshot_alt"]}),
    ]
