# Moot: `make demo` starts the embedded demo, `make test` runs the whole suite.
# Both do every set-up step themselves and are safe to run again.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# torch must come first and pinned: any looser requirement pulls a multi-GB CUDA build.
TORCH := torch==2.13.0
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo serve test lint schema build setup lock clean

demo: setup
	$(PY) manage.py demo --host $(HOST) --port $(PORT)

serve: setup
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

test: setup
	./scripts/test.sh

lint: setup
	./scripts/lint.sh

setup: $(VENV)/.installed frontend/dist/index.html

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet $(TORCH)
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed frontend/index.html frontend/vite.config.ts $(shell find frontend/src -type f 2>/dev/null)
	cd frontend && npm run build

build: frontend/dist/index.html

# Regenerate the OpenAPI schema and the browser app's API types from it.
schema: $(VENV)/.installed frontend/node_modules/.installed
	$(PY) manage.py spectacular --format openapi-json --validate --fail-on-warn --file frontend/openapi.json
	cd frontend && npm run gen:api

# Refresh the pinned Python dependencies after changing pyproject.toml.
lock: $(VENV)/.installed
	$(PIP) install --quiet -e '.[dev,ml]'
	$(PIP) freeze --exclude-editable | grep -v -E '^(torch|moot)[= ]' > requirements.lock

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .test-data
