#!/usr/bin/env bash
# `make run` in production mode (CLINIC_MODE=production): check the settings,
# write nginx's configuration, then hand over to supervisord. The Makefile has
# exported every setting and applied the database migrations already.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -f "${ENV_FILE:-}" ]]; then
    set -a
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    set +a
fi

for name in TRACKER_STORE_URL DATABASE_URL; do
    if [[ "${!name}" != postgresql* ]]; then
        echo "Production mode needs $name to be a PostgreSQL URL (postgresql://...), not '${!name}'." >&2
        exit 2
    fi
done

# Every process of this layout runs on this machine.
export RASA_UPSTREAM_1="127.0.0.1:$RASA_PORT" RASA_UPSTREAM_2="127.0.0.1:$RASA_PORT_2"
export ACTION_UPSTREAM_1="127.0.0.1:$ACTION_SERVER_PORT" ACTION_UPSTREAM_2="127.0.0.1:$ACTION_SERVER_PORT_2"
export WEBCHAT_UPSTREAM="127.0.0.1:$WEBCHAT_PORT" ACTION_PROXY_HOST=127.0.0.1
mkdir -p "$NGINX_DIR" "$SUPERVISOR_DIR"
envsubst '${NGINX_DIR} ${PROXY_HOST} ${PROXY_PORT} ${ACTION_PROXY_HOST} ${ACTION_PROXY_PORT} ${RASA_UPSTREAM_1} ${RASA_UPSTREAM_2} ${ACTION_UPSTREAM_1} ${ACTION_UPSTREAM_2} ${WEBCHAT_UPSTREAM}' \
    < deploy/nginx.conf.template > "$NGINX_DIR/nginx.conf"
nginx -q -t -p "$NGINX_DIR" -c nginx.conf

echo "Public entry (chat page, webhooks, socket.io): http://$PROXY_HOST:$PROXY_PORT/"
echo "Staff console: http://$STAFF_CONSOLE_HOST:$STAFF_CONSOLE_PORT/"
exec supervisord -c deploy/supervisord.conf
