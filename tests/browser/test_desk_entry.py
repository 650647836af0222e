"""Issue 16's measure, in Chromium: an Editor enters a 2,500-word article with 6 references, 5 FAQs, 2 body images,
a hero image and its SEO fields, and submits it for review, the fastest way the desk allows; a small wrapper counts
the clicks, typed fields, files chosen and form submissions. Before issue 16 the same article took 31 clicks,
69 typed fields and 8 form submissions, and its body images could not be placed at all (docs/editors.md, "Writing
an article, step by step"). Screenshots: tests/browser/screenshots/desk-entry-*-1280.png."""

import json

import pytest
from django.contrib.auth.models import Group, Permission

from articles.models import Article
from authors.models import Author
from hubs.models import Hub
from media_library.models import Image

from .test_body_images import photo
from .test_workflow import sign_in, staff, staff_groups

pytestmark = pytest.mark.django_db(transaction=True)

# The budget "after": what the desk needs now, with a little room. Before: 31 clicks, 69 typed fields, 8 submissions.
BUDGET = {"clicks": 20, "typed_fields": 28, "files": 3, "form_submissions": 4}

BIBTEX = r"""@article{nestler2006,
  author = {Nestler, Eric J. and Carlezon, William A.},
  title = {The mesolimbic dopamine reward circuit in depression},
  journal = {Biological Psychiatry}, year = {2006}, volume = {59}, number = {12}, pages = {1151--1159},
  doi = {10.1016/j.biopsych.2005.09.018},
}
@article{russo2013,
  author = {Russo, Scott J. and Nestler, Eric J.},
  title = {The brain reward circuitry in mood disorders},
  journal = {Nature Reviews Neuroscience}, year = {2013}, volume = {14}, number = {9}, pages = {609--625},
  doi = {10.1038/nrn3381},
}
@article{treadway2011,
  author = {Treadway, Michael T. and Zald, David H.},
  title = {Reconsidering anhedonia in depression: Lessons from translational neuroscience},
  journal = {Neuroscience \& Biobehavioral Reviews}, year = {2011}, volume = {35}, number = {3}, pages = {537--555},
  doi = {10.1016/j.neubiorev.2010.06.006},
}
@article{pizzagalli2014,
  author = {Pizzagalli, Diego A.},
  title = {Depression, stress, and anhedonia: Toward a synthesis and integrated model},
  journal = {Annual Review of Clinical Psychology}, year = {2014}, volume = {10}, pages = {393--423},
  doi = {10.1146/annurev-clinpsy-050212-185606},
}
@article{salamone2012,
  author = {Salamone, John D. and Correa, Merc{\`e}},
  title = {The mysterious motivational functions of mesolimbic dopamine},
  journal = {Neuron}, year = {2012}, volume = {76}, number = {3}, pages = {470--485},
  doi = {10.1016/j.neuron.2012.10.021},
}
@article{cuijpers2020,
  author = {Cuijpers, Pim and Noma, Hisashi and Karyotaki, Eirini and Vinkers, Christiaan H. and Cipriani, Andrea
            and Furukawa, Toshi A.},
  title = {A network meta-analysis of the effects of psychotherapies, pharmacotherapies and their combination in the
           treatment of adult depression},
  journal = {World Psychiatry}, year = {2020}, volume = {19}, number = {1}, pages = {92--107},
  doi = {10.1002/wps.20701},
}
"""
DOIS = ["10.1016/j.biopsych.2005.09.018", "10.1038/nrn3381", "10.1016/j.neubiorev.2010.06.006",
        "10.1146/annurev-clinpsy-050212-185606", "10.1016/j.neuron.2012.10.021", "10.1002/wps.20701"]

QUESTIONS = ["Why does effort feel heavier in depression?", "What does dopamine do in motivation?",
             "Is anhedonia the same as sadness?", "Which treatments help restore motivation?",
             "What small steps can I take this week?", "When should I talk to a clinician?"]
SENTENCES = [
    "The reward circuit links the ventral tegmental area with the nucleus accumbens and the prefrontal cortex.",
    "In depression the brain tends to weigh the cost of effort more heavily than the value of the reward.",
    "People often describe this as wanting to want things, yet finding that nothing pulls them forward.",
    "Dopamine signals are less about pleasure itself and more about whether a goal seems worth the work.",
    "Chronic stress changes how these circuits respond, and sleep loss makes the change easier to notice.",
    "Clinicians look at motivation, interest and enjoyment separately, because each can recover at its own pace.",
    "Small, scheduled activities give the circuit evidence that effort leads somewhere worth going.",
    "Psychotherapy and medication each help many people, and combining them often helps more.",
]


