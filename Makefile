# The two commands the README promises: `make run` and `make test`. Both set up everything on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run chat test bench redis-server clean

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

## test: the whole suite against a real Redis server that the tests start themselves
test: $(STAMP) redis-server
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP) redis-server
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/understanding.py

# The tests start a private redis-server on a free port; install the binary when it is missing.
redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "redis-server not found: installing it from Debian's packages"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq redis-server; fi; }

clean:
	rm -rf $(VENV) .pytest_cache
