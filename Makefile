# The two commands the README promises: `make run` and `make test`. Both set up everything on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run chat test bench bench-webhook wrk redis-server chromium clean

$(STAMP): pyproject.toml
	@echo "Installing dependencies into $(VENV) (first run, or pyproject.toml changed): about 1-2 minutes, once."
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

## run: the bot's HTTP server (channels whose credentials are set; embedded store when REDIS_URL is unset)
run: $(STAMP)
	$(BIN)/python -m bot serve

## chat: talk to the bot in this terminal
chat: $(STAMP)
	$(BIN)/python -m bot chat

## test: ruff, then the whole suite against a real Redis server that the tests start themselves
test: $(STAMP) redis-server chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP) redis-server
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/understanding.py

## bench-webhook: /telegram and /wechat side by side with aiogram 3 and a bare ceiling (wrk; a few minutes;
## BENCH_ARGS=--quick for a short run)
bench-webhook: $(STAMP) redis-server wrk
	$(BIN)/python bench/webhook.py $(BENCH_ARGS)

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "wrk not found: installing it from Debian's packages"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk; fi; }

# The tests start a private redis-server on a free port; install the binary when it is missing.
redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "redis-server not found: installing it from Debian's packages"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq redis-server; fi; }

# The browser tests drive Debian's Chromium with Playwright (executable_path: no browser download); a CJK and
# an emoji font make the screenshots readable. Installed when missing, like redis-server.
CHROMIUM_PKGS := $(shell command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || echo chromium chromium-driver) \
	$(shell fc-list :lang=zh 2>/dev/null | grep -q . || echo fonts-wqy-microhei) \
	$(shell fc-list 2>/dev/null | grep -qi emoji || echo fonts-noto-color-emoji)
chromium:
	@test -z "$(strip $(CHROMIUM_PKGS))" || { \
	  echo "installing $(strip $(CHROMIUM_PKGS)) from Debian's packages for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(CHROMIUM_PKGS); \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $(CHROMIUM_PKGS); fi; }

clean:
	rm -rf $(VENV) .pytest_cache build/test-artefacts
