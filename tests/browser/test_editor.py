"""Writing an article in Chromium: the Markdown editor's toolbar and preview (which equals the published page),
paste from Word and Google Docs, sections that stay as the editor left them, the draft copy kept in the
browser, the media library's "mindlab:insert" event, and no console or CSP error on the way. Screenshots of the
article form at 1280 and 390 px go to tests/browser/screenshots/editor-*.png."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-browser-tests"
BODY = """Sleep is when the brain files the day away.

## What happens at night?

Slow-wave sleep replays what you learned, and **deep sleep** clears *waste* from the brain.

- Keep a regular bedtime
- Dim the lights an hour before
    - screens too

1. Write tomorrow's list
2. Put it away

> Sleep is the best meditation.

| Stage | Share of the night |
| --- | --- |
| Deep sleep | 20% |

Read the [sleep study](https://example.org/study "A trial") — it's short.
"""

WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head>
<body><!--StartFragment--><h1>Morning light</h1>
<p class=MsoNormal>Light in the first hour <b>sets the clock</b> and <i>lifts the mood</i>.<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span></span><![endif]>Go outside<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span></span><![endif]>Skip the sunglasses<o:p></o:p></p>
<p class=MsoNormal>See <a href="https://example.org/light">the light study</a>.<o:p></o:p></p>
<!--EndFragment--></body></html>"""

GOOGLE_DOCS_HTML = """<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1234"><h2 dir="ltr">
<span style="font-size:16pt;font-weight:400;">Evening routine</span></h2><p dir="ltr"><span style="font-weight:400;">
Keep it </span><span style="font-weight:700;">short</span><span style="font-weight:400;"> and </span><span
style="font-style:italic;font-weight:400;">boring</span><span style="font-weight:400;">.</span></p><ol><li dir="ltr">
<p dir="ltr"><span>Tea without caffeine</span></p></li><li dir="ltr"><p dir="ltr"><span>A book</span></p></li></ol>
<p dir="ltr"><a href="https://www.google.com/url?q=https://example.org/evening&amp;sa=D"><span>Why it works</span></a>
</p></b>"""


@pytest.fixture
def desk(live_server, django_user_model, make_article, settings, tmp_path):
    """A superuser, a published article with BODY (the page the preview must equal) and a draft to write in."""
    settings.MEDIA_ROOT = tmp_path
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    published = make_article(title="Sleep and memory", slug="sleep-and-memory", body=BODY)
    draft = make_article(title="Morning light", slug="morning-light", body="An opening line.\n",
                         status="draft", primary_hub=published.primary_hub, author=published.author)
    return live_server.url, published, draft


def sign_in(page, base):
    # Django admin's own pages link no icon, so Chromium asks for /favicon.ico: not what this test is about.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


def open_form(page, base, article):
    page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
    page.wait_for_selector(".markdown-editor .CodeMirror")


def preview_html(page):
    """The preview's body, once it shows the editor's current text."""
    page.wait_for_selector(".markdown-editor iframe.markdown-preview[data-current]", state="attached")
    return page.frame_locator(".markdown-editor iframe.markdown-preview").locator(".prose").inner_html()


def editor_text(page):
    return page.locator("#id_body").input_value()


def set_text(page, text):
    """What a script (or another helper's button) does: set the field; the editor follows."""
    page.fill("#id_body", text)


def watch_csp(page):
    violations = []
    page.expose_function("reportCsp", lambda text: violations.append(text))
    page.add_init_script("document.addEventListener('securitypolicyviolation', "
                         "e => window.reportCsp(e.violatedDirective + ' ' + e.blockedURI))")
    return violations


def test_editor_toolbar_and_preview_equal_the_published_page(desk, open_page, screenshot_dir):
    base, published, draft = desk
    page, watch = open_page()
    violations = watch_csp(page)
    sign_in(page, base)
    open_form(page, base, draft)

    toolbar = page.locator(".markdown-editor .editor-toolbar")
    for label in ["Section heading (##)", "Bold", "Italic", "Bulleted list", "Numbered list", "Link", "Pull quote",
                  "Insert image", "Preview beside the text"]:
        assert toolbar.get_by_role("button", name=label).is_visible(), label
    assert page.locator(".markdown-editor.sided--no-fullscreen").count() == 1  # the preview is beside the text

    # Typing updates the preview, rendered by the site.
    page.locator(".markdown-editor .CodeMirror-code").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nTyped *now*, in the editor.")
    page.wait_for_function("() => document.querySelector('iframe.markdown-preview').contentDocument"
                           ".querySelector('.prose').innerHTML.includes('<em>now</em>')")
    assert editor_text(page).endswith("Typed *now*, in the editor.")

    # The same text as the published article: the preview is the page's body, to the character.
    set_text(page, BODY)
    page.wait_for_function("() => document.querySelector('iframe.markdown-preview').contentDocument"
                           ".querySelector('.prose').innerHTML.includes('sleep study')")
    shown = preview_html(page)
    visitor, visitor_watch = open_page()
    visitor.goto(base + published.get_absolute_url())
    assert shown == visitor.locator(".layout__main > .prose").inner_html()
    assert "<h2 id=\"what-happens-at-night\">" in shown and "<table>" in shown
    # It looks like the page: the site's stylesheet and its article typography.
    font = page.frame_locator("iframe.markdown-preview").locator(".prose h2").evaluate(
        "h => getComputedStyle(h).fontFamily")
    assert font == visitor.locator(".layout__main > .prose h2").first.evaluate("h => getComputedStyle(h).fontFamily")
    assert "1,2" in page.locator(".markdown-editor__status").inner_text() or "words" in page.locator(
        ".markdown-editor__status").inner_text()

    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=screenshot_dir / "editor-article-form-top-1280.png")
    page.locator(".field-body").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "editor-article-form-1280.png")
    assert violations == [] and watch.problems == [] and visitor_watch.problems == []


