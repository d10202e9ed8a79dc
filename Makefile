# The two commands: `make demo` and `make test`. Everything else supports them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help rucio-up rucio-down rucio-reset rucio-status

help:
	@echo "make demo   - local Rucio with sample data + JupyterLab with the extension"
	@echo "make test   - lint, jest, pytest and Playwright UI tests against the local Rucio"

rucio-up:
	@bash dev/rucio.sh up

rucio-down:
	@bash dev/rucio.sh down

rucio-reset:
	@bash dev/rucio.sh reset

rucio-status:
	@bash dev/rucio.sh status
