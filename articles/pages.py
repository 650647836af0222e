"""What a public page stores besides its own fields, and when it is rendered again.

An article stores its card, head tags, header, body block and structured data, rendered from the
templates (`Article.render_fragments()`), and its related list as ranked places (related.py). A hub
stores its head, contents, lead, FAQ/references/author block, related hubs and structured data, and the
first page of its article list with the count (`list_hubs()`). A request only reads them. Each receiver
below maps a change of something a page shows to the pages that show it, and renders them at once, in
the transaction of the change.

Inside `deferred()` the work is collected and done once when the block ends, in a transaction of its
own, followed by a fresh page-cache state: an admin request (`AdminSite.admin_view`) touches the article,
its tags, citations and FAQs, and each would otherwise render the page again. Everything is rendered
again by `manage.py render_pages`, which is needed after a change to a stored block's template or to
DJANGO_SITE_URL.
"""

import threading
from contextlib import contextmanager

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from hubs.models import ARTICLES_PER_PAGE, LISTING_FIELDS
from mindlab.bulk import update_columns
from mindlab.models import page_saved

from . import related

_state = threading.local()


@contextmanager
def deferred():
    """Collect the pages to render and the lists to rank, and do each once when the block ends."""
    if getattr(_state, "pending", None) is not None:
        yield
        return
    _state.pending = {"articles": set(), "hubs": set(), "related_to": set(), "rank": set(), "listings": set()}
    try:
        yield
        flush()
    finally:
        _state.pending = None


def flush():
    """Do the collected work now: a preview shows the page before its block ends."""
    pending = getattr(_state, "pending", None)
    if not pending or not any(pending.values()):
        return
    work = {name: set(ids) for name, ids in pending.items()}
    for ids in pending.values():
        ids.clear()
    _apply(**work)
    flush_cache()


def flush_cache():
    """After commit, cached pages are made fresh: any cached while the work ran may hold blocks it replaced."""
    from mindlab.apps import content_changed

    content_changed()


def render_missing():
    """After `migrate`: render the pages that have never been rendered (an upgrade, a restored backup)."""
    Article, Hub = apps.get_model("articles.Article"), apps.get_model("hubs.Hub")
    if (Article.objects.filter(card_html="").exists() or Hub.objects.filter(structured_data="").exists()
            or Hub.objects.filter(listing_count__isnull=True).exists()):
        with transaction.atomic():
            render_all()


def render_all():
    """Every hub and article page and related list: after a template change or a bulk load."""
    Article, Hub = apps.get_model("articles.Article"), apps.get_model("hubs.Hub")
    every = list(Article.objects.values_list("pk", flat=True))
    related.rank(every)
    rendered = Hub.objects.all().render_pages(), Article.objects.all().render_pages()
    related.join(every)
    list_hubs()
    return rendered


def changed(articles=(), hubs=(), related_to=(), listings=()):
    """Pages to render again, articles whose change may move related lists, hubs whose article list may move.

    The hubs of `articles` and `related_to` are listed again too; `listings` names hubs they have just left.
    """
    deleting = getattr(_state, "deleting", set())
    articles, related_to = set(articles) - deleting, set(related_to) - deleting
    pending = getattr(_state, "pending", None)
    if pending is None:
        _apply(articles, set(hubs), related_to, listings=set(listings))
    else:
        pending["articles"] |= articles
        pending["hubs"] |= set(hubs)
        pending["related_to"] |= related_to
        pending["listings"] |= set(listings)


@transaction.atomic
def _apply(articles=(), hubs=(), related_to=(), rank=(), listings=()):
    Article, Hub = apps.get_model("articles.Article"), apps.get_model("hubs.Hub")
    deleting = getattr(_state, "deleting", set())
    if related_to or rank:
        affected = related.affected_by(related_to) if related_to else set()
        related.rank((affected | set(rank)) - deleting)
    if hubs:
        Hub.objects.filter(pk__in=hubs).render_pages()
    if articles:
        Article.objects.filter(pk__in=articles).render_pages()
        related.join(list(related.holding(articles)))  # their cards changed in the lists that show them
    listings = set(listings) | _hubs_of(set(articles) | set(related_to))
    if listings:
        list_hubs(listings)


