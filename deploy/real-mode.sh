#!/usr/bin/env bash
# Rekvi's real mode on one machine, step by step: the steps of the README, run in order.
#
#   deploy/real-mode.sh             install, set up, start everything, request the login page
#                                   through nginx, then stop what it started
#   deploy/real-mode.sh nginx-test  only write the nginx site and run `nginx -t` on it
#
# It reads the variables the README exports (DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY,
# CREDENTIALS_KEYS, DJANGO_ALLOWED_HOSTS, SITE_URL, DJANGO_BEHIND_TLS_PROXY) and these:
#
#   REKVI_ADMIN_DATABASE_URL   a PostgreSQL connection allowed to create roles and databases
#                              (e.g. postgres://postgres@127.0.0.1:5432/postgres); the role and
#                              database of DATABASE_URL are created with it when missing
#   REKVI_POSTGRES_CLUSTER     Debian's "version name" of the local cluster (e.g. "15 main"):
#                              deploy/postgresql/rekvi.conf is copied into its conf.d and the
#                              cluster restarted. Unset: the server's settings are only compared
#                              with the file, and every difference printed.
#   REKVI_HTTPS_PORT           where nginx listens for https (default 8443)
#   REKVI_LISTEN_ADDRESS       the address nginx listens on (default 127.0.0.1)
#   REKVI_GUNICORN_PORT        gunicorn's port on 127.0.0.1 (default 8000)
#   REKVI_TLS_CERTIFICATE      certificate and key for nginx; unset, a self-signed certificate
#   REKVI_TLS_CERTIFICATE_KEY  for the first host of DJANGO_ALLOWED_HOSTS is made in var/deploy/
#   REKVI_KEEP_RUNNING=on      leave gunicorn, the worker, beat and nginx running (their process
#                              ids are in var/deploy/*.pid; `deploy/real-mode.sh stop` stops them)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_DIR="$(pwd)"
RUN_DIR="$BASE_DIR/var/deploy"
HTTPS_PORT="${REKVI_HTTPS_PORT:-8443}"
LISTEN_ADDRESS="${REKVI_LISTEN_ADDRESS:-127.0.0.1}"
GUNICORN_PORT="${REKVI_GUNICORN_PORT:-8000}"
SERVICES=(gunicorn worker beat nginx)

say() { printf '\n--- real mode: %s\n' "$*"; }
fail() {
  printf 'real mode: %s\n' "$*" >&2
  exit 1
}

first_host() { printf '%s' "${DJANGO_ALLOWED_HOSTS%%,*}" | tr -d ' '; }

# nginx's own files (mime.types) are where the installed nginx keeps its configuration.
nginx_conf_dir() {
  local path
  path="$(nginx -V 2>&1 | tr ' ' '\n' | sed -n 's/^--conf-path=//p')"
  dirname "${path:-/etc/nginx/nginx.conf}"
}

# A self-signed certificate for loopback, unless the installation gives its own.
tls_files() {
  if [ -n "${REKVI_TLS_CERTIFICATE:-}" ]; then
    CERTIFICATE="$REKVI_TLS_CERTIFICATE"
    CERTIFICATE_KEY="${REKVI_TLS_CERTIFICATE_KEY:?REKVI_TLS_CERTIFICATE_KEY goes with REKVI_TLS_CERTIFICATE}"
    return
  fi
  CERTIFICATE="$RUN_DIR/tls/certificate.pem"
  CERTIFICATE_KEY="$RUN_DIR/tls/key.pem"
  if [ ! -s "$CERTIFICATE" ]; then
    mkdir -p "$RUN_DIR/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$(first_host)" \
      -addext "subjectAltName=DNS:$(first_host)" \
      -keyout "$CERTIFICATE_KEY" -out "$CERTIFICATE" 2>/dev/null
  fi
}

