#!/usr/bin/env bash
# Chat with the bot in the terminal: starts the action server in the background
# for the length of the session and stops it when the chat ends.
set -euo pipefail
SANIC_HOST=127.0.0.1 rasa run actions --actions actions --port "$ACTION_SERVER_PORT" >var/actions-shell.log 2>&1 &
actions_pid=$!
trap 'kill "$actions_pid" 2>/dev/null; wait "$actions_pid" 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$ACTION_SERVER_PORT/health" >/dev/null; do
  kill -0 "$actions_pid" 2>/dev/null || { cat var/actions-shell.log; exit 1; }
  sleep 0.5
done
rasa shell --model "$RASA_MODEL" --endpoints endpoints.yml
