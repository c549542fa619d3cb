"""One registry of the provider's resources: what every runtime needs to know about each.

An entry names the resource's schema token (``alicloud-imagebuilder:imagebuilder:ImageBuild``),
the type Pulumi records for the SDK's dynamic resource, the lifecycle that implements
create/read/update/delete, and the pydantic models of its state and of the inputs and outputs
the state derives from. The dynamic
adapters (:mod:`.dynamic`) are built from it; a native plugin looks resources up by token.
Importing this module imports the lifecycles (and pydantic): runtimes load it on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .models import RESOURCES, ResourceSpec
from .models.base import ResourceInputs, ResourceState
from .resources.base import Lifecycle
from .resources.build import BuildLifecycle
from .resources.component import ComponentLifecycle
from .resources.template import TemplateLifecycle


@dataclass(frozen=True)
class Entry:
    spec: ResourceSpec  # the models, the name and both type strings
    lifecycle: type[Lifecycle[Any]]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def token(self) -> str:
        return self.spec.token

    @property
    def dynamic_type(self) -> str:
        return self.spec.dynamic_type

    @property
    def state(self) -> type[ResourceState]:
        return self.spec.state

    @property
    def inputs(self) -> type[ResourceInputs]:
        return self.spec.inputs

    @property
    def outputs(self) -> type[BaseModel]:
        return self.spec.outputs


_LIFECYCLES: dict[type[ResourceState], type[Lifecycle[Any]]] = {
    lifecycle.STATE: lifecycle
    for lifecycle in (ComponentLifecycle, TemplateLifecycle, BuildLifecycle)}

REGISTRY: tuple[Entry, ...] = tuple(Entry(spec, _LIFECYCLES[spec.state]) for spec in RESOURCES)
BY_TOKEN: dict[str, Entry] = {entry.token: entry for entry in REGISTRY}
BY_NAME: dict[str, Entry] = {entry.name: entry for entry in REGISTRY}
BY_DYNAMIC_TYPE: dict[str, Entry] = {entry.dynamic_type: entry for entry in REGISTRY}
