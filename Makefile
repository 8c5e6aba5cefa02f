# Penkom: `make run` installs, prepares the database and starts the app; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8080
# Worker processes of the job queue (huey) that `make run` starts; PENKOM_HUEY_WORKERS=4 make run.
HUEY_WORKERS ?= $(or $(PENKOM_HUEY_WORKERS),2)
# Test processes (pytest-xdist): one per core by default; PENKOM_TEST_WORKERS=1 make test runs them in one.
TEST_WORKERS ?= $(or $(PENKOM_TEST_WORKERS),auto)
FLASK := $(BIN)/flask --app app
FAB_PKG = $(shell $(BIN)/python -c "import flask_appbuilder, os; print(os.path.dirname(flask_appbuilder.__file__))")

.PHONY: install run test lint translations-update translations-compile bench clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate translations-compile

# The address printed in signed letters' QR codes (the demo signs some); set it to the public address.
run: export PENKOM_URL_PUBLIK ?= http://127.0.0.1:$(PORT)
run: install
	$(FLASK) penkom init
	$(FLASK) penkom demo
	$(FLASK) penkom admin
	@# The job queue's worker processes (report batches) run beside gunicorn and stop with it.
	$(BIN)/huey_consumer app.laporan.antrian.huey -k process -w $(HUEY_WORKERS) & HUEY_PID=$$!; \
	trap 'kill $$HUEY_PID 2>/dev/null; wait $$HUEY_PID' EXIT INT TERM; \
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 1 --threads 4 --access-logfile - "app:create_app()"

# In parallel, file by file: each worker has its own databases (SQLite files in its own folder, PostgreSQL
# databases named after the worker) and instance folder; the browser tests share one worker.
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# Style, then the architecture: import contracts (.importlinter) and no file under app/ over 800 lines.
lint: install
	$(BIN)/ruff check app tests config.py run.py scripts
	$(BIN)/ruff format --check app tests config.py run.py scripts
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/python scripts/check_sizes.py

# Refresh the Indonesian catalog from app/, templates/ and the installed FAB package.
translations-update: install
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k lazy_formatter_gettext -k _l -k __ --no-location --sort-output \
		-o translations/messages.pot app templates $(FAB_PKG)
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l id --no-fuzzy-matching
	$(MAKE) translations-compile

translations-compile:
	$(BIN)/pybabel compile -d translations -l id --statistics

# Penkom against a bare Flask-AppBuilder app on the same data (see README, "Speed");
# e.g. make bench BENCH_ARGS="--n 2000 --json".
bench: install
	$(BIN)/python scripts/bench_pages.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
