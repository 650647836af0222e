"""The diff a reviewer reads: word-level changes inside paragraphs, folds, escaping, the version list's
"what changed" and "Changes since the last medical review"."""

import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from hubs.models import Hub
from mindlab.diff import field_changes, list_changes, text_changes


def paragraphs(count, prefix="Paragraph"):
    return [f"{prefix} {n} says something calm and unchanged about sleep." for n in range(1, count + 1)]


def outside_folds(html):
    return re.sub(r"<details class=\"diff-fold\">.*?</details>", "", html, flags=re.DOTALL)


# The text diff


def test_changed_paragraph_shows_inserted_and_deleted_words():
    old = Article(body="Sleep deepens memory in the first half of the night.")
    new = Article(body="Sleep strengthens memory in the first half of the night, and steadies mood.")
    [(label, html)] = field_changes(old, new)
    assert label == "Body"
    assert ("Sleep <del>deepens</del><ins>strengthens</ins> memory in the first half of the night"
            "<ins>, and steadies mood</ins>.") in html
    assert "diff-changed" in html


def test_unchanged_paragraphs_are_folded_with_their_count():
    body = paragraphs(10)
    edited = [*body[:5], "Paragraph 6 now says something new about sleep.", *body[6:]]
    html = text_changes("\n\n".join(body), "\n\n".join(edited))
    assert '<summary>5 unchanged paragraphs</summary>' in html
    assert '<summary>4 unchanged paragraphs</summary>' in html
    # Every unchanged paragraph is there to open, and none is shown outside a fold.
    assert all(text in html for text in body[:5] + body[6:])
    assert not any(text in outside_folds(html) for text in body[:5] + body[6:])
    assert "Paragraph 6 <ins>now </ins>says something <del>calm and unchanged</del><ins>new</ins> about sleep." in html


def test_fold_summary_names_the_headings_inside_it():
    old = "## Why sleep matters\n\nIt does.\n\n## What helps\n\nRoutine.\n\nLast words."
    new = old.replace("Last words.", "Final words.")
    assert '<span class="diff-fold-headings">: Why sleep matters · What helps</span>' in text_changes(old, new)


def test_added_removed_and_moved_paragraphs_are_labelled():
    body = paragraphs(8)
    edited = [body[0], body[2], body[4], body[5], body[1], body[6], body[7], "A brand new closing paragraph."]
    html = text_changes("\n\n".join(body), "\n\n".join(edited))
    assert "Was ¶ 2 · moved to ¶ 5" in html and "¶ 5 · moved here from ¶ 2" in html
    assert "Removed (was ¶ 4)" in html and f"<del>{body[3]}</del>" in html
    assert "¶ 8 · added" in html and "<ins>A brand new closing paragraph.</ins>" in html


def test_an_edited_paragraph_is_paired_with_its_older_self_among_new_ones():
    old = "Keep this.\n\nMagnesium may help some people sleep.\n\nEnd."
    new = "Keep this.\n\nA new paragraph on light.\n\nMagnesium may help some adults sleep.\n\nEnd."
    html = text_changes(old, new)
    assert "¶ 2 · added" in html and "<ins>A new paragraph on light.</ins>" in html
    assert "¶ 3 · changed" in html and "Magnesium may help some <del>people</del><ins>adults</ins> sleep." in html


def test_markup_in_a_body_is_shown_as_text_never_run():
    body = "Safe.\n\n<script>alert('old')</script>\n\nKept <img src=x onerror=alert(1)>."
    old = Article(title="<b>Old</b>", body=body)
    new = Article(title="<b>New</b>", body=body.replace("old", "new"))
    html = "".join(html for _, html in field_changes(old, new))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;<del>old</del><ins>new</ins>&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Old&lt;/b&gt;" in html


def test_whitespace_is_kept_as_written():
    html = text_changes("- one\n- two\n- three", "- one\n- two  and a half\n- three")
    assert "- two<ins>  and a half</ins>" in html
    assert "Line 2 · changed" in html  # lines without blank lines between them are taken one by one


