"""Building the official ECS SDK client from resolved settings."""

from __future__ import annotations

from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.provider import CLIProfileCredentialsProvider
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi.utils_models import Config

from ..settings import Settings


def split_endpoint(endpoint: str) -> tuple[str, str]:
    """``http://host:port`` -> (``host:port``, ``http``); a bare host means HTTPS."""
    for scheme in ("http", "https"):
        prefix = f"{scheme}://"
        if endpoint.lower().startswith(prefix):
            return endpoint[len(prefix):].rstrip("/"), scheme
    return endpoint.rstrip("/"), "https"


def make_client(settings: Settings, region: str) -> Client:
    config = Config(region_id=region, connect_timeout=round(settings.connect_timeout * 1000),
                    read_timeout=round(settings.read_timeout * 1000),
                    user_agent="pulumi-alicloud-imagebuilder")
    if settings.endpoint:
        config.endpoint, config.protocol = split_endpoint(settings.endpoint)
    if settings.access_key_id:
        config.access_key_id = settings.access_key_id
        config.access_key_secret = settings.access_key_secret
        config.security_token = settings.security_token
    elif settings.profile:
        config.credential = CredentialClient(
            provider=CLIProfileCredentialsProvider(profile_name=settings.profile))
    else:
        config.credential = CredentialClient()
    return Client(config)