def _hubs_of(article_ids):
    Article = apps.get_model("articles.Article")
    if not article_ids:
        return set()
    primary = Article.objects.filter(pk__in=article_ids).values_list("primary_hub", flat=True)
    further = Article.hubs.through.objects.filter(article__in=article_ids).values_list("hub", flat=True)
    return {*primary, *further}


def list_hubs(hub_ids=None):
    """Store these hubs' (or every hub's) first page of cards and article count, exact until the next time one
    of their articles appears or expires (`Hub.stored_listing()`)."""
    Article, Hub = apps.get_model("articles.Article"), apps.get_model("hubs.Hub")
    hubs = Hub.objects.only("pk")
    hubs = list(hubs if hub_ids is None else hubs.filter(pk__in=hub_ids))
    for hub in hubs:
        visible = Article.objects.published().in_hub(hub)
        hub.listing = list(visible.cards()[:ARTICLES_PER_PAGE])
        hub.listing_count = visible.count()
        hub.listing_until = Article.objects.in_hub(hub).next_visibility_change()
    update_columns(hubs, LISTING_FIELDS)


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


# The receivers: a change to the sender, and the pages that show it.


def _article_saving(instance, **kwargs):
    # The hub it may be leaving lists it no more.
    instance._hub_before = (
        type(instance).objects.filter(pk=instance.pk).values_list("primary_hub", flat=True).first()
        if instance.pk else None
    )


def _article_saved(instance, **kwargs):
    hub_before = getattr(instance, "_hub_before", None)
    changed(articles=[instance.pk], related_to=[instance.pk], listings=[hub_before] if hub_before else [])


def _article_deleting(instance, **kwargs):
    # Its tags, citations and FAQs go first, by cascade: nothing is rendered for a page that is going.
    _state.deleting = getattr(_state, "deleting", set()) | {instance.pk}
    instance._lists_holding_it = set(instance.ranked_in.values_list("article", flat=True))
    instance._hubs_listing_it = _hubs_of({instance.pk})


def _article_deleted(instance, **kwargs):
    _state.deleting = getattr(_state, "deleting", set()) - {instance.pk}
    holders = instance._lists_holding_it - {instance.pk}
    pending = getattr(_state, "pending", None)
    if pending is None:
        _apply(rank=holders, listings=instance._hubs_listing_it)
    else:
        pending["rank"] |= holders
        pending["listings"] |= instance._hubs_listing_it


