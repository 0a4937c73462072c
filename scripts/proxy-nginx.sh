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
set -eu
[ "$#" -ge 3 ] || { echo "usage: $0 DIR LISTEN UPSTREAM [UPSTREAM ...]" >&2; exit 2; }
dir=$1
listen=$2
shift 2
case "$listen" in *[!0-9]* | '') echo "LISTEN must be a port number" >&2; exit 2 ;; esac
if ! command -v nginx >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light
fi
mkdir -p "$dir/logs" "$dir/tmp"
servers=''
for u in "$@"; do
  case "$u" in *[!0-9A-Za-z.:_\[\]-]*) echo "bad upstream: $u" >&2; exit 2 ;; esac
  servers="$servers    server $u max_fails=1 fail_timeout=5s;
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
$servers    keepalive 32;
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
    }
    location /api/v1/stream {
      proxy_pass http://bulwark;
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
