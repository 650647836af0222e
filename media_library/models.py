"""The media library: images that article and hub bodies show as figures.

A body names an image by its key, `![alt](image:12)`. The renderer (mindlab/markdown.py) stores only a
placeholder made from the body's own text; the figure (file, srcset, size, caption, credit) is made from the
Image row when the page is rendered (`ImageQuerySet.expand()`), inside fragments cached on the content version,
which every Image write moves. So an edited caption or a new file shows on every page at once, with no page
re-saved, and no page stores a copy of what an image shows.

Where an image is used is asked of the pages themselves (`Image.used_in()`): no stored bookkeeping to drift.
"""

from functools import partial

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Func, OuterRef, ProtectedError, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.html import format_html, format_html_join

from mindlab import images
from mindlab.markdown import IMAGE_PLACEHOLDER, image_placeholder
from mindlab.models import ContentQuerySet, Page, Status
from mindlab.uploads import GeneratedName, WebImageField, delete_files

# The Markdown fields of pages that may name images; a page model has some of them.
BODY_FIELDS = ("intro", "body")
# The body column is at most 44rem wide (static/css/site.css, .layout__main); a phone shows the full width.
FIGURE_SIZES = "(min-width: 48rem) 44rem, calc(100vw - 2.5rem)"


def reference(pk):
    return f"image:{pk}"


def referenced_ids(text):
    """The image keys a rendered body's placeholders name, in order."""
    keys = (image_placeholder(match)[0] for match in IMAGE_PLACEHOLDER.finditer(text or ""))
    return [key for key in keys if key is not None]


def page_models():
    return [model for model in apps.get_models() if issubclass(model, Page)
            and any(field.name in BODY_FIELDS for field in model._meta.get_fields())]


class ImageQuerySet(ContentQuerySet):
    def search(self, query):
        query = (query or "").strip()
        if not query:
            return self
        return self.filter(Q(title__icontains=query) | Q(alt__icontains=query) | Q(caption__icontains=query)
                           | Q(credit__icontains=query) | (Q(pk=query) if query.isdigit() else Q(pk__in=[])))

    def expand(self, body_html):
        """A rendered body with each image placeholder replaced by its figure: one query for all of them, none
        when there are none. A placeholder naming no image (a mistyped key) shows nothing."""
        if not IMAGE_PLACEHOLDER.search(body_html or ""):
            return body_html
        found = self.in_bulk(referenced_ids(body_html))

        def figure(match):
            key, alt = image_placeholder(match)
            return found[key].figure_html(alt) if key in found else ""

        return IMAGE_PLACEHOLDER.sub(figure, body_html)

    def with_use_count(self):
        """Annotate `use_count`: how many pages (revisions included) name each image, as `used_in()` finds them,
        in subqueries of the one query that lists the images."""
        counts = []
        for model in page_models():
            names = Q()
            for field in (field.name for field in model._meta.get_fields() if field.name in BODY_FIELDS):
                for end in (")", " "):
                    written = Concat(Value("(image:"), Cast(OuterRef("pk"), models.CharField()), Value(end))
                    names |= Q(**{f"{field}__contains": written})
            pages = model.objects.filter(names).order_by().values(n=Func(F("pk"), function="COUNT"))
            counts.append(Coalesce(Subquery(pages), 0))
        return self.annotate(use_count=sum(counts[1:], counts[0]))

    def delete(self):
        images_ = list(self)
        pages = [page for image in images_ for page in image.used_in()]
        if pages:
            raise ProtectedError(in_use_message(pages), pages)
        result = super().delete()
        for image in images_:
            transaction.on_commit(partial(_delete_stored_files, image))
        return result


