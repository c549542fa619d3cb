"""Provider settings, resolved in one place.

Order for every key: stack config ``alicloud-imagebuilder:<key>``, then pulumi-alicloud's
``alicloud:<key>`` (where one exists), then the environment, then the default. Credentials not
found that way come from the alibabacloud-credentials default chain (or the named profile).
The table :data:`CONFIG_KEYS` also feeds the ``config`` section of schema.json and the docs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Mapping

from .errors import ConfigurationError

NAMESPACE = "alicloud-imagebuilder"


@dataclass(frozen=True)
class ConfigKey:
    key: str
    attr: str
    description: str
    fallback: str | None = None  # pulumi-alicloud's key in the ``alicloud`` namespace
    env: str | None = None
    secret: bool = False
    type: str = "string"  # schema type: "string", "number" or "integer"
    default: Any = None


def _env_name(suffix: str) -> str:
    return f"ALIBABA_CLOUD_IMAGEBUILDER_{suffix}"


CONFIG_KEYS: tuple[ConfigKey, ...] = (
    ConfigKey("region", "region", "Default region for resources that set no `region`.",
              fallback="region", env="ALIBABA_CLOUD_REGION_ID"),
    ConfigKey("endpoint", "endpoint",
              "ECS endpoint override, e.g. `http://127.0.0.1:8080` for the emulator "
              "(`http://` selects plain HTTP; a bare host uses HTTPS).",
              env="ALIBABA_CLOUD_ECS_ENDPOINT"),
    ConfigKey("accessKey", "access_key_id", "AccessKey ID (set it with `--secret`).",
              fallback="accessKey",
              env="ALIBABA_CLOUD_ACCESS_KEY_ID", secret=True),
    ConfigKey("secretKey", "access_key_secret", "AccessKey secret (set it with `--secret`).",
              fallback="secretKey", env="ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret=True),
    ConfigKey("securityToken", "security_token",
              "STS security token, with STS credentials (set it with `--secret`).",
              fallback="securityToken", env="ALIBABA_CLOUD_SECURITY_TOKEN", secret=True),
    ConfigKey("profile", "profile",
              "Profile of `~/.aliyun/config.json` to take credentials from when no keys are set.",
              fallback="profile", env="ALIBABA_CLOUD_PROFILE"),
    ConfigKey("pollInterval", "poll_interval",
              "First pause between two status polls of a build or image, in seconds; grows by "
              "half each poll.",
              env=_env_name("POLL_INTERVAL"), type="number", default=5.0),
    ConfigKey("pollMaxInterval", "poll_max_interval",
              "Longest pause between two polls, in seconds: a build's end is seen about half "
              "of it later on average.",
              env=_env_name("POLL_MAX_INTERVAL"), type="number", default=18.0),
    ConfigKey("maxRetries", "max_retries",
              "Retries of a throttled, 5xx or dropped API call before it fails.",
              env=_env_name("MAX_RETRIES"), type="integer", default=8),
    ConfigKey("retryBaseDelay", "retry_base_delay",
              "First retry pause in seconds (doubles per retry, with jitter, at most 20 s; "
              "a service `retry-after` wins when longer).",
              env=_env_name("RETRY_BASE_DELAY"), type="number", default=1.0),
    ConfigKey("connectTimeout", "connect_timeout",
              "Seconds to wait for a connection to the API, per attempt.",
              env=_env_name("CONNECT_TIMEOUT"), type="number", default=5.0),
    ConfigKey("readTimeout", "read_timeout",
              "Seconds to wait for the API's answer, per attempt; then the attempt counts as "
              "dropped (and is retried).",
              env=_env_name("READ_TIMEOUT"), type="number", default=30.0),
    ConfigKey("callTimeout", "call_timeout",
              "Longest time one API call takes, retries included: no retry starts that could "
              "not end within it. So a build's `timeout` is overrun by at most this much, and a "
              "build that reaches its `timeout` while the API hangs is still cancelled.",
              env=_env_name("CALL_TIMEOUT"), type="number", default=60.0),
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings. Secrets are excluded from ``repr`` and never leave the process."""

    region: str | None = None
    endpoint: str | None = None
    access_key_id: str | None = field(default=None, repr=False)
    access_key_secret: str | None = field(default=None, repr=False)
    security_token: str | None = field(default=None, repr=False)
    profile: str | None = None
    poll_interval: float = 5.0
    poll_max_interval: float = 18.0
    max_retries: int = 8
    retry_base_delay: float = 1.0
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    call_timeout: float = 60.0

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in a message (used to scrub errors)."""
        return tuple(s for s in (self.access_key_secret, self.security_token) if s)

    def region_for(self, region: str | None) -> str:
        """The resource's own region wins over the default; one of them must exist."""
        chosen = region or self.region
        if not chosen:
            raise ConfigurationError(
                "no region: set the resource's `region`, or run "
                f"`pulumi config set {NAMESPACE}:region cn-hangzhou` "
                "(or `alicloud:region`, or export ALIBABA_CLOUD_REGION_ID)")
        return chosen


    def check_credentials(self) -> None:
        """Credentials named by config, environment or profile are complete (checked at
        preview); the default credentials chain is left to the first call."""
        if self.access_key_id:
            return
        if self.security_token:
            raise ConfigurationError(
                f"{NAMESPACE}:securityToken (ALIBABA_CLOUD_SECURITY_TOKEN) is set without keys: "
                f"also set {NAMESPACE}:accessKey and {NAMESPACE}:secretKey (or export "
                "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET)")
        if self.profile and self.profile not in _cli_profiles():
            raise ConfigurationError(
                f"profile {self.profile!r} ({NAMESPACE}:profile or ALIBABA_CLOUD_PROFILE) is not "
                f"in {CLI_CONFIG}: create it with `aliyun configure --profile {self.profile}`, or "
                f"set {NAMESPACE}:accessKey and {NAMESPACE}:secretKey (--secret) instead")


CLI_CONFIG = "~/.aliyun/config.json"


def _cli_profiles() -> set[str]:
    """Profile names in the Alibaba Cloud CLI's config file (none when it is missing)."""
    try:
        with open(os.path.expanduser(CLI_CONFIG), encoding="utf-8") as file:
            return {str(p.get("name")) for p in json.load(file).get("profiles", [])}
    except (OSError, ValueError, AttributeError):
        return set()


def _parse(key: ConfigKey, raw: Any) -> Any:
    if key.type == "string":
        return str(raw)
    try:
        value = float(raw)
        if key.type == "integer":
            value = int(value)
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"{NAMESPACE}:{key.key} must be a number, got {raw!r}") from None
    if value < 0:
        raise ConfigurationError(f"{NAMESPACE}:{key.key} must not be negative, got {raw!r}")
    return value


def resolve_settings(config: Mapping[str, Any] | None = None,
                     env: Mapping[str, str] | None = None) -> Settings:
    """Build :class:`Settings` from raw stack config (``namespace:key`` keys) and environment."""
    config = config or {}
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for key in CONFIG_KEYS:
        raw = config.get(f"{NAMESPACE}:{key.key}")
        if raw in (None, "") and key.fallback:
            raw = config.get(f"alicloud:{key.fallback}")
        if raw in (None, "") and key.env:
            raw = env.get(key.env)
        if raw in (None, ""):
            continue
        values[key.attr] = _parse(key, raw)
    if bool(values.get("access_key_id")) != bool(values.get("access_key_secret")):
        raise ConfigurationError(
            f"set both {NAMESPACE}:accessKey and {NAMESPACE}:secretKey (or neither, to use "
            "ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, a profile or the default credential chain)")
    return Settings(**values)
