"""Helpers shared by the generated resource classes (hand-written)."""

from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Optional

import pulumi


def resource_props(args_cls: type, args: tuple[Any, ...],
                   kwargs: dict[str, Any]) -> tuple[dict[str, Any], Optional[pulumi.ResourceOptions]]:
    """Inputs and options from either ``(args_obj[, opts])`` or ``([opts], **kwargs)``,
    the two calling conventions of pulumi-alicloud's generated SDK."""
    rest = list(args)
    given = rest.pop(0) if rest and isinstance(rest[0], args_cls) else None
    opts = rest.pop(0) if rest else kwargs.pop("opts", None)
    if rest:
        raise TypeError(f"unexpected positional arguments {rest!r}")
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError("Expected resource options to be a ResourceOptions instance")
    if opts is not None and opts.import_ is not None and not _explicit_provider(opts):
        kind = args_cls.__name__.removesuffix("Args")
        raise pulumi.RunError(
            f"{kind}: import_={opts.import_!r} is not supported: the Pulumi engine cannot import "
            f"resources of a dynamic provider (this package's runtime). Read the existing one with "
            f"{kind}.get(\"<name>\", {opts.import_!r}) instead, or give it an explicit "
            "imagebuilder.Provider: it then runs on the provider plugin, which imports.")
    if given is not None and kwargs:
        raise TypeError(f"pass either {args_cls.__name__} or keyword arguments, not both")
    if given is None:
        if opts is not None and opts.id is not None and not kwargs:
            return {}, opts  # a lookup by id: the state is read, not given
        given = args_cls(**kwargs)
    return {f.name: getattr(given, f.name) for f in dataclasses.fields(given)}, opts


def _explicit_provider(opts: Optional[pulumi.ResourceOptions]) -> bool:
    from .provider import Provider

    return opts is not None and isinstance(opts.provider, Provider)


def on_plugin(resource: "PluginNames", opts: Optional[pulumi.ResourceOptions]) -> bool:
    """Does ``resource`` run on the provider plugin (it was given an explicit ``Provider``)?
    Then its property names are translated to the schema's; otherwise it is a dynamic resource
    whose names stay as they are."""
    resource._on_plugin = _explicit_provider(opts)
    return resource._on_plugin


class PluginNames:
    """Name translation for resources on the provider plugin: the properties the schema knows
    (not map keys such as tags') between Python's snake_case and the schema's camelCase."""

    _on_plugin = False

    def translate_input_property(self, prop: str) -> str:
        from ._names import CAMEL

        return CAMEL.get(prop, prop) if self._on_plugin else prop

    def translate_output_property(self, prop: str) -> str:
        from ._names import SNAKE

        return SNAKE.get(prop, prop) if self._on_plugin else prop


def invoke(token: str, args: dict[str, Any],
           opts: Optional[pulumi.InvokeOptions]) -> pulumi.Output[dict[str, Any]]:
    """A function of the provider plugin; the result's names are Python's."""
    from ._names import SNAKE

    given = {k: v for k, v in args.items() if v is not None}
    return pulumi.runtime.invoke_output(token, given, opts).apply(
        lambda found: {SNAKE.get(k, k): v for k, v in (found or {}).items()})


def with_outputs(props: dict[str, Any], outputs: Iterable[str],
                 derived: Optional[dict[str, str]] = None) -> dict[str, Any]:
    """Every output gets a key (``None`` until known) so it becomes an attribute. An output
    parsed from an input (``derived``: output -> input) gets an empty list as input, secret
    exactly when that input is: the engine marks an output secret when the input of the same
    name was, and a dynamic provider cannot return secrets itself (the provider ignores it)."""
    given = {**{name: None for name in outputs}, **props}
    for output, source in (derived or {}).items():
        if props.get(source) is not None:
            given[output] = pulumi.Output.from_input(props[source]).apply(lambda _: [])
    return given


def identity(resource_name: str, opts: Optional[pulumi.ResourceOptions]) -> pulumi.Input[str]:
    """What identifies one resource across runs of the program; the provider derives its
    idempotency tokens from it (with the inputs), so a create interrupted by a crash is adopted
    by the next run instead of duplicated. ``<project>/<stack>/<name>`` at the top level;
    under a parent, ``<parent's URN>/<name>``: the URN holds the parent's type chain and name
    (Pulumi keeps URNs unique in a stack) and is known at preview."""
    parent = opts.parent if opts is not None else None
    if parent is None or parent.pulumi_resource_type == "pulumi:pulumi:Stack":
        return f"{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"
    # The URN's value without the parent as a dependency: depending on a component resource
    # means depending on its children, this one included (a cycle).
    urn = pulumi.Output.from_input(parent.urn.future())
    return urn.apply(lambda value: f"{value}/{resource_name}")
