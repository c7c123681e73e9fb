#!/usr/bin/env bash
# A throw-away PostgreSQL scale-out set on this machine, for the scale-out test and benchmark:
# a primary (pg_createcluster), a hot standby of it (pg_basebackup -R) and PgBouncer in transaction
# mode in front of both. Needs Debian's postgresql-common and pgbouncer packages, and root (clusters
# run as the postgres user). Never touches any other cluster.
#
#   scripts/pg-scaleout.sh up <name> <primary-port> <standby-port> <pgbouncer-port>
#   scripts/pg-scaleout.sh down <name>
#   scripts/pg-scaleout.sh ctl <name> primary|standby start|stop|restart   # the failover tests
#   scripts/pg-scaleout.sh sweep     # removes sets whose creating process (cgso<pid>_…) is gone
#
# `up` leaves: database `claimgraph` owned by role `claimgraph`, which carries the session settings
# a pooler cannot pass on (ALTER ROLE … SET); PgBouncer databases `claimgraph` (the primary) and
# `claimgraph_standby`. A failed `up` removes what it made.
set -euo pipefail

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
dir_of() { echo "${TMPDIR:-/tmp}/claimgraph-scaleout-$1"; }

down() {
  local name=$1 dir
  dir=$(dir_of "$name")
  if [ -f "$dir/pgbouncer.pid" ]; then kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true; fi
  for role in standby primary; do
    if [ -d "/etc/postgresql/$VERSION/${name}_$role" ]; then pg_dropcluster --stop "$VERSION" "${name}_$role" || true; fi
  done
  rm -rf "$dir"
}

up() {
  local name=$1 primary=$2 standby=$3 bouncer=$4 dir
  for tool in pg_createcluster pg_ctlcluster pg_dropcluster pg_basebackup pgbouncer psql; do
    command -v "$tool" >/dev/null || { echo "pg-scaleout: $tool is missing (apt-get install -y postgresql-common pgbouncer)" >&2; exit 3; }
  done
  dir=$(dir_of "$name")
  trap 'down "$name"' ERR
  mkdir -p "$dir" && chown postgres: "$dir" 2>/dev/null || true
  local settings=(-o fsync=off -o full_page_writes=off -o shared_buffers=64MB
    -o max_connections=300 -o wal_level=replica -o max_wal_senders=4 -o hot_standby=on)
  pg_createcluster -q "$VERSION" "${name}_primary" -p "$primary" -d "$dir/primary" -l "$dir/primary.log" \
    --start-conf=manual "${settings[@]}" -- --auth-local=trust --auth-host=trust --no-sync >/dev/null
  pg_ctlcluster "$VERSION" "${name}_primary" start
  as_postgres psql -q -h 127.0.0.1 -p "$primary" -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE claimgraph LOGIN;
ALTER ROLE claimgraph SET statement_timeout = '10s';
ALTER ROLE claimgraph SET client_connection_check_interval = '1s';
CREATE DATABASE claimgraph OWNER claimgraph;
SQL
  # The standby: the primary's data (pg_basebackup -R writes standby.signal and primary_conninfo)
  # under a copy of its postgresql-common configuration (cheaper than a second initdb).
  as_postgres pg_basebackup -h 127.0.0.1 -p "$primary" -U postgres -D "$dir/standby" -R -X stream -c fast --no-sync
  local conf=/etc/postgresql/$VERSION
  cp -a "$conf/${name}_primary" "$conf/${name}_standby"
  sed -i -e "s|${name}_primary|${name}_standby|g" -e "s|$dir/primary|$dir/standby|g" -e "s|^port = $primary|port = $standby|" \
    "$conf/${name}_standby/postgresql.conf"
  ln -sfn "$dir/standby.log" "$conf/${name}_standby/log"
  pg_ctlcluster "$VERSION" "${name}_standby" start
  cat >"$dir/userlist.txt" <<USERS
"postgres" ""
"claimgraph" ""
USERS
  cat >"$dir/pgbouncer.ini" <<INI
[databases]
claimgraph = host=127.0.0.1 port=$primary dbname=claimgraph
claimgraph_standby = host=127.0.0.1 port=$standby dbname=claimgraph

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bouncer
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = 8
max_client_conn = 2000
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
  chown postgres: "$dir"/*.txt "$dir"/*.ini 2>/dev/null || true
  as_postgres pgbouncer -d -q "$dir/pgbouncer.ini"
  trap - ERR
}

sweep() {
  local name pid
  for conf in /etc/postgresql/"$VERSION"/cgso*_primary; do
    [ -d "$conf" ] || continue
    name=$(basename "$conf" _primary)
    pid=${name#cgso}; pid=${pid%%_*}
    if ! kill -0 "$pid" 2>/dev/null; then down "$name"; fi
  done
}

# Starts, stops (fast) or restarts one cluster of a set: only ever a set this script made.
ctl() {
  local name=$1 role=$2 action=$3
  case "$name" in cgso*) ;; *) echo "pg-scaleout: $name is not a scale-out set" >&2; exit 2 ;; esac
  case "$role" in primary|standby) ;; *) echo "pg-scaleout: role must be primary or standby" >&2; exit 2 ;; esac
  if [ "$action" = start ]; then pg_ctlcluster "$VERSION" "${name}_$role" start; else pg_ctlcluster "$VERSION" "${name}_$role" "$action" -m fast; fi
}

case "${1:-}" in
  up) up "$2" "$3" "$4" "$5" ;;
  ctl) ctl "$2" "$3" "$4" ;;
  down) down "$2" ;;
  sweep) sweep ;;
  *) echo "usage: $0 up <name> <primary-port> <standby-port> <pgbouncer-port> | down <name> | ctl <name> <role> <action> | sweep" >&2; exit 2 ;;
esac
