# shellcheck shell=bash
# A throwaway PostgreSQL cluster for the tests, from Debian's packages (postgresql-15): sourced by
# .ci/run and .ci/with-postgres. `start_throwaway_postgres` initialises a cluster in a new temporary
# folder (UTF-8, trust authentication, listening on 127.0.0.1 only, on a free port), starts it,
# exports AI_DAILY_TEST_PG_URL (the tests create and drop their own databases on it), and stops it
# and removes the folder when the shell exits. As root, the cluster runs as the `postgres` user.

pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_throwaway_postgres() {
  if [ -n "${AI_DAILY_PG_DIR:-}" ] && [ -d "$AI_DAILY_PG_DIR" ]; then
    as_pg_owner "$AI_DAILY_PG_BIN/pg_ctl" -D "$AI_DAILY_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$AI_DAILY_PG_DIR"
  fi
}

start_throwaway_postgres() {
  AI_DAILY_PG_BIN="$(pg_bindir)" || {
    echo "PostgreSQL's server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql" >&2
    return 1
  }
  AI_DAILY_PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ai-daily-pg.XXXXXX")"
  trap stop_throwaway_postgres EXIT
  if [ "$(id -u)" = 0 ]; then chown postgres: "$AI_DAILY_PG_DIR"; fi
  as_pg_owner "$AI_DAILY_PG_BIN/initdb" -D "$AI_DAILY_PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  local port
  port="$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  as_pg_owner "$AI_DAILY_PG_BIN/pg_ctl" -D "$AI_DAILY_PG_DIR/data" -l "$AI_DAILY_PG_DIR/server.log" -w \
    -o "-p $port -k $AI_DAILY_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  export AI_DAILY_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$AI_DAILY_PG_BIN/postgres" --version | awk '{print $3}') for the tests: $AI_DAILY_TEST_PG_URL (stopped at exit)"
}
