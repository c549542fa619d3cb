"""The native provider plugin ``pulumi-resource-alicloud-imagebuilder``: the same lifecycles as
the dynamic runtime, served over Pulumi's provider gRPC protocol to every language.

* ``seam`` - the one place that calls the lifecycles;
* ``names`` - the schema's camelCase wire names to the models' names and back;
* ``provider`` - a ``pulumi.provider.experimental`` Provider over the seam;
* ``server`` - the gRPC server (the experimental one, with the narrow extensions it lacks).
"""