def test_pasted_word_and_google_docs_html_becomes_markdown(desk, open_page):
    base, _, draft = desk
    page, watch = open_page()
    sign_in(page, base)
    open_form(page, base, draft)
    paste = """([html, plain]) => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', plain);
        const target = document.querySelector('.markdown-editor .CodeMirror-code');
        target.focus();
        target.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    }"""
    set_text(page, "")
    page.evaluate(paste, [WORD_HTML, "plain"])
    word = editor_text(page)
    assert "# Morning light" in word
    assert "**sets the clock**" in word and "*lifts the mood*" in word
    assert "- Go outside\n- Skip the sunglasses" in word
    assert "[the light study](https://example.org/light)" in word
    assert "·" not in word and "o:p" not in word

    set_text(page, "")
    page.evaluate(paste, [GOOGLE_DOCS_HTML, "plain"])
    docs = editor_text(page)
    assert "## Evening routine" in docs and "**Evening" not in docs
    assert "**short**" in docs and "*boring*" in docs
    assert "1. Tea without caffeine\n2. A book" in docs
    assert "[Why it works](https://example.org/evening)" in docs

    # Markdown copied from a code editor (HTML without formatting) is pasted as the text it is.
    set_text(page, "")
    page.evaluate(paste, ['<div><span style="color:#333">## Already *Markdown*</span></div>', "## Already *Markdown*"])
    assert editor_text(page) == "## Already *Markdown*"
    assert watch.problems == []


def test_sections_stay_as_left_and_the_draft_copy_is_offered_after_reload(desk, open_page, screenshot_dir):
    base, _, draft = desk
    page, watch = open_page()
    violations = watch_csp(page)
    sign_in(page, base)
    open_form(page, base, draft)

    # The audio section is collapsed at first; opened, it stays open after a save.
    seo = page.locator("fieldset.collapse details", has=page.locator("summary", has_text="Audio version"))
    assert not seo.evaluate("d => d.open")
    seo.locator("summary").click()
    page.locator("input[value='Save draft']").first.click()
    page.wait_for_selector(".messagelist")
    assert seo.evaluate("d => d.open")

    # Typed but not saved: leaving asks, and the text comes back on the next visit.
    page.locator(".markdown-editor .CodeMirror-code").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Unsaved words.")
    page.wait_for_function("() => (localStorage.getItem('mindlab:draft:' + location.pathname + '#body') || '')"
                           ".includes('Unsaved')")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.reload()
    assert dialogs == ["beforeunload"]
    page.wait_for_selector(".markdown-editor__offer")
    offer = page.locator(".markdown-editor__offer")
    assert offer.inner_text().startswith("Restore unsaved text from ")
    assert "Unsaved words." not in editor_text(page)
    preview_html(page)
    page.locator(".field-body").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "editor-draft-offered-1280.png")
    offer.get_by_role("button", name="Restore").click()
    assert editor_text(page).endswith("Unsaved words.")

    # Saved: the copy is gone, and the next visit offers nothing.
    page.locator("input[value='Save draft']").first.click()
    page.wait_for_selector(".messagelist")
    assert dialogs == ["beforeunload"]  # saving never asks
    draft.refresh_from_db()
    assert draft.body.endswith("Unsaved words.")
    page.reload()
    page.wait_for_selector(".markdown-editor .CodeMirror")
    assert page.locator(".markdown-editor__offer").count() == 0
    assert page.evaluate("localStorage.getItem('mindlab:draft:' + location.pathname + '#body')") is None
    assert violations == [] and watch.problems == []


