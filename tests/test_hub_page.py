"""Hub pages like the captured pillar pages (issue 18 §2): a featured article card above the title, FAQ groups with
their own headings, a table of contents that nests ### under ##, and no article listed twice on a page."""

import io
import json
import re
from datetime import timedelta

import pytest
import yaml
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from faqs.models import FAQ, FAQGroup
from hubs.models import Hub
from mindlab.cache import content_version
from mindlab.markdown import render
from ops.http import admin_form_values

CARD_TITLE = r'class="card__title"><a class="card__link" href="[^"]+">([^<]+)</a>'


def change_url(page):
    return reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_change", args=[page.pk])


def edit_in_admin(client, page, **changes):
    data = admin_form_values(client.get(change_url(page)).text, type(page))
    data.update(changes)
    return client.post(change_url(page), {name: value for name, value in data.items() if value is not None})


def faq_page(html):
    graph = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1))
    return next(node for node in graph["@graph"] if node["@type"] == "FAQPage")


def listed_titles(html, section_id):
    """The card titles inside the section with `section_id` (its <section ...> to the next </section>)."""
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.DOTALL)
    return re.findall(CARD_TITLE, match.group(0)) if match else []


def card_titles(html):
    return re.findall(CARD_TITLE, html)


def faq_group(hub, heading, order, *questions):
    group = hub.faq_groups.create(heading=heading, order=order)
    for number, question in enumerate(questions):
        FAQ.objects.create(hub=hub, group=group, question=question, answer=f"About {question}", order=number)
    return group


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


# The featured article


def test_the_featured_article_is_a_card_above_the_title_while_it_is_published(client, make_hub, make_article):
    hub = make_hub(title="Depression & Drive")
    article = make_article(primary_hub=hub, title="Ketamine and the fast-acting brain", excerpt="A quick summary.")
    hub.featured_article = article
    hub.save()
    html = client.get(hub.get_absolute_url()).text
    card = html.index('aria-label="Featured article"')
    assert card < html.index("<h1")
    assert "Ketamine and the fast-acting brain" in html[card:html.index("<h1")]
    assert "A quick summary." in html[card:html.index("<h1")]

    article.unpublish()
    cache.clear()
    assert 'aria-label="Featured article"' not in client.get(hub.get_absolute_url()).text


def test_a_scheduled_featured_article_shows_only_from_its_time(client, make_hub, make_article, at_time):
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    hub = make_hub()
    article = make_article(primary_hub=hub, title="Coming soon", publish_at=moment)
    Hub.objects.filter(pk=hub.pk).update(featured_article=article)  # chosen in the shell: the page still decides
    with at_time(moment - timedelta(minutes=1)):
        assert 'aria-label="Featured article"' not in client.get(hub.get_absolute_url()).text
    cache.clear()
    with at_time(moment + timedelta(minutes=1)):
        assert 'aria-label="Featured article"' in client.get(hub.get_absolute_url()).text


def test_the_featured_card_shows_the_articles_current_title_after_an_edit(client, make_hub, make_article, committed):
    hub = make_hub()
    article = make_article(primary_hub=hub, title="First title")
    with committed():
        hub.featured_article = article
        hub.save()
    assert "First title" in client.get(hub.get_absolute_url()).text  # now in the page cache and its fragments
    with committed():
        article.title = "Second title"
        article.save()
    html = client.get(hub.get_absolute_url()).text
    assert "Second title" in html and "First title" not in html


def test_the_admin_offers_the_published_articles_of_the_hub_and_keeps_a_choice_since_unpublished(
        admin_client, make_hub, make_article):
    hub, other = make_hub(), make_hub()
    own = make_article(primary_hub=hub, title="Own article")
    further = make_article(primary_hub=other, title="Listed here too")
    further.hubs.add(hub)
    make_article(primary_hub=other, title="Another hub's article")
    make_article(primary_hub=hub, title="A draft", status=Article.Status.DRAFT, publish_at=None)
    assert set(Hub.featured_choices(hub)) == {own, further}
    assert list(Hub.featured_choices(None)) == []

    response = edit_in_admin(admin_client, hub, featured_article=str(own.pk))
    assert response.status_code == 302
    hub.refresh_from_db()
    assert hub.featured_article == own
    own.unpublish()
    assert own in Hub.featured_choices(hub)  # the hub can still be saved; readers do not see the card
    assert edit_in_admin(admin_client, hub).status_code == 302
    response = edit_in_admin(admin_client, hub, featured_article=str(Article.objects.get(title="A draft").pk))
    assert response.status_code == 200 and "Select a valid choice" in response.text


