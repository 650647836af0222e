"""Bad input and attacks: each one answered the way a careful site answers it, and nothing leaks or breaks."""

import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.views.defaults import server_error
from PIL import Image

from articles.models import Article, Tag
from strategy_calls.models import AccessRecord, StrategyCallRequest
from tests.test_strategy_calls import form_data

ROOT = Path(__file__).resolve().parent.parent

XSS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
]

# Headers


def test_html_responses_carry_the_security_headers(client, make_article):
    response = client.get(make_article().get_absolute_url())
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_content_security_policy_allows_only_this_sites_script_files(client, make_article):
    response = client.get(make_article().get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert re.search(r"script-src ([^;]+)", policy).group(1).strip() == "'self'"
    assert "nonce" not in policy and "nonce=" not in response.text
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


class ScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def test_no_page_carries_an_inline_script_a_browser_would_run(client, make_article, make_faq):
    article = make_article(tags=["sleep"])
    make_faq(article=article)
    urls = ["/", article.get_absolute_url(), article.primary_hub.get_absolute_url(),
            article.author.get_absolute_url(), "/tags/sleep/", "/search/?q=article", "/strategy-call/",
            "/strategy-call/thanks/", "/no-such-page/"]
    for url in urls:
        finder = ScriptFinder()
        finder.feed(client.get(url).text)
        assert finder.scripts, url
        for script in finder.scripts:
            # A file from this site, or JSON-LD (data: CSP does not block it, browsers do not run it).
            assert script.get("src", "").startswith("/static/") or script.get("type") == "application/ld+json", url


def test_hsts_is_sent_over_https(client, db):
    response = client.get("/", secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_cookies_are_secure_httponly_and_samesite(client, db):
    response = client.get("/strategy-call/")
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] and cookie["samesite"] == "Lax"
    from django.conf import settings
    assert settings.SESSION_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY


# Requests that must be refused


def test_missing_csrf_token_is_403_and_saves_nothing(db):
    response = Client(enforce_csrf_checks=True).post("/strategy-call/", form_data())
    assert response.status_code == 403
    assert StrategyCallRequest.objects.count() == 0


def test_foreign_origin_is_403_even_with_a_valid_token(db):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/strategy-call/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = client.post("/strategy-call/", form_data(csrfmiddlewaretoken=token),
                           headers={"origin": "https://evil.example", "referer": "https://evil.example/"},
                           secure=True)
    assert response.status_code == 403
    assert StrategyCallRequest.objects.count() == 0


@pytest.mark.parametrize("host", ["evil.example", "testserver.evil.example", "[::1", "a" * 300])
def test_bad_host_header_is_400_in_the_sites_style(client, db, host):
    response = client.get("/", headers={"host": host})
    assert response.status_code == 400
    assert "We could not understand that request" in response.text


def test_too_many_form_fields_is_400(client, db):
    fields = {f"field{n}": "x" for n in range(1100)}
    response = client.post("/strategy-call/", fields)
    assert response.status_code == 400
    assert StrategyCallRequest.objects.count() == 0


def test_three_megabyte_body_is_400(client, db):
    response = client.post("/strategy-call/", data=b"x" * (3 * 1024 * 1024),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert StrategyCallRequest.objects.count() == 0


# Stored XSS: whatever staff type, readers' browsers run nothing


@pytest.mark.parametrize("payload", XSS)
@pytest.mark.parametrize("field", ["title", "tag", "author", "faq", "hub-tagline", "reference"])
def test_xss_in_content_fields_is_inert_everywhere(client, make_article, make_faq, make_reference, field, payload):
    article = make_article(tags=["sleep"])
    if field == "title":
        Article.objects.filter(pk=article.pk).update(title=payload)
    elif field == "tag":
        Tag.objects.filter(name="sleep").update(name=payload)
    elif field == "author":
        article.author.name = payload
        article.author.save()
    elif field == "faq":
        make_faq(article=article, answer=payload, question=payload)
    elif field == "hub-tagline":
        article.primary_hub.tagline = payload
        article.primary_hub.save()
    else:
        article.citations.create(reference=make_reference(title=payload, authors=payload))
    pages = [client.get(url).content.decode() for url in ["/", article.get_absolute_url(),
             article.primary_hub.get_absolute_url(), article.author.get_absolute_url(), "/tags/sleep/"]]
    # The payload reached a page, as text: the check below is about something that is there.
    assert any(escape(payload) in html for html in pages)
    for url, html in zip(["home", "article", "hub", "author", "tag"], pages, strict=True):
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html, url
        assert 'href="javascript:' not in html, url
        for block in re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.DOTALL):
            json.loads(block)  # still one valid JSON document: nothing broke out of it


# Queries that try to be clever


@pytest.mark.parametrize("query", [
    "?page=1'--", "?page=1%20OR%201=1", "?_connector=OR", "?_connector=OR&page=2", "?q=1;DROP TABLE x",
    "?page=-1", "?page=99999999999999999999", "?page[]=1",
])
def test_odd_query_strings_on_list_pages_give_normal_pages(client, make_article, query):
    article = make_article(tags=["sleep"])
    for url in [article.primary_hub.get_absolute_url(), "/tags/sleep/", article.author.get_absolute_url()]:
        assert client.get(url + query).status_code in (200, 404)


@pytest.mark.parametrize("query", ["?q=' OR 1=1 --", "?q=%27%3B+DROP+TABLE+articles_article", "?_connector=OR&q=a",
                                   "?q=" + "a%00" * 50])
def test_odd_search_queries_give_normal_pages(client, make_article, query):
    make_article()
    assert client.get("/search/" + query).status_code == 200
    assert Article.objects.count() == 1


# Staff data


def test_editors_cannot_reach_users_or_strategy_call_data(client, make_staff, db):
    client.force_login(make_staff("Editors"))
    for name in ["admin:auth_user_changelist", "admin:strategy_calls_strategycallrequest_changelist",
                 "admin:strategy_calls_accessrecord_changelist"]:
        assert client.get(reverse(name)).status_code == 403


def test_viewing_and_exporting_a_request_is_recorded(admin_client, admin_user, client,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/strategy-call/", form_data())
    call_request = StrategyCallRequest.objects.get()
    admin_client.get(reverse("admin:strategy_calls_strategycallrequest_change", args=[call_request.pk]))
    admin_client.post(reverse("admin:strategy_calls_strategycallrequest_changelist"),
                      {"action": "export_csv", "_selected_action": [call_request.pk]})
    trail = list(AccessRecord.objects.order_by("pk").values_list("user", "action"))
    assert trail == [(admin_user.pk, "viewed"), (admin_user.pk, "exported")]


def test_brute_force_sign_in_is_paused_after_the_limit(client, django_user_model, settings):
    django_user_model.objects.create_user("editor", password="the-right-password", is_staff=True)
    login = reverse("admin:login")
    codes = [client.post(login, {"username": "editor", "password": "wrong"}).status_code
             for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert codes == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the limit-th failure pauses sign-in
    locked = client.post(login, {"username": "editor", "password": "the-right-password"})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()


def test_admin_path_is_configurable():
    env = {**os.environ, "DJANGO_ADMIN_PATH": "/staff-desk/", "DJANGO_DEBUG": "1"}
    script = ("import django; django.setup(); from django.urls import resolve, reverse, Resolver404\n"
              "print(reverse('admin:index'))\n"
              # /admin/ may still match the standalone pages' route (/<slug>/), which is no admin
              "try: print('admin/ still there' if resolve('/admin/').app_name == 'admin' else 'admin/ gone')\n"
              "except Resolver404: print('admin/ gone')")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE":
                            "mindlab.settings"}, capture_output=True, text=True)
    assert result.stdout.split() == ["/staff-desk/", "admin/", "gone"], result.stderr


# Uploads


def image_file(name="hero.png", size=(800, 400), kind="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}")


def hub_form(**files):
    return {"title": "Upload Hub", "slug": "upload-hub", "order": "0", "hero_alt": "A red field",
            "citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0", "faqs-TOTAL_FORMS": "0",
            "faqs-INITIAL_FORMS": "0", "faq_groups-TOTAL_FORMS": "0", "faq_groups-INITIAL_FORMS": "0", **files}


@pytest.mark.parametrize("upload,message", [
    (SimpleUploadedFile("hero.jpg", b"not an image at all", content_type="image/jpeg"),
     "This file is not a JPEG, PNG or WebP image"),
    (SimpleUploadedFile("hero.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                        content_type="image/svg+xml"), ".svg is not accepted"),
    (SimpleUploadedFile("hero.html", b"<script>alert(1)</script>", content_type="text/html"), ".html is not accepted"),
], ids=["not-an-image", "svg", "html"])
def test_only_real_images_are_accepted(admin_client, settings, tmp_path, upload, message):
    settings.MEDIA_ROOT = tmp_path
    response = admin_client.post(reverse("admin:hubs_hub_add"), hub_form(hero_image=upload))
    assert response.status_code == 200 and message in response.text
    assert not any(tmp_path.rglob("*.*"))


def test_oversized_image_is_refused(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_IMAGE_UPLOAD_BYTES = 1000
    response = admin_client.post(reverse("admin:hubs_hub_add"), hub_form(hero_image=image_file()))
    assert "Images can be at most" in response.text


def test_uploads_are_stored_under_generated_names(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = admin_client.post(reverse("admin:hubs_hub_add"),
                                 hub_form(hero_image=image_file("../../etc/My Photo!.png")))
    assert response.status_code == 302
    from hubs.models import Hub
    name = Hub.objects.get(slug="upload-hub").hero_image.name
    assert re.fullmatch(r"heroes/\d{4}/[0-9a-f]{32}\.png", name)


@pytest.mark.parametrize("name,content", [("talk.mp3", b"<html>not audio</html>"), ("talk.exe", b"ID3\x03\x00")])
def test_audio_must_be_audio(name, content):
    from django.core.exceptions import ValidationError

    from mindlab.uploads import validate_audio
    with pytest.raises(ValidationError):
        validate_audio(SimpleUploadedFile(name, content))


# Errors leak nothing


def test_server_error_page_shows_no_internals(rf):
    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500 and "Something went wrong on our side" in html
    assert "Traceback" not in html and "SECRET_KEY" not in html and "settings" not in html.lower()


def test_not_found_page_shows_no_internals(client, db):
    html = client.get("/no-such-page/").content.decode()
    assert "We could not find that page" in html and "urlpatterns" not in html and "Traceback" not in html


# Health and degraded operation


def test_healthz_reports_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "mindlab.cache_backends.ResilientRedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    # Changing CACHES through the settings fixture makes Django drop its cache connections.


def test_with_redis_down_pages_are_served_and_health_says_so(client, make_article, redis_down):
    article = make_article(title="Still Readable")
    assert "Still Readable" in client.get(article.get_absolute_url()).text
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["cache"].startswith("error")


def test_with_redis_down_the_form_still_saves(client, db, redis_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/strategy-call/", form_data())
    assert response.status_code == 303
    assert StrategyCallRequest.objects.count() == 1


def test_two_factor_sign_in_can_be_required(admin_client, settings):
    index = reverse("admin:index")
    assert admin_client.get(index).status_code == 200
    settings.ADMIN_2FA = True
    response = admin_client.get(index)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert 'name="otp_token"' in admin_client.get(reverse("admin:login")).text


def test_staff_sign_in_works_through_the_lockout_backend(client, django_user_model):
    django_user_model.objects.create_user("editor", password="the-right-password", is_staff=True)
    response = client.post(reverse("admin:login"), {"username": "editor", "password": "the-right-password"})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_demo_login_cannot_sign_in_with_debug_off(client, django_user_model):
    from mindlab.auth import DEMO_PASSWORD

    django_user_model.objects.create_superuser("demo", password=DEMO_PASSWORD)
    response = client.post(reverse("admin:login"), {"username": "demo", "password": DEMO_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_deploy_check_reports_the_demo_login(django_user_model):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from mindlab.auth import DEMO_PASSWORD

    call_command("check", "--deploy", "--database", "default", "--tag", "security", "--fail-level", "ERROR",
                 stdout=io.StringIO())
    django_user_model.objects.create_superuser("demo", password=DEMO_PASSWORD)
    with pytest.raises(SystemCheckError, match="mindlab.E001"):
        call_command("check", "--deploy", "--database", "default", "--tag", "security", "--fail-level", "ERROR",
                 stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/articles/no-such%00page/", "/media/a.jpg%00.png", "/no%00where"])
def test_a_path_with_a_nul_byte_is_the_sites_404_not_a_500(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "We could not find that page" in response.text
