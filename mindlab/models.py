from functools import partial

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property

from . import images, search
from .cache import content_changed
from .redirects import record_move
from .uploads import GeneratedName, WebImageField, delete_files


class ContentQuerySet(models.QuerySet):
    """The queryset of every content model: the writes that send no signals move the content version too,
    so no path of writing (`update()`, `bulk_create()`, `bulk_update()`) can leave a cached page stale."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            content_changed()
        return rows

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        content_changed()
        return created

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        if rows:
            content_changed()
        return rows


class PageQuerySet(ContentQuerySet):
    """What the querysets of every kind of page share. A subclass defines `published(at)` and names the
    columns and relations its public page reads in `for_page()`."""

    def next_visibility_change(self):
        """The next moment one of these pages appears or disappears by the clock alone (None: never)."""
        return None

    def for_queue(self):
        """What a row of the review queue shows: the title, who submitted it and when; oldest first."""
        return (
            self.select_related("submitted_by")
            .only("title", "draft_of", "submitted_at", "submitted_by__username", "submitted_by__first_name",
                  "submitted_by__last_name")
            .order_by(models.F("submitted_at").asc(nulls_first=True), "pk")
        )


class Page(models.Model):
    """What every public page (hub or article) carries: SEO fields, a hero image, key takeaways.

    Saving a page is the same sequence for every kind: derive the rendered fields from the page's own fields
    (`derive()`), save, leave a redirect if a public page moved, make the renditions of a new hero and store
    the search index (`search_texts()`), all in one transaction. A failure anywhere rolls the row back and
    deletes the files the save stored; an image that cannot be stored or resized is a ValidationError on
    `hero_image`, which the admin shows beside the field. `visibility_fields` are the columns
    `is_published` reads; `credited_fields` the people the page names with their credentials.
    """

    visibility_fields = ()
    credited_fields = ()

    seo_title = models.CharField(
        "SEO title", max_length=70, blank=True,
        help_text="For search results and sharing; the title is used when empty.",
    )
    meta_description = models.CharField(
        max_length=160, blank=True, help_text="At most 160 characters, shown under the title in search results."
    )
    key_takeaways = models.TextField(
        blank=True, help_text="One takeaway per line, plain text. Shown in a box at the top of the page."
    )
    hero_image = WebImageField(
        upload_to=GeneratedName("heroes"), blank=True, width_field="hero_width", height_field="hero_height",
        help_text="JPEG, PNG or WebP, at most 5 MB and 40 megapixels; 1,440 px wide or more is best.",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(
        "hero alt text", max_length=200, blank=True, help_text="What the image shows. Required with a hero image."
    )
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @transaction.atomic  # the row, its redirect and its search index move the content version once, together
    def save(self, *args, **kwargs):
        self.derive()
        stored = self.stored_row()
        old_url = stored.get_absolute_url() if stored and stored.is_published else None
        kept = self.keep_hero_renditions(stored)
        files = self.file_names()
        try:
            super().save(*args, **kwargs)
            self.leave_redirect_from(old_url)
            if not kept:
                self.save_hero_renditions()
            self.update_search_vector()
        except BaseException:
            self.forget_files_stored_since(files, kept)
            raise
        if stored and not kept:  # replaced or cleared: the old renditions go once the new row is committed
            made = {size["name"] for size in self.hero_renditions.get("sizes", [])}
            transaction.on_commit(
                partial(images.delete_renditions, stored.hero_renditions, self.hero_image.storage, keep=made)
            )

    def update_search_vector(self):
        search.write_vector(type(self).objects.all(), self.pk, self.search_texts())

    def stored_row(self):
        """What the save in progress replaces: the stored URL fields and hero, or None for a new page."""
        if not self.pk:
            return None
        fields = ("slug", "hero_image", "hero_renditions", *self.visibility_fields)
        return type(self).objects.only(*fields).filter(pk=self.pk).first()

    def leave_redirect_from(self, old_url):
        """A published page that moved leaves a 301 at its old address."""
        if old_url and old_url != self.get_absolute_url():
            record_move(old_url, self.get_absolute_url())

    @property
    def hero_srcset(self):
        return images.srcset(self.hero_renditions, self.hero_image.storage)

    @property
    def hero_src(self):
        """The widest rendition: what a browser without srcset loads (the original may be far larger)."""
        return images.widest_url(self.hero_renditions, self.hero_image.storage) or self.hero_image.url

    def keep_hero_renditions(self, stored):
        """Whether the stored renditions still fit the hero: same image, made for it. They are taken from the
        stored row, never from this instance, which may be an old version being restored."""
        name = self.hero_image.name
        kept = bool(stored and name and name == stored.hero_image.name
                    and stored.hero_renditions.get("source") == name)
        self.hero_renditions = stored.hero_renditions if kept else {}
        return kept

    def save_hero_renditions(self):
        """Make the responsive sizes of a new hero: once per image, never per request. Called after the row is
        saved, when the upload is in storage under its final name. Failure is a ValidationError on the hero."""
        if not self.hero_image:
            return
        try:
            self.hero_renditions, (self.hero_width, self.hero_height) = images.make_renditions(self.hero_image)
        except ValidationError as error:
            raise ValidationError({"hero_image": error.messages}) from error
        type(self).objects.filter(pk=self.pk).update(
            hero_renditions=self.hero_renditions, hero_width=self.hero_width, hero_height=self.hero_height
        )

    def file_names(self):
        deferred = self.get_deferred_fields()
        return {field.attname: getattr(self, field.attname).name for field in self._meta.concrete_fields
                if isinstance(field, models.FileField) and field.attname not in deferred}

    def forget_files_stored_since(self, names, kept):
        """A save that failed leaves no file behind: the uploads it stored (a stored upload gets its final
        name) and the renditions it made. The uploads of earlier versions are kept (see docs/editors.md)."""
        if not kept:
            images.delete_renditions(self.hero_renditions, self.hero_image.storage)
        for attname, name in names.items():
            file = getattr(self, attname)
            if file.name and file.name != name:
                delete_files(file.storage, [file.name])

    # Every kind of page cites references and answers FAQs; each list is read once per rendering, and not at
    # all while the fragments that show it are cached.

    @cached_property
    def citation_list(self):
        return list(self.citations.select_related("reference"))

    @cached_property
    def faq_list(self):
        return list(self.faqs.all())

    @cached_property
    def people(self):
        """The people the page credits (`credited_fields`: author, reviewer), their credentials in one query."""
        people = [person for person in (getattr(self, name) for name in self.credited_fields) if person]
        prefetch_related_objects(people, "credentials")
        return people

    @property
    def takeaways(self):
        return [line.strip().lstrip("-•* ").strip() for line in self.key_takeaways.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError({"hero_alt": "Add alt text that describes the hero image."})


class HttpsURLField(models.URLField):
    """A URL field whose form adds https:// (not http://) to an address typed without a scheme."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


DEFAULT_DISCLAIMER = (
    "This content explains neuroscience research for general education. It is not medical advice and does "
    "not replace diagnosis or treatment by a qualified clinician who knows your situation. Do not start, stop "
    "or change any treatment on the strength of what you read here."
)
DEFAULT_CRISIS_NOTICE = (
    "If you are thinking about suicide or are in crisis, call or text 988 to reach the 988 Suicide & Crisis "
    "Lifeline (US), any time of day. If you are in immediate danger, call 911."
)


class SiteSettings(models.Model):
    """Site-wide texts staff can edit without a deploy. There is one row; `current()` reads it. The parts of
    pages that show it are fragments cached on the content version, so it is read only when they are rendered."""

    disclaimer = models.TextField(
        default=DEFAULT_DISCLAIMER, help_text="Shown at the foot of hubs and articles; an article can replace it."
    )
    crisis_notice = models.TextField(
        default=DEFAULT_CRISIS_NOTICE,
        help_text="Shown in the footer of every page and at the top of articles on sensitive hubs or tags.",
    )
    crisis_phone = models.CharField(
        max_length=20, default="988", help_text="Number for the call and text links beside the crisis notice."
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]