# FAQ groups


def test_each_faq_group_has_its_own_heading_and_the_structured_data_covers_them_all(client, make_hub):
    hub = make_hub()
    faq_group(hub, "General questions", 2, "Is it covered?")
    faq_group(hub, "Key questions executives ask", 1, "Why can I still perform?", "Does it come back?")
    faq_group(hub, "An empty group", 0)
    page = client.get(hub.get_absolute_url()).text
    html = page[page.index("</head>"):]  # the structured data in the head names the questions too
    first, second = html.index("Key questions executives ask"), html.index("General questions")
    assert first < html.index("Why can I still perform?") < html.index("Does it come back?") < second
    assert second < html.index("Is it covered?")
    assert "An empty group" not in html
    ids = re.findall(r'<section class="faq" aria-labelledby="([^"]+)">\s*<h2 id="([^"]+)"', html)
    assert ids == [("faq-heading", "faq-heading"), ("faq-heading-2", "faq-heading-2")]
    assert [entry["name"] for entry in faq_page(page)["mainEntity"]] == [
        "Why can I still perform?", "Does it come back?", "Is it covered?"]


def test_an_faq_saved_without_a_group_joins_the_hubs_first_group(make_hub, make_article):
    hub = make_hub()
    faq = FAQ.objects.create(hub=hub, question="Alone?", answer="No.")
    assert faq.group.hub == hub and str(faq.group) == "Frequently asked questions"
    second = FAQ.objects.create(hub=hub, question="And me?", answer="The same group.")
    assert second.group == faq.group and hub.faq_groups.count() == 1
    assert FAQ.objects.create(article=make_article(), question="Q?", answer="A.").group is None


def test_an_faq_in_another_hubs_group_is_refused(make_hub):
    hub, other = make_hub(), make_hub()
    group = faq_group(other, "Theirs", 0)
    faq = FAQ(hub=hub, group=group, question="Q?", answer="A.")
    with pytest.raises(Exception, match="this hub's FAQ groups"):
        faq.full_clean()


def test_an_editor_adds_a_group_then_files_a_question_under_it_in_the_admin(admin_client, client, make_hub):
    hub = make_hub()
    faq_group(hub, "General questions", 0, "Is it covered?")
    response = edit_in_admin(admin_client, hub, **{
        "faq_groups-TOTAL_FORMS": "2", "faq_groups-1-heading": "Key questions executives ask",
        "faq_groups-1-order": "1"})
    assert response.status_code == 302
    key = hub.faq_groups.get(heading="Key questions executives ask")
    html = admin_client.get(change_url(hub)).text
    assert f'<option value="{key.pk}">Key questions executives ask</option>' in html
    assert "The first group" in html
    response = edit_in_admin(admin_client, hub, **{
        "faqs-TOTAL_FORMS": "2", "faqs-1-group": str(key.pk), "faqs-1-question": "Why can I still perform?",
        "faqs-1-answer": "Different circuits.", "faqs-1-order": "0"})
    assert response.status_code == 302
    assert FAQ.objects.get(question="Why can I still perform?").group == key
    page = client.get(hub.get_absolute_url()).text
    page = page[page.index("</head>"):]
    assert page.index("General questions") < page.index("Key questions executives ask") < page.index(
        "Why can I still perform?")


def test_a_group_that_still_holds_questions_is_not_deleted_and_the_form_says_why(admin_client, make_hub):
    hub = make_hub()
    faq_group(hub, "General questions", 0, "Is it covered?")
    response = edit_in_admin(admin_client, hub, **{"faq_groups-0-DELETE": "on"})
    assert response.status_code == 200 and "protected related objects" in response.text
    assert hub.faq_groups.count() == 1 and hub.faqs.count() == 1


