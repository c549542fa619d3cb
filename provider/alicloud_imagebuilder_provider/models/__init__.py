"""The single source of truth for each resource's shape."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from .base import ResourceInputs
from .build import ImageBuildInputs, ImageBuildOutputs
from .component import ImageComponentInputs, ImageComponentOutputs
from .template import ImageTemplateInputs, ImageTemplateOutputs

PACKAGE = "alicloud-imagebuilder"
MODULE = "imagebuilder"


@dataclass(frozen=True)
class ResourceSpec:
    inputs: type[ResourceInputs]
    outputs: type[BaseModel]

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
    ResourceSpec(ImageComponentInputs, ImageComponentOutputs),
    ResourceSpec(ImageTemplateInputs, ImageTemplateOutputs),
    ResourceSpec(ImageBuildInputs, ImageBuildOutputs),
)
