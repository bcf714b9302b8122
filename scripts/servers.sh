#!/usr/bin/env bash
# Throwaway PostgreSQL 15 and MariaDB servers for the test suite and the documentation examples.
#
#   bash scripts/servers.sh start    install what is missing (Debian), start both servers, print settings
#   bash scripts/servers.sh stop     stop both servers (by PID)
#   bash scripts/servers.sh status   say what is running; exit 1 unless both are up
#   bash scripts/servers.sh env      print the settings only
#   bash scripts/servers.sh clean    stop both servers and delete their data directory
#   bash scripts/servers.sh replica-start|replica-stop   only the PostgreSQL read replica
#
# Next to the PostgreSQL server runs a hot standby of it (asynchronous streaming replication,
# read-only) on port $PEEWEE_PG_REPLICA_PORT (default 5433), for the read-replica tests.  It is
# made with pg_basebackup the first time; when it cannot be started, `start` says so and goes on.
#
# `start` prints `export VAR=...` lines on stdout (progress goes to stderr), so a shell can take them
# over with:   eval "$(bash scripts/servers.sh start)"
# Both servers listen on 127.0.0.1 only; all their files live under $PEEWEE_SERVERS_DIR
# (default /tmp/peewee-servers).  Durability is switched off: the data is disposable.
set -euo pipefail

BASE_DIR=${PEEWEE_SERVERS_DIR:-/tmp/peewee-servers}
HOST=127.0.0.1
PG_PORT=${PEEWEE_PG_PORT:-5432}
MYSQL_PORT=${PEEWEE_MYSQL_PORT:-3306}
PG_REPLICA_PORT=${PEEWEE_PG_REPLICA_PORT:-5433}
DB_USER=peewee
DB_PASSWORD=peewee
TEST_DATABASE=${PEEWEE_TEST_DATABASE:-peewee_test}
PG_BIN=${PEEWEE_PG_BIN:-/usr/lib/postgresql/15/bin}

PG_DIR=$BASE_DIR/postgres
PG_DATA=$PG_DIR/data
PG_RUN=$PG_DIR/run
PG_LOG=$PG_DIR/server.log
PGR_DIR=$BASE_DIR/postgres-replica
PGR_DATA=$PGR_DIR/data
PGR_RUN=$PGR_DIR/run
PGR_LOG=$PGR_DIR/server.log
MY_DIR=$BASE_DIR/mariadb
MY_DATA=$MY_DIR/data
MY_RUN=$MY_DIR/run
MY_SOCKET=$MY_RUN/mysqld.sock
MY_PIDFILE=$MY_RUN/mysqld.pid
MY_LOG=$MY_DIR/server.log

MY_USER_OPT=()
[ "$(id -u)" = 0 ] && MY_USER_OPT=(--user=mysql)

