#!/usr/bin/env bash
# The whole suite: static checks, frontend unit tests, then pytest (API, services, real worker
# processes, websocket and browser tests).
#
# PostgreSQL and Redis on their default local ports are used when they answer. Without them the
# suite runs on the embedded stack and lists the tests it could not run; with CI=true a missing
# service is an error.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

PG_URL=${MOOT_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/moot}
REDIS_TEST_URL=${MOOT_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

probe() {
  .venv/bin/python - "$PG_URL" "$REDIS_TEST_URL" <<'PY'
import sys
import psycopg, redis
pg_url, redis_url = sys.argv[1:3]
ok = []
try:
    psycopg.connect(pg_url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    ok.append("postgres")
except Exception as exc:
    print(f"PostgreSQL not reachable at {pg_url}: {exc}", file=sys.stderr)
try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    ok.append("redis")
except Exception as exc:
    print(f"Redis not reachable at {redis_url}: {exc}", file=sys.stderr)
print(" ".join(ok))
PY
}

found=$(probe)
if [[ "$found" == "postgres redis" ]]; then
  export DATABASE_URL=$PG_URL REDIS_URL=$REDIS_TEST_URL
  echo "== Services: PostgreSQL ($PG_URL) and Redis ($REDIS_TEST_URL)"
elif [[ "${CI:-}" == "true" ]]; then
  echo "== CI=true and the services are missing (found: '${found}'): refusing to skip tests." >&2
  exit 1
else
  unset DATABASE_URL REDIS_URL
  echo "== Services missing (found: '${found}'): embedded stack (SQLite); tests that need"
  echo "   PostgreSQL and Redis are listed at the end as not run."
fi

# Persistent connections held by worker threads would keep the test database busy at teardown.
export MOOT_DB_CONN_MAX_AGE=0
export MOOT_DATA_DIR="$PWD/.test-data"
rm -rf "$MOOT_DATA_DIR"
mkdir -p "$MOOT_DATA_DIR"

echo "== Static checks"
./scripts/lint.sh
echo "== Frontend unit tests"
(cd frontend && npm run --silent test)
echo "== Python tests"
.venv/bin/pytest "$@"
echo "== make test took $(( $(date +%s) - started ))s"
