#!/usr/bin/env bash
# Chat with the bot in the terminal: starts the action server in the background
# for the length of the session and stops it when the chat ends. Both servers
# take free loopback ports, so a chat can run next to `make run`.
set -euo pipefail
free_port() {
  python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
action_port=$(free_port)
rasa_port=$(free_port)
export ACTION_ENDPOINT_URL="http://127.0.0.1:$action_port/webhook"
SANIC_HOST=127.0.0.1 python -m actions --port "$action_port" >var/actions-shell.log 2>&1 &
actions_pid=$!
trap 'kill "$actions_pid" 2>/dev/null; wait "$actions_pid" 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$action_port/health" >/dev/null; do
  kill -0 "$actions_pid" 2>/dev/null || { cat var/actions-shell.log; exit 1; }
  sleep 0.5
done
rasa shell --model "$RASA_MODEL" --endpoints endpoints.yml --port "$rasa_port"