def test_key_takeaways_are_compared_line_by_line():
    old = Article(key_takeaways="Sleep consolidates memory.\nLight in the morning helps.")
    new = Article(key_takeaways="Sleep consolidates memory.\nLight in the morning helps.\nCaffeine lingers for hours.")
    [(label, html)] = field_changes(old, new)
    assert label == "Key takeaways"
    assert "Line 3 · added" in html and "<ins>Caffeine lingers for hours.</ins>" in html
    assert "<summary>2 unchanged lines</summary>" in html


def test_a_rewritten_paragraph_reads_as_one_deletion_and_one_insertion():
    html = text_changes("Intro.\n\nThe cat sat on the mat.\n\nEnd.", "Intro.\n\nA dog lay under a table.\n\nEnd.")
    assert "¶ 2 · changed" in html
    assert "<del>The cat sat on the mat</del><ins>A dog lay under a table</ins>." in html


def test_rewritten_stretches_are_shown_as_removed_and_added():
    old = "Intro.\n\nThe cat sat on the mat.\n\nIt purred.\n\nEnd."
    new = "Intro.\n\nA dog lay under a table.\n\nIt barked twice.\n\nThen it slept.\n\nEnd."
    html = text_changes(old, new)
    assert "Removed (was ¶ 2)" in html and "<del>The cat sat on the mat.</del>" in html
    assert "¶ 2 · added" in html and "<ins>A dog lay under a table.</ins>" in html
    assert "¶ 4 · added" in html


# Other fields


def test_short_fields_show_old_and_new_values_as_readers_name_them(make_hub, make_author):
    sleep, mood = make_hub(title="Sleep"), make_hub(title="Mood")
    reviewer = make_author(name="Dr. Ada Reviewer")
    old = Article(title="Old", primary_hub=sleep, status=Article.Status.DRAFT)
    new = Article(title="New", primary_hub=mood, status=Article.Status.PUBLISHED, reviewer=reviewer,
                  last_reviewed=date(2025, 3, 4))
    rows = dict(field_changes(old, new))
    assert "<del>Sleep</del>" in rows["Primary hub"] and "<ins>Mood</ins>" in rows["Primary hub"]
    assert "<del>Draft</del>" in rows["Status"] and "<ins>Published</ins>" in rows["Status"]
    assert '<em class="diff-empty">empty</em>' in rows["Reviewer"] and "<ins>Dr. Ada Reviewer</ins>" in rows["Reviewer"]
    assert "<ins>4 Mar 2025</ins>" in rows["Last reviewed"]
    assert "<del>Old</del>" in rows["Title"] and "<ins>New</ins>" in rows["Title"]


def test_booleans_read_yes_and_no():
    rows = dict(field_changes(Hub(is_sensitive=False), Hub(is_sensitive=True)))
    assert "<del>No</del>" in rows["Sensitive topic"] and "<ins>Yes</ins>" in rows["Sensitive topic"]


def test_derived_fields_timestamps_and_workflow_are_not_compared(make_article):
    article = make_article(body="One.")
    old = Article.objects.get(pk=article.pk)
    article.body = "Two."
    article.save()
    labels = [label for label, _ in field_changes(old, article)]
    assert labels == ["Body"]  # not Body html, Body text, Word count, Updated


def test_fields_can_be_named():
    old, new = Article(title="A", body="B"), Article(title="C", body="D")
    assert [label for label, _ in field_changes(old, new, fields=["body"])] == ["Body"]


def test_history_records_and_their_instances_give_the_same_diff(make_article):
    article = make_article(body="Sleep deepens memory.", status=Article.Status.DRAFT)  # a draft: one version, no review
    article.body = "Sleep strengthens memory."
    article.save()
    old, new = article.history.order_by("history_id")
    assert field_changes(old, new) == field_changes(old.instance, new.instance)
    assert "<del>deepens</del><ins>strengthens</ins>" in field_changes(old, new)[0][1]


def test_list_changes_shows_added_removed_and_edited_items():
    old = ["Walker, M. (2017). Why we sleep.", "Smith, J. (2020). Light and mood.", "Lee, K. (1999). Caffeine."]
    new = ["Walker, M. (2017). Why we sleep.", "Smith, J. (2021). Light and mood.", "Diaz, R. (2024). Naps."]
    html = list_changes(old, new)
    assert "<summary>1 unchanged item</summary>" in html
    assert "#2 · changed" in html and "Smith, J. (<del>2020</del><ins>2021</ins>)" in html
    assert "Removed (was #3)" in html and "<del>Lee, K. (1999). Caffeine.</del>" in html
    assert "#3 · added" in html and "<ins>Diaz, R. (2024). Naps.</ins>" in html
    assert list_changes(["same"], ["same"]) == ""


