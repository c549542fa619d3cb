"""ImageComponent: a reusable set of build or test commands (CreateImageComponent)."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal, Optional

from pydantic import AfterValidator, Field, model_validator

from .base import ApiModel, ResourceInputs, ResourceState
from .content import check_dockerfile, check_yaml_component, is_yaml_component
from .fields import (DESCRIPTION_RULE, IDEMPOTENCY_NOTE, IN_PLACE_TAGS, NAME_RULE, Description,
                     Name, NonBlank, Prop, PropertyError, RegionId, Tags)

_VERSION = re.compile(r"^\d{1,9}\.\d{1,9}\.\d{1,9}$")

REGION_DOC = ("Region to manage the resource in; defaults to the provider's region "
              "(`alicloud-imagebuilder:region`, `alicloud:region` or ALIBABA_CLOUD_REGION_ID). "
              "Changing it replaces the resource.")
Region = Annotated[Optional[RegionId], Prop(computed=True)]


def _version(value: str) -> str:
    if not _VERSION.match(value):
        raise ValueError(f"must be major.minor.patch such as 1.0.0, got {value!r}")
    return value


class ImageComponentInputs(ResourceInputs):
    RESOURCE: ClassVar[str] = "ImageComponent"
    DESCRIPTION: ClassVar[str] = (
        "An image component: build or test commands that image templates reference through "
        "`build_components` / `test_components`. Tags and resource group change in place; the "
        "service has no other update call, so any other change replaces the component (with an "
        "explicit `component_version`, the old one is deleted first, because a name and version "
        "pair is unique). Deleting a component still used by "
        "a template fails with a message saying so.")
    NOTES: ClassVar[tuple[str, ...]] = (
        IDEMPOTENCY_NOTE,
        "Secrets: when `content` is a secret, the `parameters` parsed from it are stored and "
        "shown as secrets too.",
    )

    component_name: Annotated[Optional[Name], Prop(api="Name", computed=True)] = Field(
        None, description=f"Component name: {NAME_RULE}. With `component_version` it identifies "
        "the component; the service uses the id when left out.")
    content: Annotated[NonBlank, Prop(api="Content", compare="content")] = Field(
        description="The commands, at most 16 KB: Dockerfile-style lines (`RUN`, `ENV`, `WORKDIR`, "
        "`COPY`, `USER`, `LABEL`, `CMD`, `ENTRYPOINT`, `RESTART`; Linux only; no `FROM` or "
        "`COMPONENT`; at most 127 commands) or a YAML document with `Parameters:` and `Tasks:`.")
    component_type: Annotated[Literal["Build", "Test"], Prop(api="ComponentType")] = Field(
        "Build", description="`Build` (used in build content) or `Test` (used in test content).")
    system_type: Annotated[Literal["Linux", "Windows"], Prop(api="SystemType")] = Field(
        "Linux", description="Operating system the component runs on: `Linux` or `Windows` "
        "(Windows components use the YAML form).")
    component_version: Annotated[Optional[Annotated[str, AfterValidator(_version)]],
                                 Prop(api="ComponentVersion", computed=True)] = Field(
        None, description="Version `major.minor.patch`; the service picks the next major version "
        "when left out (the output holds the version it chose).")
    description: Annotated[Optional[Description], Prop(api="Description")] = Field(
        None, description=f"Description: {DESCRIPTION_RULE}.")
    tags: Annotated[Optional[Tags], Prop(api="Tag", read="Tags", codec="tags",
                                         update="in_place")] = Field(
        None, description=IN_PLACE_TAGS)
    resource_group_id: Annotated[Optional[NonBlank], Prop(api="ResourceGroupId", computed=True,
                                                          update="in_place")] = (
        Field(None, description="Resource group; the account's default group when left out. A "
              "change moves the component (JoinResourceGroup), nothing is replaced."))
    region: Region = Field(None, description=REGION_DOC)

    @model_validator(mode="after")
    def _content_rules(self) -> "ImageComponentInputs":
        try:
            if is_yaml_component(self.content):
                check_yaml_component(self.content, self.system_type)
            elif self.system_type == "Windows":
                raise ValueError("must use the YAML form (Parameters/Tasks with "
                                 "RunPowerShellCommand) for a Windows component")
            else:
                check_dockerfile(self.content, where="component")
        except ValueError as exc:
            raise PropertyError("content", str(exc)) from None
        return self


class ComponentParameter(ApiModel):
    """A parameter declared by a YAML component."""

    SCHEMA_NAME: ClassVar[str] = "ImageComponentParameter"

    name: Annotated[str, Prop(api="Name")] = Field(description="Parameter name.")
    type: Annotated[str, Prop(api="Type")] = Field(description="`String`, `Number` or `Boolean`.")
    default_value: Annotated[Optional[str], Prop(api="DefaultValue")] = Field(
        None, description="Default value; templates must pass parameters that have none.")


class ImageComponentOutputs(ApiModel):
    # Outputs parsed from an input: secret whenever that input is (the SDK tells the engine).
    DERIVED: ClassVar[dict[str, str]] = {"parameters": "content"}

    owner: Annotated[Optional[str], Prop(api="Owner")] = Field(
        None, description="`SELF` for your own components, `ALIYUN` for public ones.")
    parameters: Annotated[list[ComponentParameter],
                          Prop(api="Parameters", codec="list")] = Field(
        default_factory=list, description="Parameters declared by a YAML component; pass them "
        "through `build_components` entries of a template.")
    creation_time: Annotated[Optional[str], Prop(api="CreationTime")] = Field(
        None, description="When the component was created (UTC, ISO 8601).")


class ImageComponentState(ResourceState, ImageComponentOutputs, ImageComponentInputs):
    """What Pulumi records for an ImageComponent (see :class:`.base.ResourceState`)."""
