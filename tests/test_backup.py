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