def test_a_group_is_not_deleted_in_the_save_that_moves_a_question_into_it(admin_client, make_hub):
    hub = make_hub()
    general = faq_group(hub, "General questions", 0, "Is it covered?")
    empty = faq_group(hub, "Soon gone", 1)
    response = edit_in_admin(admin_client, hub, **{"faq_groups-1-DELETE": "on", "faqs-0-group": str(empty.pk)})
    assert response.status_code == 200 and "“Soon gone” is chosen for a question below" in response.text
    assert hub.faq_groups.count() == 2 and hub.faqs.get().group == general
    assert edit_in_admin(admin_client, hub, **{"faq_groups-1-DELETE": "on"}).status_code == 302
    assert list(hub.faq_groups.all()) == [general]


def test_deleting_a_hub_deletes_its_groups_and_questions(make_hub):
    hub = make_hub()
    faq_group(hub, "General questions", 0, "Is it covered?")
    hub.delete()
    assert not FAQGroup.objects.exists() and not FAQ.objects.exists()


def test_an_editors_move_of_a_question_to_another_group_waits_in_the_revision(client, make_staff, make_hub):
    hub = make_hub()
    general = faq_group(hub, "General questions", 0, "Is it covered?")
    key = faq_group(hub, "Key questions", 1)
    client.force_login(make_staff("Editors"))
    response = edit_in_admin(client, hub, **{"faqs-0-group": str(key.pk)})
    assert response.status_code == 302
    revision = hub.revisions.get()
    moved = revision.faqs.get()
    assert moved.group.hub == revision and moved.group.heading == "Key questions"  # the revision's own copy
    assert hub.faqs.get().group == general  # the live page is unchanged until approved
    live = revision.approve()
    assert live.faqs.get().group.heading == "Key questions"
    assert [group.heading for group in live.faq_groups.all()] == ["General questions", "Key questions"]


def test_versions_record_the_groups_and_a_restore_puts_each_question_back_in_its_group(admin_client, make_hub):
    hub = make_hub(is_published=False)
    faq_group(hub, "General questions", 0, "Is it covered?")
    faq_group(hub, "Key questions", 1, "Why can I still perform?")
    assert edit_in_admin(admin_client, hub).status_code == 302
    old = hub.history.order_by("-history_id").first()
    lists = old.related_lists
    assert [item["label"] for item in lists["faq_groups"]] == ["General questions", "Key questions"]
    assert [item["label"] for item in lists["faqs"]] == [
        "General questions — Is it covered? — About Is it covered?",
        "Key questions — Why can I still perform? — About Why can I still perform?"]
    hub.faqs.all().delete()
    hub.faq_groups.all().delete()
    faq_group(hub, "Something else", 0, "New question?")
    url = reverse("admin:hubs_hub_restore_version", args=[hub.pk, old.history_id])
    assert admin_client.post(url).status_code == 302
    assert [(faq.group.heading, faq.question) for faq in hub.faqs.all()] == [
        ("General questions", "Is it covered?"), ("Key questions", "Why can I still perform?")]


def test_an_articles_reading_time_still_counts_its_faq_words(make_article):
    body = " ".join(["word"] * 220)
    article = make_article(body=body, faqs=[("Why?", " ".join(["answer"] * 30))])
    assert Article.objects.for_cards().get(pk=article.pk).reading_time == 2  # 220 + 31 words: past 230
    assert make_article(body=body).reading_time == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_hubs_faqs_into_one_group_under_its_heading_and_back():
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    before = [node for node in after if node[0] not in {"faqs", "hubs"}] + [
        ("faqs", "0002_seo_dates_reading"), ("hubs", "0011_version_lists")]
    try:
        executor.migrate(before)
        apps = MigrationExecutor(connection).loader.project_state(before).apps
        OldHub, OldFAQ = apps.get_model("hubs", "Hub"), apps.get_model("faqs", "FAQ")
        hub = OldHub.objects.create(title="Drive", slug="drive", faq_heading="Key questions executives ask")
        bare = OldHub.objects.create(title="Sleep", slug="sleep")
        for order, question in enumerate(["First?", "Second?"]):
            OldFAQ.objects.create(hub=hub, question=question, answer="A.", order=order)
        OldFAQ.objects.create(hub=bare, question="Only?", answer="A.")
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert [(faq.group.heading, faq.question) for faq in FAQ.objects.filter(hub_id=hub.pk)] == [
            ("Key questions executives ask", "First?"), ("Key questions executives ask", "Second?")]
        assert str(FAQ.objects.get(hub_id=bare.pk).group) == "Frequently asked questions"
        FAQGroup.objects.create(hub_id=hub.pk, heading="General", order=1)
        executor = MigrationExecutor(connection)
        executor.migrate(before)  # back: one list, the first group's heading
        apps = MigrationExecutor(connection).loader.project_state(before).apps
        assert apps.get_model("hubs", "Hub").objects.get(pk=hub.pk).faq_heading == "Key questions executives ask"
        assert apps.get_model("faqs", "FAQ").objects.filter(hub_id=hub.pk).count() == 2
    finally:
        MigrationExecutor(connection).migrate(after)


