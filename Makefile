# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run demo test lint bench lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

## run: build the demo database from generated spreadsheets, then serve the web app on it
run: $(STAMP)
	$(BIN)/procurement demo
	$(BIN)/procurement serve --insecure-cookies

## test: lint, then the unit and integration tests (PostgreSQL too when PROCUREMENT_TEST_DATABASE_URL is set)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

## bench: pytest-benchmark measurements, apart from the unit tests
bench: $(STAMP)
	$(BIN)/python -m pytest bench -q -s -p no:cacheprovider --benchmark-columns=min,mean,max,rounds

## lock: refresh requirements.lock from the current environment
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
