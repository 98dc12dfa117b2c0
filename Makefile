# CalmPay. `make run` starts the kiosk with its embedded mock API; `make test` runs every test.
# Both create .venv and install what is missing (system packages too, when run as root).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-any-hour bench screenshots audit lint api system-deps clean

run: system-deps $(STAMP)
	$(PY) main.py $(ARGS)

test: system-deps $(STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

# The tests with the process clock started just after midnight, in the afternoon and just before
# midnight in Beijing (libfaketime): make test-any-hour PYTEST_ARGS="tests/api tests/e2e"
test-any-hour: system-deps $(STAMP)
	PY=$(PY) sh scripts/test-any-hour.sh $(PYTEST_ARGS)

bench: system-deps $(STAMP)
	$(PY) -m bench

# Every screen, elder/standard x 3 languages, at 1280x1024 and at 1024x768 (the smallest supported
# screen), rendered on a real X server (Xvfb); and the staff console for the README.
screenshots: system-deps $(STAMP)
	xvfb-run -a -s "-screen 0 1280x1024x24" env QT_QPA_PLATFORM=xcb $(PY) -m devtools.screenshots --out docs/screenshots
	xvfb-run -a -s "-screen 0 1280x1024x24" env QT_QPA_PLATFORM=xcb $(PY) -m devtools.staff_console_screenshot

# The built-in accessibility audit, with the whole-screen checks at every size: 1024x768 and
# 1280x1024, at 18, 22 and 34 pt (elder) and 14 and 18 pt (standard). The tests run a slice of it.
audit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m devtools.audit

# The mock API on its own: make api PORT=8765
api: $(STAMP)
	$(PY) -m mock_api --host 127.0.0.1 --port $(or $(PORT),8765) --db $(or $(DB),mock-bank.sqlite3)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

system-deps:
	@sh scripts/system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info