def test_media_library_insert_event_and_image_button(desk, open_page):
    base, _, draft = desk
    page, watch = open_page()
    sign_in(page, base)
    open_form(page, base, draft)
    set_text(page, "Before. After.")
    page.evaluate("""() => {
        const cm = document.querySelector('.markdown-editor .CodeMirror').CodeMirror;
        cm.setCursor({line: 0, ch: 7});
    }""")
    handled = page.evaluate("""() => {
        const event = new CustomEvent('mindlab:insert',
            {detail: {text: '![A brain scan](image:12)'}, bubbles: true, cancelable: true});
        return !document.getElementById('id_body').dispatchEvent(event);
    }""")
    assert handled  # the editor took it (preventDefault)
    assert editor_text(page) == "Before. After.\n\n![A brain scan](image:12)"  # a block after its line

    # The toolbar's image button opens the media library's picker (its "Image library…" button beside the field).
    page.get_by_role("button", name="Insert image").click()
    page.locator("dialog.image-picker").wait_for()
    page.keyboard.press("Escape")
    # Where there is no library button, it writes a template to fill in.
    page.evaluate("document.querySelectorAll('[data-insert-image-for]').forEach((b) => b.remove())")
    set_text(page, "")
    page.get_by_role("button", name="Insert image").click()
    assert editor_text(page) == "![Describe the image](https://)"
    assert watch.problems == []


def test_article_form_on_a_phone(desk, open_page, screenshot_dir):
    base, _, draft = desk
    page, watch = open_page(width=390, height=844)
    violations = watch_csp(page)
    sign_in(page, base)
    open_form(page, base, draft)
    page.locator(".field-body").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "editor-article-form-390.png")
    box = page.locator(".markdown-editor").bounding_box()
    assert box["width"] >= 330  # the editor takes the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    page.get_by_role("button", name="Preview only").click()
    page.wait_for_function("() => document.querySelector('.editor-preview-active iframe.markdown-preview')")
    page.screenshot(path=screenshot_dir / "editor-preview-390.png")
    assert violations == [] and watch.problems == []


def test_new_article_from_a_word_file(desk, open_page, screenshot_dir, tmp_path):
    from tests.test_editor import word_file

    base, published, _ = desk
    page, watch = open_page()
    violations = watch_csp(page)
    sign_in(page, base)
    page.goto(base + "/admin/articles/article/")
    page.get_by_role("link", name="New article from a Word file").click()
    path = tmp_path / "anxious-brain.docx"
    path.write_bytes(word_file().read())
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_primary_hub", str(published.primary_hub.pk))
    page.select_option("#id_author", str(published.author.pk))
    page.screenshot(path=screenshot_dir / "editor-word-import-1280.png")
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_selector(".markdown-editor .CodeMirror")
    assert "created from anxious-brain.docx" in page.locator(".messagelist").inner_text()
    assert page.input_value("#id_title") == "Sleep and the Anxious Brain"
    assert "## What happens at night" in editor_text(page)
    assert "<strong>essential</strong>" in preview_html(page)
    assert violations == [] and watch.problems == []


def test_hub_intro_and_essay_each_have_an_editor(desk, open_page, screenshot_dir):
    base, published, _ = desk
    hub = published.primary_hub
    page, watch = open_page()
    violations = watch_csp(page)
    sign_in(page, base)
    page.goto(f"{base}/admin/hubs/hub/{hub.pk}/change/")
    page.wait_for_selector(".field-body .markdown-editor .CodeMirror")
    assert page.locator(".markdown-editor").count() == 2
    page.fill("#id_intro", "An *intro* for the hub.")
    page.wait_for_function("() => document.querySelector('.field-intro iframe.markdown-preview')"
                           ".contentDocument.querySelector('.prose').innerHTML.includes('<em>intro</em>')")
    page.locator(".field-intro").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "editor-hub-form-1280.png")
    assert violations == [] and watch.problems == []