log() { echo "servers: $*" >&2; }
die() { echo "servers: error: $*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Run a command as the `postgres` system user when we are root (initdb and pg_ctl refuse root).
as_postgres() {
    if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pid_is() {  # pid, program name -> 0 when that process is alive and runs that program
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
    [ -r "/proc/$1/comm" ] || return 0
    grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null && return 1  # a zombie is dead
    grep -q "$2" "/proc/$1/comm"
}

port_open() {  # port -> 0 when something accepts TCP connections on 127.0.0.1:port
    (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

wait_for_port() {  # port, name
    local i
    for i in $(seq 1 300); do
        port_open "$1" && return 0
        sleep 0.1
    done
    die "$2 does not accept connections on $HOST:$1"
}

print_settings() {
    cat <<EOF
export PEEWEE_PG_HOST=$HOST
export PEEWEE_PG_PORT=$PG_PORT
export PEEWEE_PG_USER=$DB_USER
export PEEWEE_PG_PASSWORD=$DB_PASSWORD
export PEEWEE_PG_REPLICA_PORT=$PG_REPLICA_PORT
export PEEWEE_MYSQL_HOST=$HOST
export PEEWEE_MYSQL_PORT=$MYSQL_PORT
export PEEWEE_MYSQL_USER=$DB_USER
export PEEWEE_MYSQL_PASSWORD=$DB_PASSWORD
export PEEWEE_TEST_DATABASE=$TEST_DATABASE
EOF
}

# --- installation -------------------------------------------------------------------------------

APT_UPDATED=
apt_install() {
    is_root || die "missing packages ($*) and not root: install them first"
    command -v apt-get >/dev/null || die "missing packages ($*) and no apt-get on this machine"
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$APT_UPDATED" ]; then
        log "apt-get update"
        apt-get update -qq >&2
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    apt-get install -y -qq "$@" >&2
}

install_missing() {
    if [ ! -x "$PG_BIN/postgres" ] || [ ! -x "$PG_BIN/initdb" ]; then
        apt_install postgresql-15
    fi
    if ! command -v mariadbd >/dev/null || ! command -v mariadb-install-db >/dev/null; then
        apt_install --no-install-recommends mariadb-server mariadb-client
    fi
    if ! command -v mariadb >/dev/null && ! command -v mysql >/dev/null; then
        apt_install --no-install-recommends mariadb-client
    fi
}

mariadb_client() {
    if command -v mariadb >/dev/null; then echo mariadb; else echo mysql; fi
}

# Debian's packages may start their own system-wide servers; those would hold our ports.
stop_system_services() {
    if port_open "$PG_PORT" && ! pg_running; then
        log "port $PG_PORT is taken: stopping the system PostgreSQL service"
        if command -v pg_ctlcluster >/dev/null; then
            local version cluster rest
            while read -r version cluster rest; do
                [ -n "$cluster" ] && pg_ctlcluster "$version" "$cluster" stop >&2 2>&1 || true
            done < <(pg_lsclusters -h 2>/dev/null || true)
        fi
        command -v service >/dev/null && service postgresql stop >&2 2>&1 || true
        [ -x /etc/init.d/postgresql ] && /etc/init.d/postgresql stop >&2 2>&1 || true
        if port_open "$PG_PORT"; then die "port $PG_PORT is in use by another program"; fi
    fi
    if port_open "$MYSQL_PORT" && ! mysql_running; then
        log "port $MYSQL_PORT is taken: stopping the system MariaDB service"
        if command -v service >/dev/null; then
            service mariadb stop >&2 2>&1 || service mysql stop >&2 2>&1 || true
        fi
        [ -x /etc/init.d/mariadb ] && /etc/init.d/mariadb stop >&2 2>&1 || true
        if port_open "$MYSQL_PORT"; then die "port $MYSQL_PORT is in use by another program"; fi
    fi
}

# --- PostgreSQL ---------------------------------------------------------------------------------

pg_running() {
    [ -f "$PG_DATA/postmaster.pid" ] || return 1
    local pid
    pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null) || return 1
    pid_is "$pid" postgres
}

pg_init() {
    log "initdb $PG_DATA"
    rm -rf "$PG_DATA"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" --no-sync -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=md5 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
}

pg_launch() {
    rm -f "$PG_DATA/postmaster.pid" "$PG_RUN"/.s.PGSQL.*
    log "starting PostgreSQL on $HOST:$PG_PORT"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start -o "\
        -c listen_addresses=$HOST -c port=$PG_PORT -c unix_socket_directories=$PG_RUN \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
        -c wal_level=replica -c max_wal_senders=10 \
        -c max_connections=200 -c shared_buffers=128MB" >/dev/null
}

pg_start() {
    if pg_running; then
        log "PostgreSQL already running (pid $(head -n 1 "$PG_DATA/postmaster.pid"))"
    else
        mkdir -p "$PG_DIR" "$PG_RUN"
        is_root && chown -R postgres:postgres "$PG_DIR"
        [ -f "$PG_DATA/PG_VERSION" ] || pg_init
        if ! pg_launch; then
            tail -n 5 "$PG_LOG" >&2
            log "PostgreSQL did not start: trying again with an empty data directory"
            pg_init
            pg_launch || { tail -n 20 "$PG_LOG" >&2; die "PostgreSQL did not start"; }
        fi
    fi
    wait_for_port "$PG_PORT" PostgreSQL
    # md5 rather than SCRAM: a SCRAM handshake costs ~10 ms per connection, and tests connect a lot.
    if grep -q '^host.*scram-sha-256' "$PG_DATA/pg_hba.conf"; then
        as_postgres sed -i 's/scram-sha-256$/md5/' "$PG_DATA/pg_hba.conf"
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" reload >/dev/null
    fi
    local db
    {
        cat <<EOF
SELECT 'CREATE ROLE $DB_USER' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER')\gexec
SET password_encryption = 'md5';
ALTER ROLE $DB_USER WITH LOGIN SUPERUSER PASSWORD '$DB_PASSWORD';
-- With synchronous_commit=off a commit reaches the WAL file (and so the read replica) only when the
-- WAL writer next wakes up: every 200 ms by default, every 1 ms here (it sleeps when idle).
ALTER SYSTEM SET wal_writer_delay = '1ms';
SELECT pg_reload_conf();
EOF
        for db in peewee_test "$TEST_DATABASE"; do
            echo "SELECT 'CREATE DATABASE $db OWNER $DB_USER' WHERE NOT EXISTS" \
                 "(SELECT 1 FROM pg_database WHERE datname = '$db')\\gexec"
        done
    } | as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres >/dev/null \
        || die "could not create the PostgreSQL user and database"
}

pg_stop() {
    if pg_running; then
        log "stopping PostgreSQL"
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || {
            kill "$(head -n 1 "$PG_DATA/postmaster.pid")" 2>/dev/null || true
        }
    fi
}

# --- PostgreSQL read replica (hot standby) ------------------------------------------------------

pgr_running() {
    [ -f "$PGR_DATA/postmaster.pid" ] || return 1
    local pid
    pid=$(head -n 1 "$PGR_DATA/postmaster.pid" 2>/dev/null) || return 1
    pid_is "$pid" postgres
}

system_id() {  # data directory -> its database system identifier (empty when unreadable)
    "$PG_BIN/pg_controldata" "$1" 2>/dev/null | sed -n 's/^Database system identifier: *//p'
}

pgr_init() {  # copy the running primary into $PGR_DATA, set up to follow it
    log "pg_basebackup of the primary into $PGR_DATA"
    rm -rf "$PGR_DATA"
    mkdir -p "$PGR_DIR" "$PGR_RUN"
    is_root && chown -R postgres:postgres "$PGR_DIR"
    # -R writes standby.signal and primary_conninfo (the primary's socket, trusted locally).
    as_postgres "$PG_BIN/pg_basebackup" -h "$PG_RUN" -p "$PG_PORT" -U postgres -D "$PGR_DATA" \
        -R -X stream -c fast --no-sync >"$PGR_DIR/basebackup.log" 2>&1 \
        || { cat "$PGR_DIR/basebackup.log" >&2; die "pg_basebackup failed"; }
}

pgr_launch() {
    rm -f "$PGR_DATA/postmaster.pid" "$PGR_RUN"/.s.PGSQL.*
    log "starting the PostgreSQL read replica on $HOST:$PG_REPLICA_PORT"
    # max_connections must not be below the primary's.  A query that blocks the replay of the
    # primary's changes (a DROP TABLE, say) is cancelled after 1 s rather than holding it back.
    as_postgres "$PG_BIN/pg_ctl" -D "$PGR_DATA" -l "$PGR_LOG" -w -t 60 start -o "\
        -c listen_addresses=$HOST -c port=$PG_REPLICA_PORT -c unix_socket_directories=$PGR_RUN \
        -c fsync=off -c full_page_writes=off -c hot_standby=on \
        -c max_standby_streaming_delay=1s -c max_standby_archive_delay=1s \
        -c max_connections=200 -c shared_buffers=32MB" >/dev/null
}

pgr_start() {
    pg_running || die "the read replica needs the PostgreSQL server running"
    if pgr_running; then
        log "PostgreSQL read replica already running (pid $(head -n 1 "$PGR_DATA/postmaster.pid"))"
        return 0
    fi
    if [ ! -f "$PGR_DATA/standby.signal" ] || [ "$(system_id "$PGR_DATA")" != "$(system_id "$PG_DATA")" ]; then
        pgr_init  # none yet, or a copy of an earlier primary
    fi
    if ! pgr_launch; then
        tail -n 5 "$PGR_LOG" >&2
        log "the read replica did not start: copying the primary again"
        pgr_init
        pgr_launch || { tail -n 20 "$PGR_LOG" >&2; die "the read replica did not start"; }
    fi
    wait_for_port "$PG_REPLICA_PORT" "the PostgreSQL read replica"
    pgr_streaming && return 0
    # E.g. down so long that the primary no longer has the changes it missed: copy afresh.
    log "the read replica does not follow the primary: copying the primary again"
    pgr_stop
    pgr_init
    pgr_launch || { tail -n 20 "$PGR_LOG" >&2; die "the read replica did not start"; }
    wait_for_port "$PG_REPLICA_PORT" "the PostgreSQL read replica"
    pgr_streaming || log "warning: the read replica runs but does not follow the primary (see $PGR_LOG)"
}

pgr_streaming() {  # -> 0 once the primary streams its changes to a standby (waits up to 10 s)
    local i
    for i in $(seq 1 100); do
        [ "$(as_postgres psql -X -A -t -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres \
            -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" 2>/dev/null)" \
            != 0 ] && return 0
        sleep 0.1
    done
    return 1
}

pgr_stop() {
    if pgr_running; then
        log "stopping the PostgreSQL read replica"
        as_postgres "$PG_BIN/pg_ctl" -D "$PGR_DATA" -m fast -w stop >/dev/null 2>&1 || {
            kill "$(head -n 1 "$PGR_DATA/postmaster.pid")" 2>/dev/null || true
        }
    fi
}

replica_start_or_warn() {  # the replica is optional: its failure does not fail `start`
    ( pgr_start ) || log "warning: the PostgreSQL read replica is not running"
}

# --- MariaDB ------------------------------------------------------------------------------------

mysql_pid() { cat "$MY_PIDFILE" 2>/dev/null; }

mysql_running() {
    local pid
    pid=$(mysql_pid) || return 1
    pid_is "$pid" "mariadbd\|mysqld"
}

mysql_root() {
    "$(mariadb_client)" --no-defaults --protocol=socket --socket="$MY_SOCKET" -uroot "$@"
}

mysql_init() {
    log "mariadb-install-db $MY_DATA"
    rm -rf "$MY_DATA"
    mariadb-install-db --no-defaults "${MY_USER_OPT[@]}" --datadir="$MY_DATA" \
        --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
        >"$MY_DIR/install.log" 2>&1 || { cat "$MY_DIR/install.log" >&2; die "mariadb-install-db failed"; }
}

mysql_launch() {  # -> 0 once the server answers on its socket
    rm -f "$MY_PIDFILE" "$MY_SOCKET"
    log "starting MariaDB on $HOST:$MYSQL_PORT"
    setsid mariadbd --no-defaults "${MY_USER_OPT[@]}" --datadir="$MY_DATA" \
        --bind-address="$HOST" --port="$MYSQL_PORT" --socket="$MY_SOCKET" --pid-file="$MY_PIDFILE" \
        --log-error="$MY_LOG" --skip-name-resolve --skip-log-bin \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
        --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --sync-binlog=0 \
        --innodb-buffer-pool-size=256M --max-connections=200 \
        --innodb-file-per-table=0 --innodb-flush-method=nosync \
        </dev/null >/dev/null 2>&1 &
    local pid=$! i
    for i in $(seq 1 300); do
        [ -S "$MY_SOCKET" ] && mysql_root -e 'SELECT 1' >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    return 1
}

mysql_start() {
    if mysql_running; then
        log "MariaDB already running (pid $(mysql_pid))"
    else
        mkdir -p "$MY_DIR" "$MY_RUN"
        is_root && chown -R mysql:mysql "$MY_DIR"
        [ -d "$MY_DATA/mysql" ] || mysql_init
        if ! mysql_launch; then
            tail -n 5 "$MY_LOG" >&2
            log "MariaDB did not start: trying again with an empty data directory"
            mysql_init
            mysql_launch || { tail -n 20 "$MY_LOG" >&2; die "MariaDB did not start"; }
        fi
    fi
    wait_for_port "$MYSQL_PORT" MariaDB
    local sql="" db h
    for h in '%' localhost 127.0.0.1; do
        sql+="CREATE USER IF NOT EXISTS '$DB_USER'@'$h' IDENTIFIED BY '$DB_PASSWORD';"
        sql+="ALTER USER '$DB_USER'@'$h' IDENTIFIED BY '$DB_PASSWORD';"
        sql+="GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'$h' WITH GRANT OPTION;"
    done
    for db in peewee_test "$TEST_DATABASE"; do
        sql+="CREATE DATABASE IF NOT EXISTS \`$db\` DEFAULT CHARACTER SET utf8mb4;"
    done
    mysql_root -e "$sql FLUSH PRIVILEGES;" || die "could not create the MariaDB user and database"
}

mysql_stop() {
    if mysql_running; then
        local pid i
        pid=$(mysql_pid)
        log "stopping MariaDB (pid $pid)"
        kill "$pid" 2>/dev/null || true
        for i in $(seq 1 300); do
            kill -0 "$pid" 2>/dev/null || return 0
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
}

# --- commands -----------------------------------------------------------------------------------

status() {
    local rc=0
    if pg_running; then
        log "PostgreSQL running (pid $(head -n 1 "$PG_DATA/postmaster.pid")) on $HOST:$PG_PORT"
    else
        log "PostgreSQL not running"; rc=1
    fi
    if pgr_running; then
        log "PostgreSQL read replica running (pid $(head -n 1 "$PGR_DATA/postmaster.pid")) on $HOST:$PG_REPLICA_PORT"
    else
        log "PostgreSQL read replica not running"
    fi
    if mysql_running; then
        log "MariaDB running (pid $(mysql_pid)) on $HOST:$MYSQL_PORT"
    else
        log "MariaDB not running"; rc=1
    fi
    return $rc
}

case "${1:-}" in
    start)
        install_missing
        stop_system_services
        pg_start
        replica_start_or_warn
        mysql_start
        print_settings
        ;;
    stop)
        pgr_stop
        pg_stop
        mysql_stop
        ;;
    restart)
        pgr_stop
        pg_stop
        mysql_stop
        bash "$0" start
        ;;
    status)
        status
        ;;
    env)
        print_settings
        ;;
    replica-start)
        pgr_start
        ;;
    replica-stop)
        pgr_stop
        ;;
    clean)
        pgr_stop
        pg_stop
        mysql_stop
        rm -rf "$BASE_DIR"
        ;;
    *)
        echo "usage: $0 start|stop|restart|status|env|clean|replica-start|replica-stop" >&2
        exit 2
        ;;
esac
