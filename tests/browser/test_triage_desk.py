"""A triage coordinator works a queue of 20 strategy-call requests in Chromium: urgent first, assign, note, call,
close, "Save and open next"; by keyboard at 1,440 px, then on a 390 px phone. Screenshots go to
tests/browser/screenshots/triage-desk-*.png."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"
QUEUE = "/admin/strategy_calls/strategycallrequest/"
MESSAGES = [
    "I keep losing motivation at work even though my mood seems fine, and I would like a plan.",
    "My teenage son has stopped seeing his friends and sleeps most of the day. Where do we start?",
    "After my burnout last year I am back at work but I cannot concentrate for more than ten minutes.",
    "I read your article on anhedonia and recognised myself. Could we talk about what to try next?",
    "I am drowning in email and deadlines and I would like help organising my week around my energy.",
]


def triage_group():
    """The triage group as its migrations make it: a transactional test that ran before emptied the tables."""
    codenames = [*import_module("strategy_calls.migrations.0002_triage_group").TRIAGE_PERMISSIONS,
                 *import_module("strategy_calls.migrations.0007_triage_desk").TRIAGE_PERMISSIONS]
    group = Group.objects.get_or_create(name="Strategy-call triage")[0]
    group.permissions.set(Permission.objects.filter(content_type__app_label="strategy_calls", codename__in=codenames))
    return group


def coordinator(name):
    user = User.objects.create_user(name, f"{name}@example.org", PASSWORD, is_staff=True, first_name=name.title())
    user.groups.add(triage_group())
    return user


def twenty_requests():
    from articles.models import Article
    from mindlab.models import SiteSettings
    from strategy_calls.models import StrategyCallRequest

    SiteSettings.objects.update_or_create(pk=1, defaults={"response_target_hours": 24})
    articles = list(Article.objects.order_by("pk")[:4])
    now = timezone.now()
    made = []
    for n in range(20):
        article = articles[n % len(articles)] if n % 5 else None
        fields = {
            "full_name": f"Visitor {n + 1:02d}", "email": f"visitor{n + 1}@example.org",
            "phone": f"+1 (212) 555-01{n:02d}" if n % 3 == 0 else "",
            "message": MESSAGES[n % len(MESSAGES)], "consent": True,
            "source_path": article.get_absolute_url() if article else ("/" if n % 2 else ""),
            "source_article": article, "source_hub": article.primary_hub if article else None,
            "utm": {"utm_source": "newsletter", "utm_campaign": "spring"} if n % 4 == 0 else {},
        }
        if n == 7:
            fields["message"] = ("I don't see the point in going on and I have started giving my things away. "
                                 "I just want it all to stop.")
            fields["is_urgent"] = True
        if n == 15:
            fields["message"] = "I have been thinking about suicide and I do not know who to tell."
            fields["is_urgent"] = True
        if n == 18:
            fields["email"] = "visitor3@example.org"  # the same person again
        made.append(StrategyCallRequest.objects.create(**fields))
        StrategyCallRequest.objects.filter(pk=made[-1].pk).update(received=now - timedelta(hours=3 * (20 - n)))
    return made


def sign_in(page, site, username):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")


def keys_to_first_request(page):
    """The keys a keyboard user presses on a freshly loaded queue until the first request's link has the focus:
    Tab to each skip link and Enter on it, Tab otherwise."""
    pressed = []
    for _ in range(40):
        if page.evaluate("document.activeElement.closest('#result_list tbody tr:first-child .field-queue_entry')"
                         " !== null"):
            return pressed
        is_skip_link = page.evaluate("document.activeElement.matches('.skip-to-content-link, .desk-skip')")
        key = "Enter" if is_skip_link and pressed[-1:] == ["Tab"] else "Tab"
        page.keyboard.press(key)
        pressed.append(key)
    return None


def test_coordinator_works_the_queue(demo_site, open_page, screenshot_dir):
    from strategy_calls.models import AccessRecord, Activity, StrategyCallRequest

    dana = coordinator("dana")
    coordinator("sam")
    made = twenty_requests()
    page, watch = open_page(width=1440, height=1000)
    sign_in(page, demo_site, "dana")

    # The queue is the landing page: the two urgent requests on top, then oldest first.
    page.goto(demo_site + QUEUE)
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 20
    first_names = [rows.nth(n).locator(".desk-name").inner_text() for n in range(3)]
    assert first_names == ["Visitor 08", "Visitor 16", "Visitor 01"]
    assert rows.nth(0).locator(".desk-badge--urgent").count() == 1
    assert page.locator(".desk-badge--overdue").count() > 0
    page.screenshot(path=screenshot_dir / "triage-desk-queue-1440.png", full_page=True)
    # Nothing is cut off: the table fits the window.
    assert page.evaluate("document.querySelector('#result_list').getBoundingClientRect().right") <= 1440

    # By keyboard: the first request is a few Tab presses away.
    page.reload()
    keys = keys_to_first_request(page)
    assert keys == ["Tab", "Enter", "Tab", "Enter"], keys
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{made[7].pk}/change/**")

    # Assign to me, note and "called, no answer", each from the request page.
    page.get_by_role("button", name="Assign to me").click()
    page.wait_for_selector(".messagelist")
    page.fill("#id_new_note", "Called the mobile, voicemail. Sent the crisis line by email too.")
    page.get_by_role("button", name="Called, no answer").click()
    page.wait_for_selector(".messagelist")
    page.screenshot(path=screenshot_dir / "triage-desk-request-1440.png", full_page=True)
    timeline = page.locator(".desk-timeline").inner_text()
    assert "Called, no answer" in timeline and "Called the mobile" in timeline and "dana" in timeline

    # Close it and open the next: the other urgent request.
    page.select_option("#id_status", "closed")
    page.get_by_role("button", name="Save and open next").first.click()
    page.wait_for_url(f"**/{made[15].pk}/change/**")
    urgent = StrategyCallRequest.objects.get(pk=made[7].pk)
    assert (urgent.status, urgent.assignee, urgent.closed_at is not None) == ("closed", dana, True)
    assert [a.kind for a in urgent.activities.all()] == ["assigned", "note", "call-no-answer"]

    # Assign to a colleague, then work on through the queue with "Save and open next".
    page.select_option("#id_assignee", label="Sam")
    page.get_by_role("button", name="Save and open next").first.click()
    page.wait_for_url(f"**/{made[0].pk}/change/**")
    for following in made[1:3]:
        page.select_option("#id_status", "contacted")
        page.get_by_role("button", name="Save and open next").first.click()
        page.wait_for_url(f"**/{following.pk}/change/**")
    assert StrategyCallRequest.objects.filter(status="contacted").count() == 2

    page.goto(demo_site + QUEUE + "?queue=mine")
    assert page.locator("#result_list tbody tr").count() == 0 or "Visitor 08" not in page.content()
    page.goto(demo_site + QUEUE + "?queue=waiting")
    assert page.locator("#result_list tbody tr").count() == 2
    assert AccessRecord.objects.filter(user=dana, action="viewed").count() >= 5
    assert Activity.objects.filter(kind="assigned", text="to sam").exists()
    assert watch.problems == []

    # On a phone: the queue as cards, the request page readable.
    phone, phone_watch = open_page(width=390, height=844)
    sign_in(phone, demo_site, "sam")
    phone.goto(demo_site + QUEUE)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=screenshot_dir / "triage-desk-queue-390.png", full_page=True)
    phone.locator("#result_list tbody tr").first.locator(".field-queue_entry a").click()
    phone.wait_for_selector("#id_new_note")
    phone.screenshot(path=screenshot_dir / "triage-desk-request-390.png", full_page=True)
    assert phone_watch.problems == []
