"""Settings: environment > `.env` in the working directory > config.yaml > defaults.

Each value remembers where it came from, so errors and `doctor` can say "the key read from
.env was rejected" without ever showing the key itself.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from dotenv import dotenv_values

from rentalot_mcp.providers import PROVIDERS, Provider

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Setting:
    """A value and a human description of where it was found."""

    value: str | None
    source: str


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    provider: Provider
    api_key: Setting
    base_url: Setting
    keys_per_request: bool = False
    """Each caller brings its own key (shared HTTP servers): the provider is on without one here."""

    @property
    def enabled(self) -> bool:
        return self.provider.always_on or self.keys_per_request or bool(self.api_key.value)


@dataclass(frozen=True, slots=True)
class Settings:
    providers: tuple[ProviderSettings, ...]

    def for_provider(self, name: str) -> ProviderSettings:
        return next(p for p in self.providers if p.provider.name == name)


def config_file_path(environ: Mapping[str, str]) -> Path:
    """The official CLI's config file: $XDG_CONFIG_HOME/rentalot/config.yaml (default ~/.config)."""
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "rentalot" / "config.yaml"


def load_settings(environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Settings:
    """Read every provider's key and base URL from the layered sources."""
    environ = os.environ if environ is None else environ
    dotenv_path = (cwd or Path.cwd()) / ".env"
    dotenv = {k: v for k, v in dotenv_values(dotenv_path).items() if v} if dotenv_path.is_file() else {}
    config_path = config_file_path(environ)
    config = _read_config_file(config_path)

    def lookup(variable: str, config_key: str | None, default: str | None) -> Setting:
        if environ.get(variable):
            return Setting(environ[variable], f"environment variable {variable}")
        if dotenv.get(variable):
            return Setting(dotenv[variable], f"{variable} in {dotenv_path}")
        if config_key and config.get(config_key):
            return Setting(str(config[config_key]), f"{config_key} in {config_path}")
        return Setting(default, "default" if default else "not set")

    return Settings(
        tuple(
            ProviderSettings(
                provider=provider,
                api_key=lookup(provider.key_variable, "api_key" if provider.reads_config_file else None, None),
                base_url=lookup(
                    provider.base_url_variable,
                    "base_url" if provider.reads_config_file else None,
                    provider.default_base_url,
                ),
            )
            for provider in PROVIDERS
        )
    )


def sandbox_settings(root_url: str) -> Settings:
    """Every provider pointed at the embedded sandbox with its demo key."""
    return Settings(
        tuple(
            ProviderSettings(
                provider=provider,
                api_key=Setting(provider.sandbox_key, "the sandbox's demo key"),
                base_url=Setting(root_url.rstrip("/") + provider.sandbox_path, "the embedded sandbox"),
            )
            for provider in PROVIDERS
        )
    )


def mask(secret: str | None) -> str:
    """`ra_live_1234abcd` -> `ra_…abcd`: enough to tell keys apart, never enough to use one."""
    if not secret:
        return "(not set)"
    prefix = secret.split("_", 1)[0] + "_" if "_" in secret[:5] else ""
    return f"{prefix}…{secret[-4:]}" if len(secret) > 8 else f"{prefix}…"


def _read_config_file(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            logger.warning("%s is readable by other users; run: chmod 600 %s", path, path)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        logger.warning("ignoring %s: %s", path, exc.__class__.__name__)
        return {}
    return data if isinstance(data, dict) else {}
