# Sourced by scripts/test and scripts/bench: starts a throwaway PostgreSQL cluster in a temp directory
# and stops it on exit, even when the caller fails.
#   throwaway_postgres_start   exports REGISTRY_TEST_DATABASE_URL (unix socket, trust, superuser),
#                              REGISTRY_TEST_TCP_PORT (127.0.0.1, password auth), PG_BIN
#   throwaway_postgres_stop    (installed as an EXIT trap by start)

find_pg_bin() {
    if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then return 0; fi
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ]; then PG_BIN=$dir; return 0; fi
    done
    if command -v initdb >/dev/null 2>&1; then PG_BIN=$(dirname "$(command -v initdb)"); return 0; fi
    echo "PostgreSQL server binaries (initdb, pg_ctl) not found. Install them: apt-get install postgresql" >&2
    return 1
}

free_tcp_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# PostgreSQL refuses to run as root: as root, run it as an unprivileged user.
as_pg_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}

throwaway_postgres_start() {
    find_pg_bin || return 1
    PG_USER=$(id -un)
    if [ "$(id -u)" = 0 ]; then
        PG_USER=postgres
        id -u postgres >/dev/null 2>&1 || { id -u pgtest >/dev/null 2>&1 || useradd -r -M pgtest; PG_USER=pgtest; }
    fi
    PG_TMP=$(mktemp -d /tmp/registry-pg.XXXXXX)
    chmod 755 "$PG_TMP"
    mkdir -p "$PG_TMP/data" "$PG_TMP/sock"
    touch "$PG_TMP/server.log"
    if [ "$(id -u)" = 0 ]; then chown "$PG_USER" "$PG_TMP/data" "$PG_TMP/sock" "$PG_TMP/server.log"; fi
    chmod 700 "$PG_TMP/data"
    REGISTRY_TEST_TCP_PORT=$(free_tcp_port)
    as_pg_user "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --no-locale >"$PG_TMP/initdb.log" 2>&1 || { cat "$PG_TMP/initdb.log" >&2; return 1; }
    trap throwaway_postgres_stop EXIT
    as_pg_user "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 start -o \
        "-p $REGISTRY_TEST_TCP_PORT -k $PG_TMP/sock -c listen_addresses=127.0.0.1 -c max_connections=300 \
         -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB" >/dev/null \
        || { cat "$PG_TMP/server.log" >&2; return 1; }
    export PG_BIN
    export REGISTRY_TEST_DATABASE_URL="host=$PG_TMP/sock port=$REGISTRY_TEST_TCP_PORT user=postgres dbname=postgres"
    export REGISTRY_TEST_TCP_PORT
    echo "throwaway PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $PG_TMP (socket), 127.0.0.1:$REGISTRY_TEST_TCP_PORT" >&2
}

throwaway_postgres_stop() {
    [ -n "${PG_TMP:-}" ] || return 0
    if [ -f "$PG_TMP/data/postmaster.pid" ]; then
        as_pg_user "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_TMP"
    PG_TMP=
}
