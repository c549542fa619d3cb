"""One lifecycle module per resource (check, diff, create, read, update, delete), free of Pulumi
types; the dynamic adapters in ``..dynamic`` are thin wrappers over them."""
