#!/usr/bin/env bash
# Static checks: ruff, mypy, eslint, tsc.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy .
(cd frontend && npm run --silent lint && npm run --silent typecheck)
