import re
from pathlib import Path

from groundswell.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_env_example_documents_every_setting():
    documented = set(re.findall(r"GROUNDSWELL_([A-Z_]+)=", (ROOT / ".env.example").read_text()))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_embedded_default_needs_no_setting(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.resolved_database_url == "sqlite:///.groundswell/groundswell.db"
    assert settings.redis_url is None and settings.chroma_url is None and settings.llm_base_url is None


def test_environment_switches_to_production_services(monkeypatch):
    monkeypatch.setenv("GROUNDSWELL_DATABASE_URL", "postgresql+psycopg://u@db/gs")
    monkeypatch.setenv("GROUNDSWELL_COMPANY_DOMAINS", '["acme.io"]')
    settings = Settings()
    assert settings.resolved_database_url.startswith("postgresql+psycopg://")
    assert settings.company_domains == ["acme.io"]


def test_tests_never_read_the_developers_env_file_or_variables(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("GROUNDSWELL_ALERT_CHANNEL=C0FROMDOTENV\n")
    assert Settings().alert_channel is None  # the autouse fixture in tests/conftest.py
    assert Settings(_env_file=".env").alert_channel == "C0FROMDOTENV"  # .env support itself still works
