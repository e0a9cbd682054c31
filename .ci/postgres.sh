#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 with a database `test`
# that user postgres reaches without a password, as the test suite expects
# (tests/conftest.py, BLOCWATCH_TEST_PG). Uses the server already running there;
# otherwise installs Debian's postgresql and starts its cluster. Run as root.
set -euo pipefail

HOST=127.0.0.1
PORT=5432

answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$HOST" -p "$PORT"
  else
    (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
  fi
}

if ! answers; then
  echo "postgres.sh: no server on $HOST:$PORT; installing Debian's postgresql" >&2
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends postgresql
  fi
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  # Trust local TCP connections: a throwaway CI server, reachable from this machine only.
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -q "blocwatch-ci" "$hba"; then
    {
      echo "# blocwatch-ci: trust connections from this machine"
      echo "host all all 127.0.0.1/32 trust"
      echo "host all all ::1/128 trust"
      cat "$hba"
    } >"$hba.new"
    mv "$hba.new" "$hba"
    chown postgres:postgres "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    answers && break
    sleep 1
  done
  answers || { echo "postgres.sh: PostgreSQL did not start" >&2; exit 1; }
fi

if ! command -v psql >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends postgresql-client
fi

# Connect as postgres over TCP; fall back to the local socket as the postgres OS user.
as_admin() {
  if psql -h "$HOST" -p "$PORT" -U postgres -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
    psql -h "$HOST" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
  else
    runuser -u postgres -- psql -p "$PORT" -d postgres -v ON_ERROR_STOP=1 "$@"
  fi
}

if [ "$(as_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'")" != "1" ]; then
  as_admin -c "CREATE DATABASE test"
fi
psql -h "$HOST" -p "$PORT" -U postgres -d test -tAc "SELECT 'postgres.sh: ready, ' || version()"
