"""The single source of truth for each resource's shape."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from .base import ResourceInputs, ResourceState
from .build import ImageBuildState
from .component import ImageComponentState
from .template import ImageTemplateState

PACKAGE = "alicloud-imagebuilder"
MODULE = "imagebuilder"


@dataclass(frozen=True)
class ResourceSpec:
    state: type[ResourceState]  # inputs, outputs and region; derived from the two models

    @property
    def inputs(self) -> type[ResourceInputs]:
        return self.state.INPUTS

    @property
    def outputs(self) -> type[BaseModel]:
        return self.state.OUTPUTS

    @property
    def name(self) -> str:
        return self.inputs.RESOURCE

    @property
    def token(self) -> str:
        """Schema token, ``alicloud-imagebuilder:imagebuilder:ImageTemplate``."""
        return f"{PACKAGE}:{MODULE}:{self.name}"

    @property
    def dynamic_type(self) -> str:
        """The type Pulumi records for the SDK's dynamic resource of this kind."""
        return f"pulumi-python:dynamic/{MODULE}:{self.name}"


RESOURCES = (
    ResourceSpec(ImageComponentState),
    ResourceSpec(ImageTemplateState),
    ResourceSpec(ImageBuildState),
)
