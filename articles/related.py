"""Stored related lists: each article's ranking is made when what it depends on changes, not per request.

An article's stored list is the top of `related_to()` among the *listed* articles (published and not
expired, scheduled ones included), kept as RelatedRank rows with the ranking key each place was won by.
The page shows the stored list while every place in it is visible; when one is not (a scheduled article
whose time has not come, one that has just expired), `Article.related_cards()` ranks live instead.

When article X changes (its tags, hubs, hand-picked list, status or dates; created or deleted), a list
must be ranked again only if it holds X, or if X now beats its last place. The key stored with the last
place makes the second test a comparison in Python instead of a ranking query per article.
"""

import heapq
from collections import defaultdict
from itertools import groupby

from django.db.models import Count

from mindlab.bulk import update_columns

from .models import RELATED_FIELDS, RELATED_LIMIT, Article, RelatedRank, TaggedArticle


def rank(article_ids):
    """Rank and store the related lists of these articles.

    The ranking is `related_to()`'s, computed in memory from one read of the listed articles, their tags,
    further hubs and the hand-picks: ranking many lists with one query each would cost a query per list
    (the tests hold the two to the same result).
    """
    owners = dict(Article.objects.filter(pk__in=article_ids).values_list("pk", "primary_hub"))
    if not owners:
        return
    candidates = list(Article.objects.listed().values_list("pk", "primary_hub", "publish_at"))
    tags = defaultdict(set)
    for article, tag in TaggedArticle.objects.values_list("content_object", "tag"):
        tags[article].add(tag)
    further_hubs = defaultdict(set)
    for article, hub in Article.hubs.through.objects.values_list("article", "hub"):
        further_hubs[article].add(hub)
    picks = defaultdict(set)
    for owner, picked in Article.related_articles.through.objects.filter(from_article__in=owners).values_list(
        "from_article", "to_article"
    ):
        picks[owner].add(picked)

    places = []
    for owner, hub in owners.items():
        mine, picked = tags[owner], picks[owner]

        def key(candidate, mine=mine, picked=picked, hub=hub):
            pk, primary_hub, publish_at = candidate
            return (pk in picked, len(mine & tags[pk]), primary_hub == hub or hub in further_hubs[pk], publish_at, pk)

        ranked = heapq.nlargest(RELATED_LIMIT, (c for c in candidates if c[0] != owner), key=key)
        places += [
            RelatedRank(article_id=owner, related_id=candidate[0], position=position, is_picked=is_picked,
                        shared_tags=shared_tags, in_same_hub=in_same_hub)
            for position, candidate in enumerate(ranked)
            for is_picked, shared_tags, in_same_hub, *_ in [key(candidate)]
        ]
    RelatedRank.objects.filter(article__in=owners).delete()
    RelatedRank.objects.bulk_create(places, batch_size=500)
    join(list(owners))


def join(article_ids):
    """Store each of these articles' related cards joined, and the window in which all its places are visible."""
    places = (
        RelatedRank.objects.filter(article__in=article_ids).order_by("article", "position")
        .values_list("article", "related__card_html", "related__publish_at", "related__expire_at")
    )
    lists = {owner: list(rows) for owner, rows in groupby(places, key=lambda place: place[0])}
    articles = []
    for pk in article_ids:
        rows = lists.get(pk, [])
        expiries = [expire_at for *_, expire_at in rows if expire_at]
        articles.append(Article(
            pk=pk, related_html="".join(card for _, card, _, _ in rows),
            related_from=max((publish_at for *_, publish_at, _ in rows), default=None),
            related_until=min(expiries, default=None),
        ))
    update_columns(articles, RELATED_FIELDS)


def holding(article_ids):
    """The articles whose related lists hold any of these."""
    return set(RelatedRank.objects.filter(related__in=article_ids).values_list("article", flat=True))


def affected_by(article_ids):
    """The articles whose related lists may change because these articles changed (themselves included)."""
    affected = set(article_ids)
    affected |= holding(article_ids)
    changed = list(Article.objects.listed().filter(pk__in=article_ids).only("pk", "primary_hub", "publish_at"))
    if changed:
        last_places = _last_places()
        not_full = set(Article.objects.exclude(pk__in=last_places).values_list("pk", flat=True))
        for article in changed:
            affected |= not_full - {article.pk}
            affected |= _lists_it_now_enters(article, last_places)
    return affected


def _last_places():
    """{article: the ranking key of the last place in its full list}."""
    rows = RelatedRank.objects.filter(position=RELATED_LIMIT - 1).values_list(
        "article", "is_picked", "shared_tags", "in_same_hub", "related__publish_at", "related"
    )
    return {owner: key for owner, *key in rows}


def _lists_it_now_enters(article, last_places):
    """Full lists whose last place `article` now outranks, by the key `related_to()` orders by."""
    shared = dict(
        TaggedArticle.objects.filter(tag__in=TaggedArticle.objects.filter(content_object=article).values("tag"))
        .exclude(content_object=article).values("content_object").annotate(n=Count("pk"))
        .values_list("content_object", "n")
    )
    hubs = {article.primary_hub_id, *article.hubs.values_list("pk", flat=True)}
    same_hub = set(Article.objects.filter(primary_hub__in=hubs).values_list("pk", flat=True))
    picked_by = set(Article.related_articles.through.objects.filter(to_article=article)
                    .values_list("from_article", flat=True))
    entering = set()
    for owner, (is_picked, shared_tags, in_same_hub, publish_at, pk) in last_places.items():
        if owner == article.pk:
            continue
        key = (owner in picked_by, shared.get(owner, 0), owner in same_hub, article.publish_at, article.pk)
        if publish_at is None or key > (is_picked, shared_tags, in_same_hub, publish_at, pk):
            entering.add(owner)
    return entering
