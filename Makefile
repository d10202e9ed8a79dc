# The two commands: `make demo` and `make test`. Everything else supports them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
DEMO_PORT ?= 8890

# Pinned tool versions for the Jupyter side (rucio server versions live in dev/rucio.sh).
PY_TOOLS := "jupyterlab==4.6.6" "jupyter-builder==1.3.0" "hatchling>=1.26" "hatch-nodejs-version>=0.3.2" \
	"hatch-jupyter-builder>=0.9" editables

.PHONY: help demo hub hub-down test bench lint build install chromium r-kernel rucio-up rucio-down rucio-reset rucio-status \
	rucio-seed-large clean

help:
	@echo "make demo   - local Rucio with sample data + JupyterLab with the extension (http://127.0.0.1:$(DEMO_PORT)/lab)"
	@echo "make hub    - a real JupyterHub with OIDC login and the extension (make hub-down stops it)"
	@echo "make test   - lint, jest, pytest and Playwright UI tests against the local Rucio"
	@echo "make bench  - benchmarks against the local Rucio, printed as ratios to a baseline"
	@echo "make rucio-up | rucio-down | rucio-reset | rucio-status - the local Rucio alone"
	@echo "make rucio-seed-large - add scope big (120,000 files, datasets of 100 and 10,000 files)"

# --- environments -----------------------------------------------------------------------------
$(BIN)/python:
	python3 -m venv $(VENV)

$(VENV)/.tools: $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check $(PY_TOOLS)
	touch $@

node_modules/.installed: package.json yarn.lock $(VENV)/.tools
	jlpm install --immutable
	touch $@

# Production build of the frontend; the labextension folder is what the wheel ships.
jupyterlab_rucio/labextension/package.json: node_modules/.installed $(shell find src style schema -type f 2>/dev/null) tsconfig.json
	jlpm build:prod

$(VENV)/.installed: pyproject.toml jupyterlab_rucio/labextension/package.json
	$(BIN)/pip install --quiet --disable-pip-version-check --no-build-isolation -e ".[test,dev]"
	jupyter builder develop --overwrite . >/dev/null
	touch $@

build: jupyterlab_rucio/labextension/package.json
install: $(VENV)/.installed

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# R and IRkernel from Debian, registered as a kernel of .venv: the notebook tests run generated R in it.
R_KERNEL := $(VENV)/share/jupyter/kernels/ir/kernel.json

$(R_KERNEL): $(VENV)/.installed
	@Rscript -e 'library(IRkernel)' >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-cran-irkernel >/dev/null; }
	R --quiet --no-save -e "IRkernel::installspec(name = 'ir', displayname = 'R', prefix = '$(CURDIR)/$(VENV)')" >/dev/null
	$(BIN)/python -c "from jupyter_client.kernelspec import find_kernel_specs; assert 'ir' in find_kernel_specs()"

r-kernel: $(R_KERNEL)

# --- the local Rucio ------------------------------------------------------------------------------
rucio-up:
	@bash dev/rucio.sh up

rucio-down:
	@bash dev/rucio.sh down

rucio-reset:
	@bash dev/rucio.sh reset

rucio-status:
	@bash dev/rucio.sh status

rucio-seed-large:
	@bash dev/rucio.sh seed-large

# --- the two commands -----------------------------------------------------------------------------
demo: install rucio-up
	@bash dev/demo.sh $(DEMO_PORT)

hub: install
	@bash dev/hub.sh up

hub-down:
	@bash dev/hub.sh down

test: chromium install r-kernel
	@bash dev/run-tests.sh

# The REST lines against the limit (printed as they end, figures in
# benchmarks/results/latest.json), the browser's scroll of the large sample, the older
# benchmarks (the uploads among them: their writes would still be settling under the scroll),
# then the table against the limit with every line.
bench: chromium install rucio-up rucio-seed-large
	$(BIN)/python benchmarks/run.py --part limits $(BENCH_ARGS)
	cd ui-tests && npx playwright test -c playwright.bench.config.js
	$(BIN)/python benchmarks/run.py --part others $(BENCH_ARGS)
	$(BIN)/python benchmarks/limits.py --browser benchmarks/results/browser.json --print

lint: install
	jlpm lint:check
	ruff check .
	ruff format --check .

clean:
	rm -rf lib jupyterlab_rucio/labextension tsconfig.tsbuildinfo node_modules/.installed $(VENV)/.installed