# The nginx site: TLS on REKVI_HTTPS_PORT, in front of gunicorn, with the committed
# deploy/nginx/rekvi.conf (buffering, limits, timeouts, forwarded headers, static files).
write_nginx_site() {
  tls_files
  mkdir -p "$RUN_DIR/nginx/logs"
  local user_line=""
  # nginx started by root runs its workers as this user: one who may read var/static/.
  if [ "$(id -u)" = 0 ]; then user_line="user $(stat -c %U "$BASE_DIR/var") $(stat -c %G "$BASE_DIR/var");"; fi
  cat >"$RUN_DIR/nginx/nginx.conf" <<EOF
# Written by deploy/real-mode.sh; the site's own settings are in deploy/nginx/rekvi.conf.
$user_line
worker_processes 2;
pid $RUN_DIR/nginx/nginx.pid;
error_log $RUN_DIR/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    include $(nginx_conf_dir)/mime.types;
    default_type application/octet-stream;
    access_log $RUN_DIR/nginx/logs/access.log;
    client_body_temp_path $RUN_DIR/nginx/client_body;
    proxy_temp_path $RUN_DIR/nginx/proxy;
    fastcgi_temp_path $RUN_DIR/nginx/fastcgi;
    uwsgi_temp_path $RUN_DIR/nginx/uwsgi;
    scgi_temp_path $RUN_DIR/nginx/scgi;
    server_tokens off;

    upstream rekvi_gunicorn {
        server 127.0.0.1:$GUNICORN_PORT;
    }

    server {
        listen $LISTEN_ADDRESS:$HTTPS_PORT ssl;
        server_name ${DJANGO_ALLOWED_HOSTS//,/ };
        ssl_certificate $CERTIFICATE;
        ssl_certificate_key $CERTIFICATE_KEY;
        ssl_protocols TLSv1.2 TLSv1.3;
        root $BASE_DIR/var;
        include $BASE_DIR/deploy/nginx/rekvi.conf;
    }
}
EOF
}

nginx_test() {
  : "${DJANGO_ALLOWED_HOSTS:=localhost}"
  mkdir -p "$BASE_DIR/var"
  write_nginx_site
  nginx -t -e "$RUN_DIR/nginx/logs/error.log" -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf"
}

stop_services() {
  local name pid
  for name in "${SERVICES[@]}"; do
    [ -s "$RUN_DIR/$name.pid" ] || continue
    pid="$(cat "$RUN_DIR/$name.pid")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN_DIR/$name.pid"
  done
}

start() {
  local name="$1"
  shift
  nohup "$@" >"$RUN_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
  echo "$name: process $! (log: var/deploy/$name.log)"
}

case "${1:-up}" in
  nginx-test)
    nginx_test
    exit 0
    ;;
  stop)
    stop_services
    exit 0
    ;;
  up) ;;
  *) fail "unknown command ${1}: use no argument, nginx-test or stop" ;;
esac

say "the variables"
for name in DATABASE_URL REDIS_URL DJANGO_SECRET_KEY CREDENTIALS_KEYS DJANGO_ALLOWED_HOSTS SITE_URL \
  REKVI_ADMIN_DATABASE_URL; do
  [ -n "${!name:-}" ] || fail "$name is not set (see the README's real mode and .env.example)."
done
case "${DJANGO_BEHIND_TLS_PROXY:-}" in
  on | true | yes | 1) ;;
  *) fail "DJANGO_BEHIND_TLS_PROXY is not on: behind nginx, Django must trust its X-Forwarded-Proto, or every page redirects to https for ever." ;;
esac
echo "all set; nginx on https://$(first_host):$HTTPS_PORT/, gunicorn on 127.0.0.1:$GUNICORN_PORT"

say "install"
python3 -m venv .venv && .venv/bin/pip install -e . && npm ci

say "the database and its role"
.venv/bin/python - <<'EOF'
import os
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql

url = urlsplit(os.environ["DATABASE_URL"])
role, password = unquote(url.username or ""), unquote(url.password or "")
database = unquote(url.path.lstrip("/"))
if not role or not database:
    raise SystemExit("real mode: DATABASE_URL must name a user and a database")
with psycopg.connect(os.environ["REKVI_ADMIN_DATABASE_URL"], autocommit=True) as admin:
    exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
    verb = "ALTER" if exists else "CREATE"
    admin.execute(
        sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(password or None)
        )
    )
    print(f"role {role}: {'exists, password set' if exists else 'created'}")
    if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
        print(f"database {database}: exists")
    else:
        admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(database), sql.Identifier(role)
            )
        )
        print(f"database {database}: created, owned by {role}")
EOF

say "PostgreSQL's settings (deploy/postgresql/rekvi.conf)"
if [ -n "${REKVI_POSTGRES_CLUSTER:-}" ]; then
  read -r pg_version pg_cluster <<<"$REKVI_POSTGRES_CLUSTER"
  install -m 644 deploy/postgresql/rekvi.conf "/etc/postgresql/$pg_version/$pg_cluster/conf.d/rekvi.conf"
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" "$pg_cluster" restart
  echo "copied into /etc/postgresql/$pg_version/$pg_cluster/conf.d/ and restarted the cluster"
fi
.venv/bin/python - <<'EOF'
import os
import re

import psycopg

wanted = {}
for line in open("deploy/postgresql/rekvi.conf", encoding="utf-8"):
    match = re.match(r"\s*(\w+)\s*=\s*(\S+)", line)
    if match:
        wanted[match[1]] = match[2]
