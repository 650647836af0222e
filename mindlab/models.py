from functools import partial
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Case, IntegerField, Q, Value, When, prefetch_related_objects
from django.db.models.functions import Coalesce, Length, NullIf
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst

from . import images, search, seo, signals
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


class Status(models.TextChoices):
    """Where a page (or a pending revision of one) is in the editorial workflow."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "review", "In review"
    CHANGES_REQUESTED = "changes", "Changes requested"
    PUBLISHED = "published", "Published"


class PageQuerySet(ContentQuerySet):
    """What the querysets of every kind of page share. A subclass defines `published(at)` and names the
    columns and relations its public page reads in `for_page()`; its model says how a status is stored
    (`status_q()`)."""

    def next_visibility_change(self):
        """The next moment one of these pages appears or disappears by the clock alone (None: never)."""
        return None

    def live_pages(self):
        """The pages themselves, without their pending revisions (which are never public)."""
        return self.filter(draft_of__isnull=True)

    def revisions(self):
        """Pending revisions of live pages."""
        return self.filter(draft_of__isnull=False)

    def in_status(self, status):
        return self.filter(self.model.status_q(status))

    def in_state(self, state):
        """What the lists call a state; a kind of page with a schedule tells more states than its statuses."""
        return self.in_status(state)

    def awaiting_review(self):
        """Submitted and not yet decided: new pages and pending revisions."""
        return self.in_status(Status.IN_REVIEW)

    def changes_requested(self):
        return self.in_status(Status.CHANGES_REQUESTED)

    def seo_out_of_range(self):
        """Pages whose title in search results is longer than recommended, or whose meta description is written
        but outside the recommended range (an empty one is `missing_meta_description()`)."""
        written = Coalesce(NullIf("seo_title", Value("")), "title")
        title_length = Case(
            When(seo_title__icontains=settings.SITE_NAME, then=Length("seo_title")),
            default=Length(written) + len(seo.title_suffix()), output_field=IntegerField(),
        )
        description_length = Length("meta_description")
        return self.alias(title_length=title_length, description_length=description_length).filter(
            Q(title_length__gt=seo.TITLE_MAX)
            | Q(description_length__gt=0, description_length__lt=seo.DESCRIPTION_MIN)
            | Q(description_length__gt=seo.DESCRIPTION_MAX)
        )

    def missing_meta_description(self):
        return self.filter(meta_description="")

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

    The editorial workflow: a page is a draft, in review, changes requested or published (`workflow_status`).
    Once it has a published status, its text changes through its *pending revision* (`start_revision()`): a
    row of the same model with `draft_of` pointing at it, never public, with copies of its relations
    (`revision_m2m`, `revision_children`). `approve()` carries a revision onto the live page in one
    transaction. `publish()`, `submit()`, `request_changes()` and `unpublish()` are the one way every path
    (admin form, bulk action, shell, importer) moves a page; `publishing_problems()` says what stops it.
    """

    visibility_fields = ()
    credited_fields = ()
    # What a pending revision carries its own copy of, and approving it carries back: many-to-many fields, and
    # the rows that belong to one page (the reverse names of citations and FAQs).
    revision_m2m = ()
    revision_children = ("citations", "faqs")
    # Fields that change no word a reader sees: changed alone, they apply to a live page at once.
    live_edit_fields = ()
    # Fields a restore never brings back (besides the address, visibility and workflow).
    restore_kept_fields = ()
    # What the versions page calls a list of rows that belong to the page (many-to-many fields use their own name).
    list_labels = {"citations": "References", "faqs": "FAQs"}
    can_schedule = False
    stored_fields = ()  # more columns `check_before_save()` compares with the stored row
    workflow_fields = ("draft_of", "submitted_by", "submitted_at", "decided_by", "decided_at", "decision_comment")

    draft_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, editable=False, related_name="revisions",
        verbose_name="revision of", help_text="The live page this row is the pending revision of.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_comment = models.TextField(
        "comment for the editor", blank=True,
        help_text="Required when you request changes: what to change. The editor sees it on the form and in the list.",
    )

    seo_title = models.CharField(
        "SEO title", max_length=200, blank=True,
        help_text="For search results and sharing; the title is used when empty. The site's name is added after "
        "it (“ | MindLAB Neuroscience”) unless it already contains it. Search results show about 60 characters "
        "of the whole title; nothing is cut from what you write.",
    )
    meta_description = models.CharField(
        max_length=320, blank=True,
        help_text="Shown under the title in search results and when the page is shared: 120–160 characters is "
        "best (longer ones are cut short by search engines, never here). Stored and sent whole.",
    )
    content_updated = models.DateTimeField(
        "last updated", null=True, blank=True,
        help_text="The “Updated” date readers and search engines see. Set it when the content changes in "
        "substance (tick “Mark as updated”), not for a typo; an import can bring in an older date. Empty: the "
        "publication date.",
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
        self.normalize_newlines()
        if not self.slug:  # a page made without the admin (an importer, the shell): the admin's suggestion
            self.slug = self.suggested_slug()
        self.derive()
        stored = self.stored_row()
        self.check_before_save(stored)
        old_url = stored.get_absolute_url() if stored and stored.is_published else None
        kept = self.keep_hero_renditions(stored, getattr(self, "_renditions_from", None))
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
        if stored and stored.hero_renditions != self.hero_renditions:  # replaced or cleared: they go after the commit
            in_use = {size["name"] for size in self.hero_renditions.get("sizes", [])} | self.renditions_shared()
            transaction.on_commit(
                partial(images.delete_renditions, stored.hero_renditions, self.hero_image.storage, keep=in_use)
            )

    def suggested_slug(self):
        """`seo.suggest_slug()` of the title, made unique with -2, -3… (whole words still) if another page has
        it. A slug, once set, is never changed by a save."""
        slug, n = seo.suggest_slug(self.title) or "page", 1
        while type(self).objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            suffix = f"-{n}"
            slug = (seo.suggest_slug(self.title, seo.SLUG_MAX - len(suffix)) or "page") + suffix
        return slug

    def normalize_newlines(self):
        """Browsers send a textarea's lines ending in CR LF: stored as LF, an unchanged text stays equal to itself
        (versions, a revision and its page, the reviewed text)."""
        deferred = self.get_deferred_fields()
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname) if field.attname not in deferred else None
            if isinstance(field, models.TextField) and isinstance(value, str) and "\r" in value:
                setattr(self, field.attname, value.replace("\r\n", "\n").replace("\r", "\n"))

    def check_before_save(self, stored):
        """A subclass refuses a save that breaks a rule the database cannot check (ValidationError)."""

    # The editorial workflow. Each step saves, records a version with its reason, and tells the people concerned
    # once the transaction commits (mindlab/signals.py).

    @property
    def workflow_status(self):
        raise NotImplementedError

    def set_workflow_status(self, status):
        raise NotImplementedError

    @classmethod
    def status_q(cls, status):
        raise NotImplementedError

    @property
    def has_published_status(self):
        """Published, whether live, scheduled or expired: its text changes only through a pending revision."""
        return self.workflow_status == Status.PUBLISHED

    @classmethod
    def page_fields(cls):
        """The fields of the page itself, which a revision never carries: its address and visibility."""
        return ("slug", *(name for name in cls.visibility_fields if cls._meta.get_field(name).editable))

    @property
    def pending_revision(self):
        return None if self.draft_of_id else self.revisions.first()

    @classmethod
    def content_fields(cls):
        """What a revision takes from its page, approving carries back and a restore brings back: every column
        but the identity, the address, visibility, the workflow and what the database keeps for itself."""
        skipped = {"id", "slug", "created", "updated", "search_vector", *cls.visibility_fields, *cls.workflow_fields}
        return [field for field in cls._meta.concrete_fields if field.name not in skipped]

    def publishing_problems(self, citations=None):
        """What stops this page from being published, as {field: message}; empty when nothing does."""
        return {}

    def start_revision(self, source=None, reason="Revision of the live page started"):
        """Open the pending revision of this live page: a never-public row of the same model, with its own
        address and its own copies of the page's relations. Its fields come from `source` (this page with
        unsaved edits, or an old version being restored) or from the page as stored."""
        if self.draft_of_id:
            raise ValueError("A revision has no revision of its own.")
        source = source or self
        revision = type(self)(**{
            field.attname: getattr(source, field.attname).name if isinstance(field, models.FileField)
            else getattr(source, field.attname)
            for field in self.content_fields()
        })
        revision.draft_of = self
        revision.slug = self.revision_slug()
        revision.set_workflow_status(Status.DRAFT)
        revision._renditions_from = self
        revision._change_reason = reason
        try:
            with transaction.atomic():
                revision.save()
        except IntegrityError as error:  # another editor opened one a moment ago: one revision per page
            if self.revisions.exists():
                raise ValidationError(
                    "This page already has a pending revision: make your changes there.", code="revision_exists"
                ) from error
            raise
        revision.copy_relations(self)
        revision.record_version_lists()  # its version was recorded before the lists were copied
        return revision

    def revision_slug(self):
        suffix = f"-revision-{uuid4().hex[:8]}"
        return self.slug[: self._meta.get_field("slug").max_length - len(suffix)] + suffix

    def copy_relations(self, source, move=False):
        """Give this page `source`'s many-to-many links, and copies of `source`'s citations and FAQs (with
        `move`, source's rows themselves). What this page had is replaced. `copied_rows` maps each copied
        model to {source row's pk: its copy's pk}."""
        for name in self.revision_m2m:
            getattr(self, name).set(list(getattr(source, name).all()))
        self.copied_rows = {}
        children = [(name, self._meta.get_field(name)) for name in self.revision_children]
        for _name, relation in reversed(children):  # a row may point at an earlier list's row (an FAQ at its group)
            relation.related_model.objects.filter(**{relation.field.name: self}).delete()
        for _name, relation in children:
            rows, parent = relation.related_model.objects, relation.field.name
            if move:
                rows.filter(**{parent: source}).update(**{parent: self})
                continue
            copies = list(rows.filter(**{parent: source}))
            originals = [row.pk for row in copies]
            for row in copies:
                row.pk, row._state.adding = None, True
                setattr(row, parent, self)
                point_at_copies(row, self.copied_rows)
            rows.bulk_create(copies)  # SQLite and PostgreSQL give the new rows their keys
            self.copied_rows[relation.related_model] = dict(zip(originals, (row.pk for row in copies), strict=True))

    # Versions of the whole page: each simple-history record of a page carries its related lists (`VersionedLists`).

    def version_lists(self):
        """The page's related lists as a version records them, {name: [item]}: each many-to-many field of
        `revision_m2m` as {"pk", "label"} sorted by label, and the rows of each `revision_children` relation in
        page order, each with its own fields (what `restore_lists()` needs) and its `label` (what the diff shows).
        A row's fields leave out its link to the page and its order: the list's order is the order."""
        lists = {}
        for name in self.revision_m2m:
            items = [{"pk": obj.pk, "label": str(obj)} for obj in getattr(self, name).all()]
            lists[name] = sorted(items, key=lambda item: (item["label"], item["pk"]))
        for name in self.revision_children:
            relation = self._meta.get_field(name)
            fields = _row_fields(relation.related_model)
            rows = relation.related_model._default_manager.filter(**{relation.field.name: self.pk})
            rows = rows.select_related(*(field.name for field in fields if field.is_relation))
            lists[name] = [{"pk": row.pk, "label": " — ".join(filter(None, (_shown(row, field) for field in fields))),
                            **{field.attname: getattr(row, field.attname) for field in fields}} for row in rows]
        return lists

    @classmethod
    def list_label(cls, name):
        """What the versions page calls one of the lists."""
        field = cls._meta.get_field(name)
        return cls.list_labels.get(name) or capfirst(getattr(field, "verbose_name", None) or name.replace("_", " "))

    def record_version_lists(self, since=0):
        """Write the lists as they stand now into this page's versions recorded after `since` (a history_id). A
        version takes the lists when it is recorded; the paths that write them after saving the page (the
        admin's inlines and many-to-many fields, `start_revision()`) call this in the same transaction."""
        self.history.filter(history_id__gt=since).update(related_lists=self.version_lists())

    def restore_lists(self, lists, names=None):
        """Give this page the lists of an old version (`lists` as `version_lists()` took them; only `names`, if
        given): its many-to-many links, its citations and FAQs in their order. What has been deleted since (a
        tag, a hub, a reference) cannot come back: returns its labels, and the rest is restored."""
        missing = []
        for name in self.revision_m2m:
            if name not in lists or (names is not None and name not in names):
                continue
            manager, model = getattr(self, name), self._meta.get_field(name).related_model
            found = model._default_manager.in_bulk([item["pk"] for item in lists[name]])
            manager.set([found[item["pk"]] for item in lists[name] if item["pk"] in found])
            missing += [item["label"] for item in lists[name] if item["pk"] not in found]
        children = [(name, self._meta.get_field(name)) for name in self.revision_children
                    if name in lists and (names is None or name in names)]
        for _name, relation in reversed(children):  # a row may point at an earlier list's row (an FAQ at its group)
            relation.related_model._default_manager.filter(**{relation.field.name: self}).delete()
        made = {}  # model: {pk in the version: pk of the row restored from it}
        for name, relation in children:
            model, parent = relation.related_model, relation.field.name
            fields = _row_fields(model)
            links = [field for field in fields if field.is_relation and field.related_model not in made]
            existing = {field.attname: set(field.related_model._default_manager.filter(
                pk__in=[item.get(field.attname) for item in lists[name]]).values_list("pk", flat=True))
                for field in links}
            made[model], order = {}, 0
            for item in lists[name]:
                if any(item.get(field.attname) is not None and item[field.attname] not in existing[field.attname]
                       for field in links):
                    missing.append(item["label"])
                    continue
                values = {field.attname: item[field.attname] for field in fields if field.attname in item}
                for field in fields:  # a link to a row restored above (an FAQ's group) goes to its new row
                    if field.is_relation and field.related_model in made and values.get(field.attname) is not None:
                        values[field.attname] = made[field.related_model].get(values[field.attname])
                row = model(**values, **{parent: self})
                if hasattr(row, "order"):
                    row.order, order = order, order + 1
                row.save()  # not bulk_create: a row derives fields on save (an FAQ's rendered answer)
                if "pk" in item:
                    made[model][item["pk"]] = row.pk
        return missing

    @transaction.atomic
    def approve(self, by=None, comment=""):
        """Carry this pending revision onto its live page, fields and relations (never its address or
        visibility), and delete it: the live page's history records the approval. Returns the live page."""
        if not self.draft_of_id:
            raise ValueError("Only a pending revision is approved; publish a page with publish().")
        problems = self.publishing_problems()
        if problems:
            raise ValidationError(problems)
        live = type(self).objects.select_for_update().get(pk=self.draft_of_id)
        live.copy_relations(self, move=True)
        for field in self.content_fields():
            value = getattr(self, field.attname)
            setattr(live, field.attname, value.name if isinstance(field, models.FileField) else value)
        live.submitted_by_id, live.submitted_at = self.submitted_by_id, self.submitted_at
        live.decided_by, live.decided_at, live.decision_comment = by, timezone.now(), comment
        live._renditions_from = self
        by_whom = f" submitted by {self.submitted_by}" if self.submitted_by else ""
        live._change_reason = f"Approved a revision{by_whom}"
        self.delete()
        live.save()
        _notify("decision_made", live)
        return live

    def publish(self, by=None, at=None, comment=""):
        """Make this page public now, or at `at` (scheduled), if nothing stops it (ValidationError with the
        problems otherwise); a pending revision is approved instead. The one call every path makes."""
        if self.draft_of_id:
            return self.approve(by, comment)
        problems = self.publishing_problems()
        if problems:
            raise ValidationError(problems)
        self.make_public(at)
        self.decided_by, self.decided_at, self.decision_comment = by, timezone.now(), comment
        scheduled = at is not None and at > timezone.now()
        self._change_reason = f"Scheduled for {timezone.localtime(at):%Y-%m-%d %H:%M}" if scheduled else "Published"
        self.save()
        _notify("decision_made", self)
        return self

    def make_public(self, at=None):
        raise NotImplementedError

    def submit(self, by=None):
        """Ask for a review: Reviewers are told."""
        if not self.draft_of_id and self.has_published_status:
            raise ValueError("A published page changes through its pending revision; submit that.")
        self.set_workflow_status(Status.IN_REVIEW)
        self.submitted_by, self.submitted_at = by, timezone.now()
        self._change_reason = "Submitted for review"
        self.save()
        _notify("submission_received", self)
        return self

    def request_changes(self, by=None, comment=""):
        """Send a page in review back to its editor with what to change (required): they are told."""
        if not comment.strip():
            raise ValidationError({"decision_comment": "Say what to change: the editor sees this comment."})
        if self.workflow_status != Status.IN_REVIEW:
            raise ValidationError("Only a page in review can be sent back with changes requested.")
        self.set_workflow_status(Status.CHANGES_REQUESTED)
        self.decided_by, self.decided_at, self.decision_comment = by, timezone.now(), comment.strip()
        self._change_reason = "Changes requested"
        self.save()
        _notify("decision_made", self)
        return self

    def unpublish(self, by=None):
        """Take a page off the site; it becomes a draft."""
        self.set_workflow_status(Status.DRAFT)
        self._change_reason = "Unpublished"
        self.save()
        return self

    def renditions_shared(self):
        """The rendition names a live page and its pending revision share (a revision starts with the page's hero)."""
        rows = type(self).objects.filter(Q(pk=self.draft_of_id) | Q(draft_of=self.pk) if self.pk else Q(pk=None))
        return {size["name"] for renditions in rows.values_list("hero_renditions", flat=True)
                for size in (renditions or {}).get("sizes", [])}

    def update_search_vector(self):
        if self.draft_of_id:  # a revision is never searched
            return
        search.write_vector(type(self).objects.all(), self.pk, self.search_texts())

    def stored_row(self):
        """What the save in progress replaces: the stored URL fields and hero, or None for a new page."""
        if not self.pk:
            return None
        fields = ("slug", "hero_image", "hero_renditions", *self.visibility_fields, *self.stored_fields)
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

    def keep_hero_renditions(self, stored, other=None):
        """Whether stored renditions fit the hero: same image, made for it. They are taken from the stored row
        (or `other`, the row a revision is copied from or approved out of), never from this instance, which may
        be an old version being restored."""
        name = self.hero_image.name
        for row in (stored, other):
            if row and name and name == row.hero_image.name and row.hero_renditions.get("source") == name:
                self.hero_renditions = row.hero_renditions
                return True
        self.hero_renditions = {}
        return False

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
        """The people the page credits (`credited_fields`: author, reviewer), with their credentials and the
        outlets they were featured in (the author card shows them), a query each."""
        people = [person for person in (getattr(self, name) for name in self.credited_fields) if person]
        prefetch_related_objects(people, "credentials", "featured_in")
        return people

    # What search engines and readers see besides the text (mindlab/seo.py has the rules).

    @property
    def page_title(self):
        """The <title> and the title in search results."""
        return seo.page_title(self.title, self.seo_title)

    @property
    def seo_problems(self):
        """What is outside the recommended lengths (mindlab/seo.py), as sentences; empty when nothing is."""
        problems = {"Title in search results": seo.length_problem("title", len(self.page_title)),
                    "Meta description": seo.length_problem("description", len(self.meta_description))}
        return [f"{name}: {problem}" for name, problem in problems.items() if problem]

    @property
    def search_description(self):
        """The meta description, Open Graph's and JSON-LD's: the editor's whole text, else the page's summary."""
        return self.meta_description or self.fallback_description

    @property
    def fallback_description(self):
        return ""

    @property
    def first_published(self):
        """When the page first went public, as far as it is known (a subclass with a publish date says)."""
        return self.created

    @property
    def content_date(self):
        """The date the content last changed on purpose (`content_updated`), else its publication date: what
        "Updated" and JSON-LD's dateModified say (never before the publication). A save alone (`updated`) never
        moves it."""
        dates = [moment for moment in (self.content_updated, self.first_published) if moment]
        return max(dates, default=None)

    @property
    def shows_updated_date(self):
        """Whether "Updated" tells readers more than the publication date does."""
        published = self.first_published
        return bool(self.content_updated and (
            published is None or timezone.localdate(self.content_updated) > timezone.localdate(published)))

    def mark_updated(self, at=None):
        """Record that the content changed in substance now (or `at`): readers see the new "Updated" date.
        Sets the field; the caller saves."""
        self.content_updated = at or timezone.now()

    @property
    def takeaways(self):
        return [line.strip().lstrip("-•* ").strip() for line in self.key_takeaways.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError({"hero_alt": "Add alt text that describes the hero image."})
        if self.content_updated and self.content_updated > timezone.now():
            raise ValidationError({"content_updated": "“Last updated” cannot be in the future: the content has not "
                                                      "changed yet. Tick “Mark as updated” when it does."})


def _row_fields(model):
    """The fields of a row of a page's list that a version records: what an editor writes in its inline, without
    its link to a page (its parent) and its order."""
    return [field for field in model._meta.concrete_fields
            if field.editable and not field.primary_key and field.name != "order"
            and not (field.is_relation and issubclass(field.related_model, Page))]


def point_at_copies(row, copied_rows):
    """A copied row that links to a row copied before it (an FAQ to its group) links to that row's copy."""
    for field in row._meta.concrete_fields:
        if field.is_relation and field.related_model in copied_rows:
            value = getattr(row, field.attname)
            setattr(row, field.attname, copied_rows[field.related_model].get(value, value))


def _shown(row, field):
    value = getattr(row, field.name)
    return "" if value is None else str(value)


class VersionedLists(models.Model):
    """The base of a page's historical model (`HistoricalRecords(bases=[VersionedLists])`): a version records the
    page's related lists besides its own fields.

    Why a snapshot on each record, not history on the citation, FAQ and tag rows read "as of" a version's time:
    those rows are copied, moved and replaced by writes that send no signal (`Page.copy_relations()`), and the
    admin saves inlines after their page, so "as of" the page's record would miss them. A snapshot is read from
    the database, whatever wrote the rows: when the record is made (`take_version_lists`; right for every path
    that sets the lists before saving the page: approve, publish, submit, the importer), and again, in the same
    transaction, by the paths that write lists after the page's save (`Page.record_version_lists()`). A list
    edited with no save of its page (an FAQ in the FAQ list) is recorded by the page's next version."""

    related_lists = models.JSONField(
        null=True, blank=True, editable=False, help_text="Tags, citations, FAQs: Page.version_lists(). Empty: "
        "a version recorded before versions covered them.",
    )

    class Meta:
        abstract = True


def take_version_lists(sender, instance, history_instance, **kwargs):
    """simple-history's pre_create_historical_record: a page's version records its lists as they are stored."""
    if isinstance(instance, Page) and hasattr(history_instance, "related_lists"):
        if history_instance.history_type == "+":  # a new page has no list yet: no query
            history_instance.related_lists = {name: [] for name in (*instance.revision_m2m,
                                                                    *instance.revision_children)}
        elif history_instance.history_type == "~":  # a deleted page's lists are gone before its last record
            history_instance.related_lists = instance.version_lists()


def _notify(name, page):
    """Tell the people concerned once the transaction commits (never for a rolled-back step): the workflow's signal
    `name` (mindlab/signals.py), which the review mail listens to."""
    transaction.on_commit(partial(getattr(signals, name).send, sender=type(page), page=page))


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


def validate_https_lines(text):
    """Each non-empty line an https:// address."""
    check = URLValidator(schemes=["https"])
    for line in filter(None, (line.strip() for line in text.splitlines())):
        try:
            check(line)
        except ValidationError:
            raise ValidationError(f"“{line}” is not an https:// address. Put one address on each line.") from None


class DisclaimerPosition(models.TextChoices):
    TOP = "top", "At the top, before the text"
    FOOT = "foot", "At the foot, after the text"


class SiteSettings(models.Model):
    """Site-wide texts staff can edit without a deploy. There is one row; `current()` reads it. The parts of
    pages that show it are fragments cached on the content version, so it is read only when they are rendered."""

    disclaimer = models.TextField(
        default=DEFAULT_DISCLAIMER, help_text="Shown on hubs and articles; an article can replace it."
    )
    disclaimer_position = models.CharField(
        max_length=4, choices=DisclaimerPosition.choices, default=DisclaimerPosition.FOOT,
        help_text="Where hubs and articles show the disclaimer; an article can choose otherwise.",
    )
    crisis_notice = models.TextField(
        default=DEFAULT_CRISIS_NOTICE,
        help_text="Shown in the footer of every page and at the top of articles on sensitive hubs or tags.",
    )
    crisis_phone = models.CharField(
        max_length=20, default="988", help_text="Number for the call and text links beside the crisis notice."
    )
    response_target_hours = models.PositiveSmallIntegerField(
        "strategy-call response target (hours)", default=48,
        help_text="A new strategy-call request not answered within this many hours gets an overdue badge in the "
                  "triage queue. 0 turns the badge off.",
    )
    # Publishing rules (articles/models.py, Article.publishing_problems), checked on every path that publishes.
    require_medical_review = models.BooleanField(
        "publishing needs a medical review", default=True,
        help_text="An article is published only with a medical review (reviewer and date) recorded for its text.",
    )
    require_reference = models.BooleanField(
        "publishing needs a reference", default=True,
        help_text="An article is published only when it cites at least one reference.",
    )
    show_last_review_when_expired = models.BooleanField(
        "show the last review date once a review has expired", default=False,
        help_text="When an article is past its review interval, its review line says when it was last reviewed.",
    )

    # The pages the footer and the strategy-call form link to; shown only while published.
    privacy_page = models.ForeignKey(
        "pages.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        limit_choices_to={"draft_of__isnull": True}, verbose_name="privacy policy",
        help_text="Linked from the footer and beside the strategy-call form's consent, while it is published.",
    )
    terms_page = models.ForeignKey(
        "pages.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        limit_choices_to={"draft_of__isnull": True}, verbose_name="terms",
        help_text="Linked from the footer, while it is published.",
    )
    # Sharing and search (docs/seo.md): what link previews and the Organization in structured data show.
    share_image = WebImageField(
        "default share image", upload_to=GeneratedName("site"), blank=True, width_field="share_image_width",
        height_field="share_image_height",
        help_text="Shown when a page without a hero image is shared. 1,200 × 630 px is best; JPEG, PNG or WebP.",
    )
    share_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    share_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    share_image_alt = models.CharField(
        "share image alt text", max_length=200, blank=True,
        help_text="What the share image shows. Required with a share image.",
    )
    logo = WebImageField(
        upload_to=GeneratedName("site"), blank=True, width_field="logo_width", height_field="logo_height",
        help_text="The practice's logo for search engines (publisher and organisation): square, at least 112 px. "
        "Empty: the site's built-in mark.",
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    twitter_site = models.CharField(
        "X (Twitter) account", max_length=16, blank=True,
        validators=[RegexValidator(r"^@\w{1,15}$", "An account name such as @mindlab: @ and up to 15 letters, "
                                   "digits or underscores.")],
        help_text="The practice's account on X, e.g. @mindlab, named in link previews.",
    )
    profile_urls = models.TextField(
        "profile links", blank=True, validators=[validate_https_lines],
        help_text="The practice's official profiles elsewhere (LinkedIn, YouTube, …), one https:// address a line. "
        "Search engines read them as the same organisation.",
    )
    contact_email = models.EmailField(
        blank=True, help_text="Public contact address, for search engines' knowledge panel."
    )
    contact_phone = models.CharField(
        max_length=30, blank=True, help_text="Public phone number with the country code, e.g. +1-212-555-0100."
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "site settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(share_image="") | ~Q(share_image_alt=""), name="share_image_has_alt",
                violation_error_message="Add alt text that describes the share image.",
            ),
        ]

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]

    @cached_property
    def legal_pages(self):
        """{"privacy": page, "terms": page} of those chosen and published, in one query (none if none is chosen)."""
        chosen = {"privacy": self.privacy_page_id, "terms": self.terms_page_id}
        if not any(chosen.values()):
            return {}
        pages = self._meta.get_field("privacy_page").related_model.objects.published()
        found = pages.only("title", "slug").in_bulk([pk for pk in chosen.values() if pk])
        return {name: found[pk] for name, pk in chosen.items() if pk in found}
    @property
    def profile_url_list(self):
        return [line.strip() for line in self.profile_urls.splitlines() if line.strip()]

