#!/usr/bin/env bash
# Run a command beside a throwaway PostgreSQL cluster, e.g. the test suite on the
# PostgreSQL backend:
#
#   bash scripts/pg-session.sh env SMSCTL_TEST_BACKEND=postgres cargo test
#
# * Installs the Debian `postgresql` package with apt-get when its server binaries are
#   missing (as root, or via passwordless sudo); otherwise says what to install, exit 1.
# * `initdb` in a fresh temporary directory, as a non-root user (root cannot run a
#   PostgreSQL server: as root the cluster belongs to the `postgres` system user, created
#   if missing). Password authentication (scram-sha-256) on 127.0.0.1 only, on a free port,
#   with a random password; no Unix socket outside the temporary directory.
# * The command sees SMSCTL_TEST_PG_URL, a superuser URL (postgres://smsctl:PASSWORD@
#   127.0.0.1:PORT/postgres); tests create a database of their own per test.
# * The server is stopped and its directory removed when the command exits; the exit
#   status is the command's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

find_bindir() {
    local d
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null || true)
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

BINDIR=$(find_bindir || true)
if [ -z "$BINDIR" ]; then
    # shellcheck source=lib/apt.sh
    . "$(dirname "$0")/lib/apt.sh"
    apt_install pg-session postgresql
    BINDIR=$(find_bindir) || { echo "pg-session: initdb not found after installing postgresql" >&2; exit 1; }
fi

# Who runs the server: this user, or (as root) an unprivileged system user.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    if ! id "$owner" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
    fi
    as_owner=(runuser -u "$owner" --)
fi

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

DIR=$(mktemp -d "${TMPDIR:-/tmp}/smsctl-pg.XXXXXX")
chmod 700 "$DIR"
PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
PGDATA="$DIR/data"
LOG="$DIR/server.log"
if [ "${#as_owner[@]}" -gt 0 ]; then
    chown "$owner" "$DIR"
fi
printf '%s\n' "$PASSWORD" >"$DIR/pw"
[ "${#as_owner[@]}" -gt 0 ] && chown "$owner" "$DIR/pw"

cleanup() {
    local rc=$?
    "${as_owner[@]}" "$BINDIR/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    exit "$rc"
}
trap cleanup EXIT INT TERM

"${as_owner[@]}" "$BINDIR/initdb" -D "$PGDATA" -U smsctl --pwfile="$DIR/pw" -A scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 || {
    cat "$DIR/initdb.log" >&2
    exit 1
}
rm -f "$DIR/pw"
# Only TCP on loopback with a password; the socket stays in the private directory.
cat >>"$PGDATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
max_connections = 300
fsync = on
shared_buffers = 64MB
EOF
printf 'host all all 127.0.0.1/32 scram-sha-256\n' >"$PGDATA/pg_hba.conf"

started=
for _ in 1 2 3 4 5; do
    PORT=$(free_port)
    if "${as_owner[@]}" "$BINDIR/pg_ctl" -D "$PGDATA" -l "$LOG" -o "-p $PORT" -w -t 30 start >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ -z "$started" ]; then
    echo "pg-session: the server did not start:" >&2
    cat "$LOG" >&2 || true
    exit 1
fi

export SMSCTL_TEST_PG_URL="postgres://smsctl:$PASSWORD@127.0.0.1:$PORT/postgres"
export SMSCTL_TEST_PG_BINDIR="$BINDIR"
export SMSCTL_TEST_PG_DATA="$PGDATA"
export SMSCTL_TEST_PG_OWNER="${owner:-}"
echo "pg-session: PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($PGDATA)" >&2
set +e
"$@"
rc=$?
set -e
exit "$rc"