# The Versions page


def versions_url(article):
    return reverse("admin:articles_article_versions", args=[article.pk])



def save(article, reason="", **changes):
    for name, value in changes.items():
        setattr(article, name, value)
    article._change_reason = reason
    article.save()


def test_version_list_says_which_fields_changed_and_why(admin_client, make_article):
    article = make_article(body="One.", key_takeaways="A.", status=Article.Status.DRAFT)
    save(article, "Tightened the opening", body="One, tightened.", key_takeaways="A, sharper.")
    save(article, title="A better title")
    html = admin_client.get(versions_url(article)).text
    newest, middle, first = article.history.order_by("-history_id")
    link = '<a href="?old={}&amp;new={}" title="Compare with the version before">{}</a>'
    assert link.format(middle.history_id, newest.history_id, "Title") in html
    assert link.format(first.history_id, middle.history_id, "Key takeaways, Body") in html
    assert '<div class="versions-reason">Tightened the opening</div>' in html


def test_version_list_costs_the_same_queries_for_many_versions(admin_client, make_article):
    def queries_for(count):
        article = make_article()
        for n in range(count):
            save(article, body=f"Body {n}.\n\nSecond paragraph.", title=f"Title {n}")
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(versions_url(article)).status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(12)


def test_the_versions_page_shows_a_word_diff_with_folds(admin_client, make_article):
    body = paragraphs(30)
    article = make_article(body="\n\n".join(body))
    save(article, body="\n\n".join([*body[:20], body[20].replace("calm", "firm"), *body[21:]]))
    html = admin_client.get(versions_url(article)).text
    assert "Paragraph 21 says something <del>calm</del><ins>firm</ins> and unchanged" in html
    assert "<summary>20 unchanged paragraphs</summary>" in html and "<summary>9 unchanged paragraphs</summary>" in html
    assert 'href="/static/css/admin-diff.css"' in html


def test_since_last_review_compares_the_newest_version_with_the_review(admin_client, make_article, make_author):
    reviewer = make_author(name="Dr. Ada Reviewer")
    article = make_article(body="Unreviewed draft.", status=Article.Status.DRAFT)
    save(article, "Review recorded", reviewer=reviewer, last_reviewed=date(2025, 1, 10), body="Reviewed text.")
    save(article, "Internal note", review_note="Checked the doses.")  # the review record itself is unchanged
    save(article, "Editor's change", body="Reviewed text, then edited.")
    newest, _, reviewed, _ = article.history.order_by("-history_id")
    html = admin_client.get(versions_url(article)).text
    link = f'<a class="button" href="?old={reviewed.history_id}&amp;new={newest.history_id}">'
    assert link + "Changes since the last medical review</a>" in html
    assert "reviewed 10 Jan 2025" in html

    compared = admin_client.get(versions_url(article), {"old": reviewed.history_id, "new": newest.history_id}).text
    assert "(since the last medical review)" in compared
    assert "Reviewed text<ins>, then edited</ins>." in compared


def test_a_new_review_moves_the_comparison_point(admin_client, make_article, make_author):
    reviewer = make_author()
    article = make_article(reviewer=reviewer, last_reviewed=date(2025, 1, 10))
    save(article, body="Edited after the first review.")
    save(article, "Reviewed again", last_reviewed=date(2025, 6, 1))
    html = admin_client.get(versions_url(article)).text
    assert "Nothing has changed since the last medical review" in html
    assert "Changes since the last medical review</a>" not in html


def test_no_review_link_without_a_recorded_review_or_for_hubs(admin_client, make_article, make_hub):
    article = make_article(status=Article.Status.DRAFT)  # never reviewed
    save(article, body="Edited.")
    assert "medical review" not in admin_client.get(versions_url(article)).text
    hub = make_hub()
    hub.tagline = "Edited"
    hub.save()
    assert "medical review" not in admin_client.get(reverse("admin:hubs_hub_versions", args=[hub.pk])).text

