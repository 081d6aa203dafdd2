# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck imports unit bench bench-quick lock clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

## Start the coach: Telegram when TELEGRAM_BOT_TOKEN is set, the console chat otherwise.
run: $(STAMP)
	$(BIN)/coach

## The whole suite: lint, types, the import boundary, then every test.
test: $(STAMP) lint typecheck imports unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy bot dialogs content

imports: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick

## Re-resolve the lock from pyproject.toml (needs the package registry).
lock:
	rm -rf /tmp/coach-lock-venv && $(PYTHON) -m venv /tmp/coach-lock-venv
	/tmp/coach-lock-venv/bin/pip install --quiet -e '.[dev]'
	(echo '# Locked versions: make installs exactly these. Refresh with `make lock`.'; \
	 /tmp/coach-lock-venv/bin/pip freeze --exclude-editable) > requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
