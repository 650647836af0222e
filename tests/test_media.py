"""Uploads served by the app from DJANGO_MEDIA_ROOT (one machine, DEBUG off): types, caching, validators, ranges."""

import pytest
from django.utils.http import http_date

pytestmark = pytest.mark.django_db

AUDIO = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 4  # 1,036 bytes


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "audio" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "audio" / "2026" / "talk.wav").write_bytes(AUDIO)
    (tmp_path / "secret.txt").write_text("DJANGO_SECRET_KEY=never-served")
    return settings.MEDIA_ROOT


def test_a_file_is_served_with_its_type_and_a_years_caching(client, media):
    (media / "heroes").mkdir()
    (media / "heroes" / "a.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    response = client.get("/media/heroes/a.webp")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"RIFF\x00\x00\x00\x00WEBPVP8 "
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Length"] == "16"
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    assert "X-Page-Cache" not in response  # never in the page cache


def test_audio_is_served_as_audio(client, media):
    response = client.get("/media/audio/2026/talk.wav")
    assert response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content) == AUDIO


def test_a_file_of_an_unknown_kind_is_a_download_never_a_page(client, media):
    (media / "page.html").write_text("<script>alert(1)</script>")
    response = client.get("/media/page.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_matching_etag_or_date_gets_304_with_its_caching_headers(client, media):
    first = client.get("/media/audio/2026/talk.wav")
    by_etag = client.get("/media/audio/2026/talk.wav", headers={"If-None-Match": first["ETag"]})
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert by_etag["Cache-Control"] == "public, max-age=31536000, immutable"
    by_date = client.get("/media/audio/2026/talk.wav", headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304
    changed = client.get("/media/audio/2026/talk.wav", headers={"If-None-Match": '"an-older-version"'})
    assert changed.status_code == 200


def test_head_gives_the_headers_of_get_without_the_body(client, media):
    response = client.head("/media/audio/2026/talk.wav")
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == str(len(AUDIO))
    assert response["Content-Type"] == "audio/wav"
    assert response["ETag"] == client.get("/media/audio/2026/talk.wav")["ETag"]


@pytest.mark.parametrize("asked,first,last", [
    ("bytes=0-9", 0, 9),
    ("bytes=1000-", 1000, len(AUDIO) - 1),
    ("bytes=-36", len(AUDIO) - 36, len(AUDIO) - 1),
    ("bytes=1030-99999", 1030, len(AUDIO) - 1),  # an end past the file is the file's end
])
def test_a_byte_range_gets_206_with_exactly_those_bytes(client, media, asked, first, last):
    response = client.get("/media/audio/2026/talk.wav", headers={"Range": asked})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(AUDIO)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert b"".join(response.streaming_content) == AUDIO[first:last + 1]
    assert response["Content-Type"] == "audio/wav"


def test_a_range_past_the_end_gets_416_with_the_files_length(client, media):
    response = client.get("/media/audio/2026/talk.wav", headers={"Range": f"bytes={len(AUDIO)}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(AUDIO)}"


@pytest.mark.parametrize("asked", ["bytes=0-1,5-9", "bytes=9-2", "items=0-9", "bytes=x-y"])
def test_several_or_unreadable_ranges_get_the_whole_file(client, media, asked):
    response = client.get("/media/audio/2026/talk.wav", headers={"Range": asked})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == AUDIO


def test_if_range_gets_the_range_only_while_the_file_is_unchanged(client, media):
    etag = client.get("/media/audio/2026/talk.wav")["ETag"]
    same = client.get("/media/audio/2026/talk.wav", headers={"Range": "bytes=0-3", "If-Range": etag})
    assert same.status_code == 206 and b"".join(same.streaming_content) == b"RIFF"
    other = client.get("/media/audio/2026/talk.wav", headers={"Range": "bytes=0-3", "If-Range": '"old"'})
    assert other.status_code == 200 and b"".join(other.streaming_content) == AUDIO
    dated = client.get("/media/audio/2026/talk.wav",
                       headers={"Range": "bytes=0-3", "If-Range": http_date(0)})
    assert dated.status_code == 200


@pytest.mark.parametrize("path", [
    "/media/../secret.txt",
    "/media/%2e%2e/secret.txt",
    "/media/audio/../../secret.txt",
    "/media//etc/passwd",
    "/media/audio/2026/talk.wav%00.jpg",
])
def test_nothing_outside_the_media_folder_is_served(client, media, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"never-served" not in response.content


def test_a_folder_is_never_listed_and_a_missing_file_gets_the_sites_404(client, media):
    for path in ["/media/audio/", "/media/audio/2026", "/media/", "/media/audio/2026/gone.wav"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "We could not find that page" in response.text
        assert "talk.wav" not in response.text


def test_a_new_upload_is_served_at_once(client, media):
    assert client.get("/media/audio/2026/new.wav").status_code == 404
    (media / "audio" / "2026" / "new.wav").write_bytes(AUDIO)
    assert client.get("/media/audio/2026/new.wav").status_code == 200


def test_only_reads_are_answered(client, media):
    assert client.post("/media/audio/2026/talk.wav").status_code == 405


def test_nothing_is_served_from_disk_when_media_are_in_object_storage(client, media, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "media"}}}
    assert client.get("/media/audio/2026/talk.wav").status_code == 404
