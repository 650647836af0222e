"""Backup and restore: a round trip gives back the same rows and the same media files."""

import pytest
from django.core.files.base import ContentFile

from articles.models import Article
from ops import backup as backup_module

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def test_backup_and_restore_round_trip(make_article, media, tmp_path):
    article = make_article(title="Kept Safe")
    article.audio_file.save("talk.wav", ContentFile(b"RIFF\x00\x00\x00\x00WAVEfmt "))
    before = backup_module.snapshot()
    target = backup_module.backup(tmp_path / "backup")
    Article.objects.all().delete()
    (media / article.audio_file.name).unlink()
    assert backup_module.snapshot() != before
    assert backup_module.restore(target) == []
    assert backup_module.snapshot() == before
    assert Article.objects.get().title == "Kept Safe"


def test_a_restore_refreshes_every_cached_page(make_article, media, tmp_path, client):
    article = make_article(title="The title in the backup")
    target = backup_module.backup(tmp_path / "backup")
    Article.objects.filter(pk=article.pk).update(title="Edited after the backup")
    assert "Edited after the backup" in client.get(article.get_absolute_url()).text  # and cached
    assert backup_module.restore(target) == []
    assert "The title in the backup" in client.get(article.get_absolute_url()).text


def test_the_database_password_never_reaches_a_command_line(monkeypatch, tmp_path, media):
    from django.db import connection

    monkeypatch.setattr(connection, "vendor", "postgresql")
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "s3cret-pass")
    calls = []
    monkeypatch.setattr(backup_module.subprocess, "run", lambda args, **kwargs: calls.append((args, kwargs)))
    backup_module.backup(tmp_path / "backup")
    (args, kwargs), = calls
    assert args[0] == "pg_dump" and not any("s3cret-pass" in arg for arg in map(str, args))
    assert kwargs["env"]["PGPASSWORD"] == "s3cret-pass"


def test_a_restore_passes_the_database_password_only_through_the_environment(monkeypatch, tmp_path, media):
    from django.db import connection

    monkeypatch.setattr(connection, "vendor", "postgresql")
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "s3cret-pass")
    monkeypatch.setattr("mindlab.db.vacuum_after_bulk_load", lambda: None)  # SQLite underneath knows no VACUUM ANALYZE
    calls = []
    monkeypatch.setattr(backup_module.subprocess, "run", lambda args, **kwargs: calls.append((args, kwargs)))
    backup_module.restore(backup_module.backup(tmp_path / "backup"))
    (args, kwargs) = calls[-1]
    assert args[0] == "pg_restore" and not any("s3cret-pass" in arg for arg in map(str, args))
    assert kwargs["env"]["PGPASSWORD"] == "s3cret-pass"


@pytest.fixture
def s3_media(settings, monkeypatch):
    """Media in an S3 bucket (moto's in-process S3): the storage every app server of a cluster would share."""
    moto = pytest.importorskip("moto")
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    with moto.mock_aws():
        import boto3

        boto3.client("s3").create_bucket(Bucket="mindlab-media")
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "mindlab-media", "querystring_auth": False, "file_overwrite": False}}}
        yield boto3.client("s3")


def test_backup_and_restore_round_trip_with_media_in_object_storage(make_article, s3_media, tmp_path):
    from django.core.files.storage import default_storage

    article = make_article(title="Kept in the bucket")
    article.audio_file.save("talk.wav", ContentFile(b"RIFF\x00\x00\x00\x00WAVEfmt "))
    default_storage.save("authors/2026/face.jpg", ContentFile(b"\xff\xd8 a headshot"))
    before = backup_module.snapshot()
    assert {key for key in before if key.startswith("file:")} == {
        f"file:{article.audio_file.name}", "file:authors/2026/face.jpg"}
    target = backup_module.backup(tmp_path / "backup")
    Article.objects.all().delete()
    default_storage.delete(article.audio_file.name)
    default_storage.save("stray/after-the-backup.jpg", ContentFile(b"not in the backup"))
    assert backup_module.restore(target) == []
    assert backup_module.snapshot() == before
    keys = {item["Key"] for item in s3_media.list_objects_v2(Bucket="mindlab-media")["Contents"]}
    assert keys == {article.audio_file.name, "authors/2026/face.jpg"}
    assert s3_media.get_object(Bucket="mindlab-media", Key="authors/2026/face.jpg")["Body"].read() == (
        b"\xff\xd8 a headshot")


def test_a_restore_refuses_archive_members_outside_the_media_folder(media, tmp_path):
    import io
    import tarfile

    target = backup_module.backup(tmp_path / "backup")
    with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
        for name in ["media/../escaped.txt", "/etc/cron.d/evil", "media/ok.txt"]:
            member = tarfile.TarInfo(name)
            member.size = 2
            archive.addfile(member, io.BytesIO(b"hi"))
    problems = backup_module.restore(target)
    assert [problem.split(":")[0] for problem in problems if "not restored" in problem] == [
        "media/../escaped.txt", "/etc/cron.d/evil"]
    assert (media / "ok.txt").read_bytes() == b"hi"
    assert not (media.parent / "escaped.txt").exists()
