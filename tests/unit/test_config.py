"""Settings come from the environment, then .env, then the official CLI's config.yaml, then defaults."""

from __future__ import annotations

import logging

from rentalot_mcp.config import load_settings, mask


def _write_config(home, text: str, mode: int = 0o600):
    path = home / "rentalot" / "config.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def test_environment_wins_over_dotenv_and_config_file(tmp_path) -> None:
    (tmp_path / ".env").write_text("RENTALOT_API_KEY=ra_from_dotenv_0001\nRENTALOT_BASE_URL=http://dotenv.test\n")
    _write_config(tmp_path / "xdg", "api_key: ra_from_config_0002\nbase_url: http://config.test\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "RENTALOT_API_KEY": "ra_from_env_0003"}
    rentalot = load_settings(env, tmp_path).for_provider("rentalot")
    assert rentalot.api_key.value == "ra_from_env_0003"
    assert rentalot.api_key.source == "environment variable RENTALOT_API_KEY"
    assert rentalot.base_url.value == "http://dotenv.test"
    assert rentalot.base_url.source.startswith("RENTALOT_BASE_URL in ")


def test_config_file_is_the_last_resort_before_defaults(tmp_path) -> None:
    path = _write_config(tmp_path / "xdg", "api_key: ra_from_config_0002\n")
    rentalot = load_settings({"XDG_CONFIG_HOME": str(tmp_path / "xdg")}, tmp_path).for_provider("rentalot")
    assert rentalot.api_key.value == "ra_from_config_0002"
    assert rentalot.api_key.source == f"api_key in {path}"
    assert rentalot.base_url.value == "https://rentalot.ai"
    assert rentalot.enabled


def test_nothing_configured_still_enables_rentalot_without_a_key(tmp_path) -> None:
    rentalot = load_settings({"XDG_CONFIG_HOME": str(tmp_path)}, tmp_path).for_provider("rentalot")
    assert rentalot.api_key.value is None and rentalot.enabled


def test_a_config_file_others_can_read_is_warned_about(tmp_path, caplog) -> None:
    _write_config(tmp_path / "xdg", "api_key: ra_from_config_0002\n", mode=0o644)
    with caplog.at_level(logging.WARNING):
        load_settings({"XDG_CONFIG_HOME": str(tmp_path / "xdg")}, tmp_path)
    assert "readable by other users" in caplog.text
    assert "ra_from_config_0002" not in caplog.text


def test_mask_shows_only_prefix_and_last_four() -> None:
    assert mask("ra_live_abcdef123456") == "ra_…3456"
    assert mask(None) == "(not set)"
    assert mask("short") == "…"
