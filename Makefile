# The two commands a new machine needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install pulumi sdk-deps demo test lint acceptance sweep schema sdks bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing the project and its test dependencies into $(VENV)..."
	@{ $(PY) -m pip install --upgrade pip && $(PY) -m pip install -e '.[test]'; } > $(VENV)/install.log 2>&1 \
		|| { tail -n 40 $(VENV)/install.log; echo "make install failed: see $(VENV)/install.log"; exit 1; }
	@touch $(STAMP)

pulumi: install
	@tools/install-pulumi.sh

# npm packages and Go builds for the tests of the TypeScript and Go SDKs (tests/sdkgen).
sdk-deps:
	@tools/install-sdk-deps.sh

test: install pulumi sdk-deps
	@$(PY) -m pytest

# ruff over the Python code, mypy --strict over the two packages (config: pyproject.toml).
lint: install
	@$(VENV)/bin/ruff check provider emulator tests tools benchmarks examples
	@$(VENV)/bin/mypy provider/alicloud_imagebuilder_provider emulator/alicloud_imagebuilder_emulator

demo: install pulumi
	@tools/demo.sh

# The examples through the real CLI: against the emulator, or a real account when
# IMAGEBUILDER_ACCEPTANCE=real and the ALIBABA_CLOUD_* variables are set (README: Before a release).
acceptance: install pulumi
	@$(PY) -m pytest tests/acceptance

# Delete leftovers whose names start with PREFIX (default: the acceptance suite's) in every region.
sweep: install
	@$(PY) tools/sweep.py $(if $(PREFIX),--prefix $(PREFIX))

# schema.json, docs/reference.md and the SDK modules, all generated from the provider's models.
schema: install
	@$(PY) -m alicloud_imagebuilder_provider.schema > schema.json
	@$(PY) -m alicloud_imagebuilder_provider.docs > docs/reference.md
	@$(PY) -m alicloud_imagebuilder_provider.sdkgen sdk/python/pulumi_alicloud_imagebuilder
	@$(MAKE) --no-print-directory sdks

# sdk/nodejs and sdk/go, generated from schema.json by Pulumi's own code generators (tools/gen-sdk).
sdks:
	@cd tools/gen-sdk && go run . -schema ../../schema.json -out ../../sdk

bench: install pulumi
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .tools
