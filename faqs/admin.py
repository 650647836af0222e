import re

from django import forms
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet

from .models import FAQ, FAQGroup


class FAQInline(admin.StackedInline):
    """Used on the hub and article change forms, so each FAQ is written beside its page."""

    model = FAQ
    extra = 0
    fields = ["question", "answer", "order"]


class FAQGroupFormSet(BaseInlineFormSet):
    """A group is not deleted while a question in the same form is put in it (the database would refuse the
    question after the group is gone). A group that holds stored questions is refused by the admin itself."""

    def clean(self):
        super().clean()
        chosen = {value for key, value in self.data.items()
                  if re.fullmatch(r"faqs-\d+-group", key) and not self.data.get(f"{key[:-len('group')]}DELETE")}
        for form in self.deleted_forms:
            if form.instance.pk and str(form.instance.pk) in chosen:
                raise forms.ValidationError(f"“{form.instance}” is chosen for a question below: choose another "
                                            "group for it, or keep this one.")


class FAQGroupInline(admin.TabularInline):
    """A hub's FAQ groups, each a heading of its own; its questions are in the FAQ inline below it."""

    model = FAQGroup
    formset = FAQGroupFormSet
    extra = 0
    fields = ["heading", "order"]
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 70})}}
    verbose_name_plural = "FAQ groups (headings); questions go in the FAQs below"


class HubFAQFormSet(BaseInlineFormSet):
    """A hub's FAQ may be put in one of that hub's groups only."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        hub = self.instance
        form.fields["group"].queryset = FAQGroup.objects.filter(hub=hub) if hub.pk else FAQGroup.objects.none()
        form.fields["group"].empty_label = "The first group"


class HubFAQInline(FAQInline):
    """A hub's FAQs, each in one of its groups (listed in the order readers see them)."""

    formset = HubFAQFormSet
    fields = ["group", "question", "answer", "order"]


def may_change_live(user, page):
    """An FAQ of a published page is reviewed text: only those who may publish the page change it here; others
    change it on the page's form, where the edit waits in the page's revision for a reviewer."""
    opts = page._meta
    return not page.has_published_status or user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


class FAQForm(forms.ModelForm):
    user = None

    def clean(self):
        cleaned_data = super().clean()
        page = cleaned_data.get("hub") or cleaned_data.get("article")
        if page is not None and not may_change_live(self.user, page):
            raise forms.ValidationError(
                f"“{page}” is published: add or change its FAQs on its own form, where a reviewer approves them.")
        return cleaned_data


@admin.register(FAQ)
class FAQAdmin(admin.ModelAdmin):
    form = FAQForm
    list_display = ["question", "hub", "group", "article", "order"]
    list_filter = ["hub"]
    search_fields = ["question", "answer"]
    autocomplete_fields = ["hub", "article"]
    fields = ["hub", "group", "article", "question", "answer", "order"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group":  # named with its hub: headings repeat from hub to hub
            kwargs["queryset"] = FAQGroup.objects.filter(hub__draft_of=None).select_related("hub")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda group: f"{group.hub} — {group}"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # A pending revision's FAQs are edited on the revision's own form.
        return super().get_queryset(request).filter(hub__draft_of=None, article__draft_of=None)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_change_live(request.user, obj.parent))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_change_live(request.user, obj.parent))