# The table of contents


def test_the_contents_nest_h3_under_h2_and_keep_an_h3_before_any_h2():
    toc = render("### Before any section\n\nx\n\n## First\n\n### One\n\n#### Too deep\n\n### Two\n\n## Second").toc
    assert toc == [
        {"id": "before-any-section", "title": "Before any section", "children": []},
        {"id": "first", "title": "First", "children": [{"id": "one", "title": "One"}, {"id": "two", "title": "Two"}]},
        {"id": "second", "title": "Second", "children": []},
    ]


def test_the_contents_are_a_nested_list_on_the_page(client, make_hub):
    hub = make_hub(body="### Early\n\nx\n\n## Why does drive fade?\n\n### In the striatum\n\nText.\n\n## What helps?")
    html = client.get(hub.get_absolute_url()).text
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.DOTALL).group(0)
    flat = re.sub(r"\s+", "", toc)
    assert ('<ol><li><ahref="#early">Early</a></li><li><ahref="#why-does-drive-fade">Whydoesdrivefade?</a>'
            '<ol><li><ahref="#in-the-striatum">Inthestriatum</a></li></ol></li>'
            '<li><ahref="#what-helps">Whathelps?</a></li></ol>') in flat
    assert 'aria-labelledby="toc-heading"' in toc


# No article listed twice


def make_articles(make_article, hub, count):
    return [make_article(primary_hub=hub, title=f"Piece {n:02d}", publish_at=timezone.now() - timedelta(hours=n + 1))
            for n in range(count)]


@pytest.mark.parametrize("count", [1, 3, 5, 12])
def test_a_small_hub_lists_each_article_once(client, make_hub, make_article, count):
    hub = make_hub()
    make_articles(make_article, hub, count)
    html = client.get(hub.get_absolute_url()).text
    titles = card_titles(html)
    assert sorted(titles) == [f"Piece {n:02d}" for n in range(count)]  # each once
    assert titles[:3] == [f"Piece {n:02d}" for n in range(min(count, 3))]  # the newest first, under Latest
    assert ("More " in html) == (count > 3)


def test_a_large_hub_lists_each_article_once_per_page_and_every_article_on_some_page(client, make_hub, make_article):
    hub = make_hub()
    make_articles(make_article, hub, 30)
    seen = []
    for page in (1, 2, 3):
        html = client.get(hub.get_absolute_url(), {"page": page} if page > 1 else {}).text
        titles = card_titles(html)
        assert len(titles) == len(set(titles)), page
        assert titles[:3] == ["Piece 00", "Piece 01", "Piece 02"]  # Latest, on every page
        seen += listed_titles(html, "all-articles")
    assert sorted(seen + ["Piece 00", "Piece 01", "Piece 02"]) == [f"Piece {n:02d}" for n in range(30)]


def test_an_empty_hub_says_it_has_no_articles_yet(client, make_hub):
    html = client.get(make_hub().get_absolute_url()).text
    assert "No articles in this hub yet." in html and "Latest articles" not in html


# Queries