class Image(models.Model):
    file = WebImageField(
        upload_to=GeneratedName("images"), width_field="width", height_field="height",
        help_text="JPEG, PNG or WebP, at most 5 MB and 40 megapixels; 1,440 px wide or more is best.",
    )
    title = models.CharField(
        max_length=200, blank=True,
        help_text="To find the image in the library; never shown to readers. Leave empty to use the alt text.",
    )
    alt = models.CharField(
        "alt text", max_length=250,
        help_text="What the image shows, for readers who cannot see it. Required. A body may give its own: "
                  "![alt text](image:12); empty brackets use this one.",
    )
    caption = models.CharField(
        max_length=300, blank=True, help_text="Shown under the image, as plain text. Optional."
    )
    credit = models.CharField(
        max_length=200, blank=True, help_text='Who made the image, e.g. "Photo: Ana Ruiz / CC BY 4.0". Optional.'
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.title or self.alt

    @transaction.atomic
    def save(self, *args, **kwargs):
        """Save the row, then make the WebP renditions of a new file (mindlab/images.py), in one transaction: an
        image that cannot be stored or read is a ValidationError on `file`, and leaves no file behind."""
        self.title = self.title.strip()
        stored = type(self).objects.filter(pk=self.pk).only("file", "renditions").first() if self.pk else None
        new_file = not (stored and stored.file.name == self.file.name and stored.renditions.get("source"))
        self.renditions = {} if new_file else stored.renditions
        try:
            super().save(*args, **kwargs)
            if new_file:
                try:
                    self.renditions, (self.width, self.height) = images.make_renditions(self.file)
                except ValidationError as error:
                    raise ValidationError({"file": error.messages}) from error
                type(self).objects.filter(pk=self.pk).update(
                    renditions=self.renditions, width=self.width, height=self.height
                )
        except BaseException:
            if new_file:
                images.delete_renditions(self.renditions, self.file.storage)
                if self.file.name and self.file.name != (stored.file.name if stored else None):
                    delete_files(self.file.storage, [self.file.name])
            raise
        if stored and stored.file.name != self.file.name:  # replaced: the old file and its renditions go after commit
            transaction.on_commit(partial(_delete_stored_files, stored))

    def delete(self, *args, **kwargs):
        pages = self.used_in()
        if pages:
            raise ProtectedError(in_use_message(pages), pages)
        stored = type(self).objects.filter(pk=self.pk).only("file", "renditions").first()
        result = super().delete(*args, **kwargs)
        if stored:
            transaction.on_commit(partial(_delete_stored_files, stored))
        return result

    @property
    def reference(self):
        return reference(self.pk)

    @property
    def markdown(self):
        """What the editor's "Insert image" puts in a body."""
        return f"![]({self.reference})"

    def clean(self):
        super().clean()
        self.alt = self.alt.strip()
        if not self.alt:
            raise ValidationError({"alt": "Describe what the image shows: readers who cannot see it hear this."})

    def used_in(self):
        """Every page whose Markdown names this image, live pages, drafts and pending revisions alike: asked of
        the pages each time, so it can never disagree with them."""
        if not self.pk:
            return []
        written = (f"({self.reference})", f"({self.reference} ")
        pages = []
        for model in page_models():
            fields = [field.name for field in model._meta.get_fields() if field.name in BODY_FIELDS]
            names = Q()
            for field in fields:
                for text in written:
                    names |= Q(**{f"{field}__contains": text})
            pages += list(model.objects.filter(names).select_related("draft_of").order_by("pk"))
        return pages

    # What a page shows.

    @property
    def src(self):
        return images.widest_url(self.renditions, self.file.storage) or self.file.url

    @property
    def srcset(self):
        return images.srcset(self.renditions, self.file.storage)

    @property
    def thumbnail_url(self):
        sizes = self.renditions.get("sizes") or []
        return self.file.storage.url(sizes[0]["name"]) if sizes else self.file.url

    def figure_html(self, alt=""):
        """The <figure> a body shows: the alt the body gives, or the image's own."""
        caption = format_html_join(" ", '<span class="figure__{}">{}</span>', [
            (kind, text) for kind, text in (("caption", self.caption), ("credit", self.credit)) if text
        ])
        return format_html(
            '<figure class="figure"><img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" loading="lazy" '
            'decoding="async" alt="{}">{}</figure>',
            self.src, self.srcset, FIGURE_SIZES, self.width or "", self.height or "", alt or self.alt,
            format_html("<figcaption>{}</figcaption>", caption) if caption else "",
        )


def in_use_message(pages):
    return "This image is used in " + "; ".join(describe(page) for page in pages) + \
        ". Take it out of their bodies first, then delete it."


def describe(page):
    kind, status = page._meta.verbose_name, Status(page.workflow_status).label.lower()
    if page.draft_of_id:
        return f'the pending revision ({status}) of the {kind} "{page.draft_of.title}"'
    return f'the {kind} "{page.title}" ({status})'


def _delete_stored_files(stored):
    images.delete_renditions(stored.renditions, stored.file.storage)
    delete_files(stored.file.storage, [stored.file.name])
