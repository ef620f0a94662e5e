# Sourced by scripts/test: make sure PostgreSQL answers at 127.0.0.1:5432 and point
# the PostgreSQL tests at it (OPENNPS_TEST_PG). Without a server they are skipped
# locally but fail in CI (CI=true), so a missing database can never pass silently.
PG_URL="${OPENNPS_TEST_PG:-postgresql://postgres@127.0.0.1:5432/test}"
pg_up() { python3 - "$PG_URL" <<'PY'
import socket, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
s = socket.socket(); s.settimeout(1)
try:
    s.connect((u.hostname or "127.0.0.1", u.port or 5432))
except OSError:
    sys.exit(1)
PY
}
if ! pg_up; then
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        echo "opennps: starting PostgreSQL" >&2
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
        for _ in $(seq 1 20); do pg_up && break; sleep 0.5; done
    fi
fi
if pg_up; then
    export OPENNPS_TEST_PG="$PG_URL"
else
    echo "opennps: PostgreSQL is not reachable at $PG_URL; its tests will be skipped" >&2
fi
