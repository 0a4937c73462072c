#!/bin/sh
# Puts nginx (from Debian) in front of several Bulwark instances that share one PostgreSQL and one
# NATS JetStream (docs/operations.md, "Running"; docs/federation.md). Usage:
#
#   scripts/proxy-nginx.sh DIR LISTEN UPSTREAM [UPSTREAM ...]
#   e.g. scripts/proxy-nginx.sh /var/lib/bulwark-proxy 8080 127.0.0.1:4701 127.0.0.1:4702
#
# Installs nginx with apt-get when it is missing (needs root), writes DIR/nginx.conf and starts nginx
# with DIR as its prefix (pid, logs, temp files there), as the user running the script. Stop it with
# `nginx -p DIR -c DIR/nginx.conf -s quit`. Start the instances with BULWARK_TRUST_PROXY=loopback (or the
# proxy's address) so that rate limits see clients' addresses, and BULWARK_PUBLIC_URL set to the address
# clients use. Live streams (SSE) are passed through unbuffered with long timeouts; a stream cut by an
# instance that dies reconnects through the proxy to another and resumes with Last-Event-ID (the ids are
# the store's, the same on every instance).
#
# Surge shield: each instance is sent at most PROXY_MAX_CONNS requests at once (default 64; live streams apart).
# Past that nginx answers 503 with a Retry-After of 2 to 5 s at once, instead of handing the connection on. A busy
# Node process accepts one new connection per turn of its event loop (libuv), so without this a surge's
# connections waited unread in the kernel's listen queue, and overflowed it, for tens of seconds
# (bench/RESULTS.md, "Report path under a surge").
set -eu
[ "$#" -ge 3 ] || { echo "usage: $0 DIR LISTEN UPSTREAM [UPSTREAM ...]" >&2; exit 2; }
dir=$1
listen=$2
shift 2
case "$listen" in *[!0-9]* | '') echo "LISTEN must be a port number" >&2; exit 2 ;; esac
max_conns=${PROXY_MAX_CONNS:-64}
case "$max_conns" in *[!0-9]* | '' | 0) echo "PROXY_MAX_CONNS must be a whole number above 0" >&2; exit 2 ;; esac
keepalive=$(( max_conns < 32 ? max_conns : 32 ))
if ! command -v nginx >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light
fi
mkdir -p "$dir/logs" "$dir/tmp"
servers=''
streams=''
for u in "$@"; do
  case "$u" in *[!0-9A-Za-z.:_\[\]-]*) echo "bad upstream: $u" >&2; exit 2 ;; esac
  servers="$servers    server $u max_fails=1 fail_timeout=5s max_conns=$max_conns;
"
  streams="$streams    server $u max_fails=1 fail_timeout=5s;
"
done
cat > "$dir/nginx.conf" <<CONF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log $dir/logs/access.log;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  # TAXII envelopes up to BULWARK_MAX_BODY (16 MiB by default) pass whole.
  client_max_body_size 64m;
  upstream bulwark {
    # max_conns counts across nginx's workers only when the group lives in shared memory.
    zone bulwark 64k;
$servers    keepalive $keepalive;
  }
  upstream bulwark_streams {
    zone bulwark_streams 64k;
$streams    keepalive 32;
  }
  # Refused clients come back spread over 2 to 5 s (the last hex digit of the request's random id), not at once.
  map \$request_id \$busy_retry {
    "~[0-3]\$" 2;
    "~[4-7]\$" 3;
    "~[89ab]\$" 4;
    default 5;
  }
  server {
    listen $listen;
    location / {
      proxy_pass http://bulwark;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # A request that fails on one instance (it died) is tried on the next, unless it wrote something.
      proxy_next_upstream error timeout http_502 http_503;
      # Every instance at max_conns (or none alive): nginx's own 502, answered as the instances answer a surge.
      error_page 502 = @busy;
    }
    location @busy {
      default_type application/json;
      add_header Retry-After \$busy_retry always;
      add_header X-Content-Type-Options nosniff always;
      return 503 '{"error":{"code":"unavailable","message":"the server is busy; retry after the time in Retry-After"}}';
    }
    location /api/v1/stream {
      proxy_pass http://bulwark_streams;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
    }
  }
}
CONF
nginx -t -p "$dir" -c "$dir/nginx.conf"
nginx -p "$dir" -c "$dir/nginx.conf"
echo "nginx listening on :$listen in front of $*; stop: nginx -p $dir -c $dir/nginx.conf -s quit"
