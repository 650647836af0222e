from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property

from . import search
from .cache import content_changed
from .images import renditions, srcset
from .redirects import record_move
from .uploads import GeneratedName, validate_image_size


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


class Page(models.Model):
    """What every public page (hub or article) carries: SEO fields, a hero image, key takeaways.

    Saving a page is the same sequence for every kind: derive the rendered fields from the page's own fields
    (`derive()`), keep the hero's size, save, leave a redirect if a public page moved, make the hero's
    renditions and store the search index (`search_texts()`). `visibility_fields` are the columns
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
    hero_image = models.ImageField(
        upload_to=GeneratedName("heroes"), blank=True, width_field="hero_width", height_field="hero_height",
        validators=[validate_image_size], help_text="JPEG, PNG or WebP, at most 5 MB; wider than 1,440 px is best.",
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
        self.fill_hero_dimensions()
        old_url = self.public_url_before_save()
        super().save(*args, **kwargs)
        self.leave_redirect_from(old_url)
        self.save_hero_renditions()
        self.update_search_vector()

    def update_search_vector(self):
        search.write_vector(type(self).objects.all(), self.pk, self.search_texts())

    def public_url_before_save(self):
        """The URL this page was public at before the save in progress, or None (new, or not public)."""
        if not self.pk:
            return None
        was = type(self).objects.only("slug", *self.visibility_fields).filter(pk=self.pk).first()
        return was.get_absolute_url() if was and was.is_published else None

    def leave_redirect_from(self, old_url):
        """A published page that moved leaves a 301 at its old address."""
        if old_url and old_url != self.get_absolute_url():
            record_move(old_url, self.get_absolute_url())

    @property
    def hero_srcset(self):
        return srcset(self.hero_renditions)

    def fill_hero_dimensions(self):
        """Store the hero's size: FieldFile.save() does not refresh it, and a page whose size is missing would
        open the image file every time it is loaded (and fail if the file has gone)."""
        if self.hero_image and not (self.hero_width and self.hero_height):
            self.hero_width, self.hero_height = self.hero_image.width, self.hero_image.height

    def save_hero_renditions(self):
        """Make the responsive sizes of a newly uploaded hero image: once per upload, never per request.

        Called after the row is saved, when the upload is in storage.
        """
        if self.hero_renditions.get("source") == (self.hero_image.name or None):
            return
        wanted = renditions(self.hero_image) if self.hero_image else {}
        if wanted != self.hero_renditions:
            self.hero_renditions = wanted
            type(self).objects.filter(pk=self.pk).update(hero_renditions=wanted)

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