def article_body(words=2500):
    """A long article as an editor writes it: question sections, a list, a pull quote, paragraphs between."""
    parts, count, section = [], 0, 0
    while count < words:
        if count // 420 >= section and section < len(QUESTIONS):
            parts.append(f"## {QUESTIONS[section]}")
            section += 1
        paragraph = " ".join(SENTENCES[(count // 17 + i) % len(SENTENCES)] for i in range(5))
        parts.append(paragraph)
        count += len(paragraph.split())
        if section == 2 and "- Plan" not in "\n".join(parts):
            parts.append("- Plan one small activity a day\n- Notice what it cost and what it gave\n"
                         "- Keep going when the reward feels faint")
            count += 24
        if section == 4 and not any(part.startswith(">") for part in parts):
            parts.append("> Motivation often returns after action, not before it.")
            count += 8
    return "\n\n".join(parts) + "\n"


class Counter:
    """Counts what the editor does: every click, every typed field (one fill is one), every file chosen, and
    every form submission (a document POST, or an upload the editor starts in the image picker; not the
    preview and autosave requests the page makes by itself)."""

    def __init__(self, context):
        self.clicks = self.typed_fields = self.files = self.form_submissions = 0
        context.on("request", self._request)

    def _request(self, request):
        if request.method == "POST" and (request.resource_type == "document" or "/picker/upload/" in request.url):
            self.form_submissions += 1

    def click(self, locator, **options):
        self.clicks += 1
        locator.click(**options)

    def fill(self, locator, value):
        self.typed_fields += 1
        locator.fill(value)

    def choose_file(self, locator, path):
        self.files += 1
        locator.set_input_files(str(path))

    def counts(self):
        return {"clicks": self.clicks, "typed_fields": self.typed_fields, "files": self.files,
                "form_submissions": self.form_submissions}


def pick(c, page, select_id, text):
    """An autocomplete (select2) field: open it, type, choose."""
    c.click(page.locator(f"#{select_id} + .select2 .select2-selection"))
    c.fill(page.locator(".select2-container--open .select2-search__field"), text)
    option = page.locator(".select2-results__option:not(.loading-results)", has_text=text if "/" not in text else "")
    c.click(option.first)


def insert_image(c, page, after_heading, file, alt, caption):
    """Put the cursor after a section heading, and upload an image there through the toolbar's picker."""
    line = page.locator(".markdown-editor .CodeMirror-line", has_text=after_heading)
    page.locator(".markdown-editor .CodeMirror").first.hover()
    for _ in range(60):  # the editor draws only the lines in view: scroll it (no click) until the heading shows
        if line.count():
            break
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(50)
    line.scroll_into_view_if_needed()
    box = line.bounding_box()
    c.click(line, position={"x": box["width"] - 4, "y": box["height"] - 4})  # after the heading (it may wrap)
    c.click(page.locator(".markdown-editor .editor-toolbar").get_by_role("button", name="Insert image"))
    dialog = page.locator("dialog.image-picker")
    dialog.wait_for()
    c.choose_file(dialog.locator("#image-picker-file"), file)
    c.fill(dialog.locator("#image-picker-alt"), alt)
    c.fill(dialog.locator("#image-picker-caption"), caption)
    c.click(dialog.locator("button[type=submit]"))
    dialog.wait_for(state="hidden")


def test_an_editor_enters_a_long_article_with_references_faqs_and_images_within_budget(
        live_server, open_page, screenshot_dir, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff_groups()
    Group.objects.get(name="Editors").permissions.add(
        *Permission.objects.filter(content_type__app_label="media_library"))  # as its migration grants them
    staff("edith", "Editors")
    Hub.objects.create(title="Depression", slug="depression", intro="How depression works and what helps.")
    Author.objects.create(name="Dr. Jane Doe", slug="jane-doe")
    body = article_body()
    assert len(body.split()) >= 2500
    hero, first, second = (photo(tmp_path / f"{name}.jpg") for name in ("hero", "circuit", "effort"))

    page, watch = open_page()
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    c = Counter(page.context)
    c.typed_fields += 2  # sign_in fills the user name and password and clicks once
    c.clicks += 1
    sign_in(page, live_server.url, "edith")
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.wait_for_selector(".markdown-editor .CodeMirror")

    c.fill(page.locator("#id_title"), "Why effort feels heavier in depression: the brain's reward circuit")
    c.fill(page.locator("#id_excerpt"), "How the reward circuit changes in depression, and what helps restore drive.")
    pick(c, page, "id_primary_hub", "Depression")
    c.fill(page.locator("#id_tags"), "dopamine, motivation, anhedonia")
    pick(c, page, "id_author", "Jane")
    c.fill(page.locator("#id_key_takeaways"), "Effort costs rise\nReward signals dim\nSmall steps help")
    c.fill(page.locator("#id_body"), body)  # pasted in one go; the Markdown editor follows the field
    insert_image(c, page, QUESTIONS[1], first, "Diagram of the brain's reward circuit",
                 "The reward circuit: from the ventral tegmental area to the nucleus accumbens.")
    insert_image(c, page, QUESTIONS[3], second, "A steep path drawn as rising steps",
                 "In depression the same step looks steeper.")
    page.locator(".field-body").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "desk-entry-body-1280.png")

    c.choose_file(page.locator("#id_hero_image"), hero)
    c.fill(page.locator("#id_hero_alt"), "Concentric rings, an illustration of a reward circuit")

    # All six references in one paste into the form's "Add references" box: cited on save, in this order.
    c.fill(page.locator("#id_paste_references"), BIBTEX)
    page.locator("#citations-group").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "desk-entry-citations-1280.png")

    for i in range(5):
        c.click(page.locator("#faqs-group .add-row a"))
        c.fill(page.locator(f"[name='faqs-{i}-question']"), QUESTIONS[i])
        c.fill(page.locator(f"[name='faqs-{i}-answer']"), " ".join(SENTENCES[i:i + 3]))

    c.fill(page.locator("#id_seo_title"), "Effort and reward in depression")
    c.fill(page.locator("#id_meta_description"), "Why everyday effort feels heavier in depression, what the "
           "brain's reward circuit does, and which treatments help restore motivation.")
    page.locator("#id_meta_description").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "desk-entry-seo-1280.png")
    c.click(page.locator("input[name=_submit]").first)
    page.wait_for_selector(".messagelist")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=screenshot_dir / "desk-entry-submitted-1280.png")

    counts = c.counts()
    print("DESK", json.dumps({**counts, "words": len(body.split()), "body_images": 2}))

    article = Article.objects.get()
    assert article.status == "review"
    assert [citation.reference.doi for citation in article.citations.all()] == DOIS
    assert list(article.faqs.values_list("question", flat=True)) == QUESTIONS[:5]
    images = list(Image.objects.order_by("pk"))
    assert [image.caption for image in images] == ["The reward circuit: from the ventral tegmental area to the "
                                                   "nucleus accumbens.", "In depression the same step looks steeper."]
    assert article.body.count("(image:") == 2
    assert article.body.index(f"image:{images[0].pk}") < article.body.index(f"## {QUESTIONS[2]}")
    assert article.body.index(f"## {QUESTIONS[3]}") < article.body.index(f"image:{images[1].pk}")
    assert article.hero_image and article.hero_alt and article.seo_title and article.meta_description

    # The saved draft, as the editor's preview renders it (the site's own renderer): two figures, captioned.
    page.wait_for_selector(".markdown-editor iframe.markdown-preview[data-current]", state="attached")
    figures = page.frame_locator(".markdown-editor iframe.markdown-preview").locator(".prose figure")
    assert figures.locator("figcaption").all_inner_texts() == [image.caption for image in images]
    assert figures.locator("img").evaluate_all("imgs => imgs.map(i => i.alt)") == [image.alt for image in images]
    page.locator(".field-body").scroll_into_view_if_needed()
    figures.first.scroll_into_view_if_needed()
    figures.first.locator("img").evaluate("img => img.decode()")  # it loads lazily: the file is there
    page.screenshot(path=screenshot_dir / "desk-entry-preview-figure-1280.png")

    assert all(counts[name] <= limit for name, limit in BUDGET.items()), counts
    assert watch.problems == []