def _article_relations_changed(instance, action, reverse, pk_set, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        changed(related_to=pk_set if reverse else [instance.pk])


def _further_hubs_changed(instance, action, reverse, pk_set, **kwargs):
    if action in {"post_add", "post_remove"}:
        changed(related_to=pk_set if reverse else [instance.pk], listings=[instance.pk] if reverse else pk_set)
    elif action == "post_clear":
        # A clear names no hubs; list them all (the admin's set() removes and adds instead).
        changed(related_to=[] if reverse else [instance.pk], listings=_ids(apps.get_model("hubs.Hub").objects))


def _tag_assignment_changed(instance, **kwargs):
    changed(articles=[instance.content_object_id], related_to=[instance.content_object_id])


def _citation_changed(instance, **kwargs):
    if hasattr(instance, "article_id"):
        changed(articles=[instance.article_id])
    else:
        changed(hubs=[instance.hub_id])


def _faq_changed(instance, **kwargs):
    changed(articles=[instance.article_id] if instance.article_id else [],
            hubs=[instance.hub_id] if instance.hub_id else [])


def _reference_changed(instance, **kwargs):
    changed(articles=_ids(instance.articles.all()), hubs=_ids(instance.hubs.all()))


def _tag_changed(instance, **kwargs):
    changed(articles=set(instance.tagged_articles.values_list("content_object", flat=True)))


def _shown_elsewhere_saving(instance, **kwargs):
    # Rendering every page an author's name or a hub's title is on can take seconds; editing an author's full
    # biography or a hub's essay changes none of them. Each model names what other pages show of it.
    model = type(instance)
    names = model.shown_elsewhere
    stored = model._default_manager.filter(pk=instance.pk).values(*names).first() if instance.pk else None
    instance._shown_elsewhere_changed = stored is None or any(
        stored[name] != model._meta.get_field(name).get_prep_value(getattr(instance, name)) for name in names
    )


def _shown_elsewhere_changed(instance):
    return getattr(instance, "_shown_elsewhere_changed", True)


def _author_saved(instance, **kwargs):
    if _shown_elsewhere_changed(instance):
        _author_changed(instance)


def _author_changed(author):
    Article = apps.get_model("articles.Article")
    changed(articles=_ids(Article.objects.filter(author=author) | Article.objects.filter(reviewer=author)),
            hubs=_ids(author.hubs.all()))


def _hub_saved(instance, **kwargs):
    # Its articles show its title; the hubs it is related to list it.
    articles = _ids(instance.primary_articles.all()) if _shown_elsewhere_changed(instance) else ()
    changed(articles=articles, hubs={instance.pk, *_ids(instance.related_hubs.all())}, listings=[instance.pk])


def _related_hubs_changed(instance, action, pk_set, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        changed(hubs={instance.pk, *(pk_set or ())})


def _hub_deleting(instance, **kwargs):
    changed(related_to=_ids(instance.secondary_articles.all()))


def connect():
    Article = apps.get_model("articles.Article")
    receivers = [
        (pre_save, Article, _article_saving),
        (page_saved, Article, _article_saved),
        (pre_delete, Article, _article_deleting),
        (post_delete, Article, _article_deleted),
        (post_save, "articles.TaggedArticle", _tag_assignment_changed),
        (post_delete, "articles.TaggedArticle", _tag_assignment_changed),
        (post_save, "articles.ArticleCitation", _citation_changed),
        (post_delete, "articles.ArticleCitation", _citation_changed),
        (post_save, "hubs.HubCitation", _citation_changed),
        (post_delete, "hubs.HubCitation", _citation_changed),
        (post_save, "faqs.FAQ", _faq_changed),
        (post_delete, "faqs.FAQ", _faq_changed),
        (post_save, "references.Reference", _reference_changed),
        (post_save, "articles.Tag", _tag_changed),
        (pre_save, "authors.Author", _shown_elsewhere_saving),
        (pre_save, "hubs.Hub", _shown_elsewhere_saving),
        (post_save, "authors.Author", _author_saved),
        (post_save, "authors.Credential", lambda instance, **kwargs: _author_changed(instance.author)),
        (post_delete, "authors.Credential", lambda instance, **kwargs: _author_changed(instance.author)),
        (page_saved, "hubs.Hub", _hub_saved),
        (pre_delete, "hubs.Hub", _hub_deleting),
    ]
    for signal, sender, receiver in receivers:
        model = apps.get_model(sender) if isinstance(sender, str) else sender
        uid = f"pages-{_SIGNAL_NAMES[signal]}-{model._meta.label}"
        signal.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    m2m_changed.connect(_further_hubs_changed, sender=Article.hubs.through, dispatch_uid="pages-article-hubs")
    m2m_changed.connect(_related_hubs_changed, sender=apps.get_model("hubs.Hub").related_hubs.through,
                        dispatch_uid="pages-related-hubs")
    m2m_changed.connect(_article_relations_changed, sender=Article.related_articles.through,
                        dispatch_uid="pages-article-picks")


_SIGNAL_NAMES = {pre_save: "saving", post_save: "save", page_saved: "page-saved", post_delete: "delete",
                 pre_delete: "deleting"}
