"""An image in an article's body, in Chromium: a Reviewer opens a live article, clicks "Insert image", uploads a
new image with its alt text, caption and credit in the picker, approves and publishes the revision, and a
visitor sees the figure with its caption. Screenshots (1280 and 390 px) of the picker and of the public figure
go to tests/browser/screenshots/body-images-*.png."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from PIL import Image as Picture
from PIL import ImageDraw

from media_library.models import Image

from .test_workflow import ARTICLE, open_article_form, sign_in, staff, staff_groups

pytestmark = pytest.mark.django_db(transaction=True)


def photo(path):
    picture = Picture.new("RGB", (1600, 1000), (227, 241, 239))
    draw = ImageDraw.Draw(picture)
    for ring in range(9):
        inset = 40 * ring
        draw.ellipse((300 + inset, 120 + inset, 1300 - inset, 880 - inset), outline=(11, 107, 102), width=10)
    picture.save(path, "JPEG", quality=85)
    return path


def test_an_image_uploaded_in_the_picker_shows_on_the_published_page_with_its_caption(
        demo_site, open_page, screenshot_dir, tmp_path):
    staff_groups()
    reviewer = staff("rita", "Reviewers")
    reviewer.user_permissions.add(*Permission.objects.filter(content_type__app_label="media_library"))
    file = photo(tmp_path / "rings.jpg")

    page, watch = open_page()
    sign_in(page, demo_site, "rita")
    open_article_form(page, demo_site)
    page.locator(".markdown-editor .CodeMirror").first.click()  # the body's Markdown editor
    page.keyboard.press("Control+End")
    button = page.locator('[data-insert-image-for="id_body"]')
    button.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "body-images-button-1280.png")
    button.click()
    dialog = page.locator("dialog.image-picker")
    dialog.wait_for()
    # The picker searches the library as it opens: wait for its answer, not for "Searching…".
    dialog.locator(".image-picker__status", has_text="The library is empty").wait_for()
    dialog.locator("#image-picker-file").set_input_files(str(file))
    dialog.locator("#image-picker-alt").fill("Concentric teal rings")
    dialog.locator("#image-picker-caption").fill("How attention narrows under stress.")
    dialog.locator("#image-picker-credit").fill("Illustration: MindLAB")
    page.screenshot(path=screenshot_dir / "body-images-picker-upload-1280.png")
    dialog.locator("button[type=submit]").click()
    dialog.wait_for(state="hidden")
    image = Image.objects.get()
    assert page.locator("#id_body").input_value().count(f"![](image:{image.pk})") == 1  # via the editor

    # Choosing it again from the library, on a phone.
    phone, phone_watch = open_page(width=390, height=844)
    sign_in(phone, demo_site, "rita")
    open_article_form(phone, demo_site)
    phone.locator('[data-insert-image-for="id_body"]').scroll_into_view_if_needed()
    phone.screenshot(path=screenshot_dir / "body-images-button-390.png")
    phone.locator('[data-insert-image-for="id_body"]').click()
    phone.locator(".image-picker__choice").first.wait_for()
    phone.screenshot(path=screenshot_dir / "body-images-picker-library-390.png")
    phone.keyboard.press("Escape")
    phone.locator("dialog.image-picker").wait_for(state="hidden")

    # By keyboard alone: the button, the search field, the choice. The Markdown editor listens for
    # "mindlab:insert" and calls preventDefault(): it inserts the text once, and the picker adds no second copy.
    phone_body = phone.locator("#id_body")
    before = phone_body.input_value()
    phone.evaluate("""() => document.querySelector('#id_body').addEventListener('mindlab:insert', (event) => {
        window.inserted = event.detail.text; }, {once: true})""")
    phone.locator('[data-insert-image-for="id_body"]').focus()
    phone.keyboard.press("Enter")
    phone.keyboard.type("teal")
    phone.get_by_text("1 image(s). Choose one to insert it.").wait_for()
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    phone.locator("dialog.image-picker").wait_for(state="hidden")
    assert phone.evaluate("window.inserted") == f"![](image:{image.pk})"
    added = phone_body.input_value().count(f"![](image:{image.pk})") - before.count(f"![](image:{image.pk})")
    assert added == 1
    phone.goto(demo_site + "/admin/media_library/image/")
    phone.screenshot(path=screenshot_dir / "body-images-library-390.png")
    phone.context.close()

    page.fill("#id_last_reviewed", timezone.localdate().isoformat())
    page.locator("input[name=_publish]").first.click()
    page.wait_for_selector(".messagelist")

    # The image's page in the library says where it is used.
    page.goto(demo_site + f"/admin/media_library/image/{image.pk}/change/")
    assert "Why Motivation Disappears in Depression" in page.locator(".field-where_used").inner_text()
    page.screenshot(path=screenshot_dir / "body-images-image-page-1280.png")

    visitor, visitor_watch = open_page()
    visitor.goto(demo_site + ARTICLE)
    figure = visitor.locator(".prose figure.figure")
    assert figure.locator("figcaption").inner_text() == "How attention narrows under stress. Illustration: MindLAB"
    img = figure.locator("img")
    assert img.get_attribute("alt") == "Concentric teal rings" and img.get_attribute("loading") == "lazy"
    assert " 960w" in img.get_attribute("srcset")
    figure.scroll_into_view_if_needed()
    img.evaluate("img => img.decode()")
    visitor.screenshot(path=screenshot_dir / "body-images-figure-1280.png")
    visitor.set_viewport_size({"width": 390, "height": 844})
    figure.scroll_into_view_if_needed()
    visitor.screenshot(path=screenshot_dir / "body-images-figure-390.png")
    assert (watch.problems, phone_watch.problems, visitor_watch.problems) == ([], [], [])