with psycopg.connect(os.environ["REKVI_ADMIN_DATABASE_URL"]) as admin:
    running = {name: admin.execute(f"SHOW {name}").fetchone()[0] for name in wanted}
different = {name: value for name, value in running.items() if value != wanted[name]}
for name, value in wanted.items():
    mark = "" if name not in different else f"   <- the server runs with {running[name]}"
    print(f"{name} = {value}{mark}")
if different and os.environ.get("REKVI_POSTGRES_CLUSTER"):
    raise SystemExit("real mode: the cluster did not take deploy/postgresql/rekvi.conf")
if different:
    print("The server does not run with deploy/postgresql/rekvi.conf: copy it into the "
          "cluster's conf.d and restart PostgreSQL (or set REKVI_POSTGRES_CLUSTER).")
EOF

say "migrate, translations, static files, check --deploy"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py compilemessages -l da --ignore=.venv --ignore=node_modules
.venv/bin/python manage.py collectstatic --noinput
.venv/bin/python manage.py check --deploy --fail-level WARNING

say "start gunicorn, a Celery worker, beat and nginx"
mkdir -p "$RUN_DIR"
stop_services
if [ "${REKVI_KEEP_RUNNING:-off}" != on ]; then trap stop_services EXIT; fi
write_nginx_site
start gunicorn .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$GUNICORN_PORT" --workers 3 --timeout 60
start worker .venv/bin/celery -A config worker --loglevel=INFO --concurrency 2
start beat .venv/bin/celery -A config beat --loglevel=INFO --schedule "$RUN_DIR/celerybeat-schedule"
start nginx nginx -g "daemon off;" -e "$RUN_DIR/nginx/logs/error.log" -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf"

say "the login page, through nginx"
host="$(first_host)"
page="$RUN_DIR/login.html"
for attempt in $(seq 1 60); do
  if final="$(curl --silent --show-error --location --max-time 10 --cacert "$CERTIFICATE" \
    --resolve "$host:$HTTPS_PORT:127.0.0.1" --output "$page" --write-out '%{http_code} %{url_effective}' \
    "https://$host:$HTTPS_PORT/" 2>/dev/null)" && [ "${final%% *}" = 200 ]; then
    break
  fi
  for name in "${SERVICES[@]}"; do
    kill -0 "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null || {
      tail -n 30 "$RUN_DIR/$name.log" >&2
      fail "$name stopped (var/deploy/$name.log)"
    }
  done
  [ "$attempt" -lt 60 ] || fail "no page through nginx after 60 s: got ${final:-nothing}"
  sleep 1
done
echo "GET https://$host:$HTTPS_PORT/ -> ${final}"
[ "${final#* }" = "https://$host:$HTTPS_PORT/login/?next=/" ] || fail "expected the login page, ended at ${final#* }"
grep -q '<title>Log ind – Rekvi</title>' "$page" || fail "the page at /login/ is not Rekvi's login page"
stylesheet="$(grep -o '/static/[^"]*\.css' "$page" | head -n 1)"
status="$(curl --silent --output /dev/null --write-out '%{http_code}' --cacert "$CERTIFICATE" \
  --resolve "$host:$HTTPS_PORT:127.0.0.1" "https://$host:$HTTPS_PORT$stylesheet")"
[ "$status" = 200 ] || fail "the stylesheet $stylesheet answered $status through nginx"
echo "Rekvi's login page (Log ind – Rekvi) and its stylesheet $stylesheet came through nginx"
# A worker takes a while to start on a busy machine: ask it again for up to 90 s.
for attempt in $(seq 1 9); do
  if .venv/bin/celery -A config inspect ping --timeout 10 >"$RUN_DIR/ping.txt" 2>&1 &&
    grep -q pong "$RUN_DIR/ping.txt"; then
    break
  fi
  kill -0 "$(cat "$RUN_DIR/worker.pid")" 2>/dev/null || {
    tail -n 30 "$RUN_DIR/worker.log" >&2
    fail "worker stopped (var/deploy/worker.log)"
  }
  if [ "$attempt" = 9 ]; then
    cat "$RUN_DIR/ping.txt" >&2
    tail -n 30 "$RUN_DIR/worker.log" >&2
    fail "the Celery worker did not answer within 90 s (var/deploy/worker.log)"
  fi
done
cat "$RUN_DIR/ping.txt"
for name in "${SERVICES[@]}"; do
  kill -0 "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null || fail "$name stopped (var/deploy/$name.log)"
done
echo "gunicorn, the worker, beat and nginx are running"

if [ "${REKVI_KEEP_RUNNING:-off}" = on ]; then
  say "running: https://$host:$HTTPS_PORT/ (deploy/real-mode.sh stop stops it)"
else
  say "done; stopping what was started"
fi
