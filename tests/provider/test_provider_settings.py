"""Provider settings: stack config, pulumi-alicloud's keys, environment, credential chain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from alicloud_imagebuilder_provider import dynamic
from alicloud_imagebuilder_provider.errors import ConfigurationError
from alicloud_imagebuilder_provider.settings import resolve_settings

from provider_testkit import HOME


def test_own_namespace_wins_over_alicloud_over_environment():
    env = {"ALIBABA_CLOUD_REGION_ID": "env-region", "ALIBABA_CLOUD_ACCESS_KEY_ID": "env-id",
           "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret"}
    assert resolve_settings({}, env).region == "env-region"
    config = {"alicloud:region": "cn-beijing", "alicloud:accessKey": "ali-id",
              "alicloud:secretKey": "ali-secret"}
    settings = resolve_settings(config, env)
    assert (settings.region, settings.access_key_id) == ("cn-beijing", "ali-id")
    config["alicloud-imagebuilder:region"] = "cn-shanghai"
    assert resolve_settings(config, env).region == "cn-shanghai"


def test_poll_and_retry_settings_from_config_or_environment():
    env = {"ALIBABA_CLOUD_IMAGEBUILDER_POLL_INTERVAL": "0.5",
           "ALIBABA_CLOUD_IMAGEBUILDER_MAX_RETRIES": "3"}
    settings = resolve_settings({"alicloud-imagebuilder:pollMaxInterval": "7"}, env)
    assert (settings.poll_interval, settings.poll_max_interval,
            settings.max_retries) == (0.5, 7.0, 3)
    defaults = resolve_settings({}, {})
    assert (defaults.poll_interval, defaults.poll_max_interval) == (5.0, 18.0)


def test_a_bad_number_names_the_key():
    with pytest.raises(ConfigurationError, match="alicloud-imagebuilder:pollInterval"):
        resolve_settings({"alicloud-imagebuilder:pollInterval": "soon"}, {})


def test_half_a_key_pair_is_refused():
    with pytest.raises(ConfigurationError, match="secretKey"):
        resolve_settings({"alicloud-imagebuilder:accessKey": "id"}, {})


def test_region_comes_from_the_resource_then_the_provider():
    settings = resolve_settings({"alicloud:region": HOME}, {})
    assert settings.region_for("cn-beijing") == "cn-beijing"
    assert settings.region_for(None) == HOME
    with pytest.raises(ConfigurationError, match="pulumi config set alicloud-imagebuilder:region"):
        resolve_settings({}, {}).region_for(None)


def test_secrets_stay_out_of_repr():
    settings = resolve_settings({"alicloud-imagebuilder:accessKey": "AKID",
                                 "alicloud-imagebuilder:secretKey": "s3cr3t",
                                 "alicloud-imagebuilder:securityToken": "t0ken"}, {})
    assert "s3cr3t" not in repr(settings) and "t0ken" not in repr(settings)
    assert settings.secrets == ("s3cr3t", "t0ken")


def test_configure_keeps_only_this_providers_keys():
    provider = dynamic.ImageBuildProvider()
    provider.configure(ConfigureRequest(Config(
        {"aws:secretKey": "other", "proj:dbPassword": "pw", "alicloud:region": HOME,
         "alicloud-imagebuilder:endpoint": "http://127.0.0.1:1"}, "proj")))
    assert dynamic._CONFIG[provider] == {"alicloud-imagebuilder:endpoint": "http://127.0.0.1:1",
                                         "alicloud:region": HOME}
    assert vars(provider) == {}


def test_environment_credentials_reach_the_service(emulator):
    env = {"ALIBABA_CLOUD_ACCESS_KEY_ID": emulator.access_key_id,
           "ALIBABA_CLOUD_ACCESS_KEY_SECRET": emulator.access_key_secret,
           "ALIBABA_CLOUD_ECS_ENDPOINT": emulator.url, "ALIBABA_CLOUD_REGION_ID": HOME}
    from alicloud_imagebuilder_provider.client import EcsApi

    settings = resolve_settings({}, env)
    assert EcsApi(settings).call("DescribeImagePipelines", {}, region=settings.region)


PROBE = """
import json, sys
from alicloud_imagebuilder_provider.client import EcsApi
from alicloud_imagebuilder_provider.settings import resolve_settings
settings = resolve_settings(json.loads(sys.argv[1]))
print(json.dumps(EcsApi(settings).call("DescribeImagePipelines", {}, region=settings.region)))
"""


def probe(config: dict[str, str], home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIBABA_CLOUD_")}
    env.update(HOME=str(home), ALIBABA_CLOUD_ECS_METADATA_DISABLED="true")
    return subprocess.run([sys.executable, "-c", PROBE, json.dumps(config)], env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_named_cli_profile_supplies_credentials(emulator, tmp_path):
    (tmp_path / ".aliyun").mkdir()
    (tmp_path / ".aliyun" / "config.json").write_text(json.dumps({"current": "other", "profiles": [
        {"name": "ci", "mode": "AK", "access_key_id": emulator.access_key_id,
         "access_key_secret": emulator.access_key_secret}]}))
    result = probe({"alicloud-imagebuilder:endpoint": emulator.url, "alicloud:region": HOME,
                    "alicloud:profile": "ci"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ImagePipeline" in json.loads(result.stdout)


def test_the_default_chain_supplies_credentials(emulator, tmp_path):
    (tmp_path / ".alibabacloud").mkdir()
    (tmp_path / ".alibabacloud" / "credentials.ini").write_text(
        f"[default]\ntype = access_key\naccess_key_id = {emulator.access_key_id}\n"
        f"access_key_secret = {emulator.access_key_secret}\n")
    result = probe({"alicloud-imagebuilder:endpoint": emulator.url, "alicloud:region": HOME},
                   tmp_path)
    assert result.returncode == 0, result.stderr


def test_no_credentials_anywhere_is_a_clear_error(emulator, tmp_path):
    result = probe({"alicloud-imagebuilder:endpoint": emulator.url, "alicloud:region": HOME},
                   tmp_path)
    assert result.returncode != 0
    assert "NoCredentials" in result.stderr and "alicloud-imagebuilder:accessKey" in result.stderr


def test_named_credentials_are_checked_before_any_call_and_the_chain_is_left_alone(
        tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    resolve_settings({}, {}).check_credentials()  # the default chain: resolved at the first call
    with pytest.raises(ConfigurationError, match="securityToken .* set without keys"):
        resolve_settings({"alicloud-imagebuilder:securityToken": "t"}, {}).check_credentials()
    with pytest.raises(ConfigurationError, match="profile 'ops' .*aliyun configure"):
        resolve_settings({}, {"ALIBABA_CLOUD_PROFILE": "ops"}).check_credentials()
    (tmp_path / ".aliyun").mkdir()
    (tmp_path / ".aliyun" / "config.json").write_text(json.dumps({"profiles": [{"name": "ops"}]}))
    resolve_settings({}, {"ALIBABA_CLOUD_PROFILE": "ops"}).check_credentials()
