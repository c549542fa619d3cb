"""Provider core for Alibaba Cloud ECS Image Builder.

Layers, from the outside in:

* ``dynamic``   - thin Pulumi dynamic-provider adapters (the only Pulumi-aware code);
* ``resources`` - one lifecycle module per resource (check/diff/create/read/update/delete);
* ``models``    - the pydantic models: inputs, outputs, service limits, API mapping;
* ``client``    - the only code that talks to the ECS SDK (retries, pagination, errors);
* ``waiter``    - deadlines, backoff schedules and acceptors for everything that waits;
* ``settings``  - provider configuration resolved from stack config and the environment;
* ``schema`` / ``docs`` / ``sdkgen`` - generators of schema.json, docs/reference.md and the SDK.
"""

__version__ = "0.1.0"