@pytest.mark.parametrize("articles", [5, 60])
def test_the_featured_card_and_faq_groups_cost_one_query_with_every_fragment_cache_empty(
        client, settings, django_assert_num_queries, make_hub, make_article, make_faq, articles):
    settings.PAGE_CACHE = False
    hub = make_hub()
    for article in make_articles(make_article, hub, articles)[:1]:
        hub.featured_article = article
        hub.save()
    faq_group(hub, "Key questions", 0, "One?", "Two?")
    faq_group(hub, "General", 1, "Three?")
    client.get(hub.get_absolute_url())
    with django_assert_num_queries(2):  # the hub, the article count: everything else is in fragments
        client.get(hub.get_absolute_url())
    cache.clear()
    content_version()
    # The hub, the count, the featured card, its FAQs (all groups), site settings, the page's cards and their
    # tags, related hubs, citations, the header and footer menus; no author here.
    with django_assert_num_queries(10):
        assert client.get(hub.get_absolute_url()).status_code == 200


# The importer


def write(folder, name, fields, body=""):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{yaml.safe_dump(fields, sort_keys=False)}---\n\n{body}\n")
    return path


def run_import(path):
    """The command's output, also when a file failed (it then exits non-zero, after the report)."""
    out = io.StringIO()
    try:
        call_command("import_content", str(path), stdout=out)
    except CommandError as error:
        return f"{out.getvalue()}{error}"
    return out.getvalue()


@pytest.fixture
def hub_file(tmp_path, make_article):
    make_article(slug="ketamine", title="Ketamine")
    hub = {"type": "hub", "title": "Drive", "slug": "drive", "status": "published", "featured_article": "ketamine",
           "faq_groups": [{"heading": "Key questions executives ask", "faqs": [
               {"question": "Why can I still perform?", "answer": "Different **circuits**."}]},
               {"heading": "General questions", "faqs": [{"question": "Is it covered?", "answer": "Ask us."},
                                                         {"question": "How long?", "answer": "Weeks."}]}]}
    return tmp_path, hub


@pytest.mark.django_db
def test_the_importer_reads_faq_groups_and_the_featured_article(hub_file, client):
    folder, fields = hub_file
    write(folder, "drive.md", fields, "## Drive")
    output = run_import(folder)
    hub = Hub.objects.get(slug="drive")
    assert "1 created" in output and hub.featured_article.slug == "ketamine"
    assert [(faq.group.heading, faq.question) for faq in hub.faqs.all()] == [
        ("Key questions executives ask", "Why can I still perform?"), ("General questions", "Is it covered?"),
        ("General questions", "How long?")]
    html = client.get(hub.get_absolute_url()).text
    assert 'aria-label="Featured article"' in html and "Key questions executives ask" in html
    assert "1 unchanged" in run_import(folder)


@pytest.mark.django_db
def test_the_importer_keeps_faq_heading_and_faqs_as_one_group(hub_file):
    folder, fields = hub_file
    del fields["faq_groups"], fields["featured_article"]
    fields.update(faq_heading="Key questions", faqs=[{"question": "One?", "answer": "Yes."}])
    write(folder, "drive.md", fields)
    run_import(folder)
    hub = Hub.objects.get(slug="drive")
    assert [(group.heading, [faq.question for faq in group.faqs.all()]) for group in hub.faq_groups.all()] == [
        ("Key questions", ["One?"])]
    assert "1 unchanged" in run_import(folder)


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "problem"), [
    ({"faqs": [{"question": "Also?", "answer": "No."}]}, "faq_groups: give faq_groups, or faq_heading with faqs"),
    ({"faq_groups": [{"heading": "Empty", "faqs": []}]}, "faq_groups #1: give at least one question under faqs"),
    ({"faq_groups": [{"title": "Wrong"}]}, "faq_groups #1: 'title' is not one of: heading, faqs"),
    ({"faq_groups": [{"heading": "H", "faqs": [{"question": "No answer?"}]}]},
     "faq_groups #1 faqs #1: answer is required"),
    ({"featured_article": "nowhere"}, 'featured_article "nowhere": no article with this slug'),
])
def test_the_importer_names_a_bad_faq_group_or_featured_article_and_saves_nothing(hub_file, change, problem):
    folder, fields = hub_file
    write(folder, "drive.md", {**fields, **change})
    assert f"drive.md: {problem}" in run_import(folder)
    assert not Hub.objects.filter(slug="drive").exists()
