# tfm-ci: `make demo` and `make test` set everything up themselves (idempotent).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV     ?= .venv
PYTHON   ?= python3
PY       := $(VENV)/bin/python
BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)

# Debian/Ubuntu packages: toolchains, simulators, clang for the fuzzer and sanitizers,
# chromium for the HTML report's browser test.
APT_PACKAGES := make gcc python3-venv gcc-arm-none-eabi libnewlib-arm-none-eabi \
                qemu-system-arm qemu-system-misc gcc-riscv64-unknown-elf \
                picolibc-riscv64-unknown-elf clang chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup apt venv demo test test-python test-robot lint docs firmware-host clean

help:
	@echo "make demo   - set up, then run the demo fleet (demo models x built-in boards)"
	@echo "make test   - set up, then run lint, pytest and the Robot suites"
	@echo "make setup  - install apt packages (when missing) and the Python venv"

setup: apt venv

# Install only what is missing, so a second run does nothing.
apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi; \
	rt=libclang-rt-$$(clang --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)-dev; \
	if ! dpkg -s $$rt >/dev/null 2>&1 && apt-cache show $$rt >/dev/null 2>&1; then \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$rt; \
	fi

$(VENV)/.installed: pyproject.toml examples/acme_vendor/pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m pip install -q --no-deps -e examples/acme_vendor
	@touch $@

venv: $(VENV)/.installed

firmware-host: setup
	$(MAKE) -C firmware host

demo: setup
	$(VENV)/bin/tfm-ci demo

lint: venv
	$(VENV)/bin/ruff check .

test-python: setup
	$(VENV)/bin/pytest -n $(JOBS) --dist loadfile

test-robot: setup
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/pabot --processes $(JOBS) \
	  --outputdir $(BUILD)/robot --xunit junit.xml robot_tests

test: setup lint test-python test-robot

docs: venv
	$(PY) -m tfm_ci.robot.libdoc
	$(PY) -m tfm_ci.opdocs

clean:
	rm -rf $(BUILD)
