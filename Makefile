# medoffice-tui: every target sets up .venv itself, on a machine with only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= demo.db
ARGS ?=

.PHONY: run test lint bench bench-full demo docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(DEMO_DB): | $(STAMP)
	$(BIN)/medoffice demo --db $(DEMO_DB)

run: $(STAMP) $(DEMO_DB)
	$(BIN)/medoffice --db $(DEMO_DB) $(ARGS)

demo: $(STAMP)
	$(BIN)/medoffice demo --db $(DEMO_DB) --force

# four workers (most tests wait on a pty, a pause or PostgreSQL, so a 2-core machine
# keeps four busy), then the few tests that must run alone (exit status 5 = nothing
# selected, e.g. ARGS named one file)
test: $(STAMP)
	$(BIN)/python -m pytest -q -n 4 -m "not serial" $(ARGS)
	$(BIN)/python -m pytest -q -m serial $(ARGS) || [ $$? -eq 5 ]

lint: $(STAMP)
	$(BIN)/ruff check medoffice_tui tests bench tools
	$(BIN)/ruff format --check medoffice_tui tests bench tools

docs: $(STAMP)
	$(BIN)/python tools/sync_readme.py

bench: $(STAMP)
	$(BIN)/python -m bench $(ARGS)

bench-full: $(STAMP)
	$(BIN)/python -m bench --full $(ARGS)

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache
