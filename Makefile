# The developer's vocabulary. On a fresh machine:
#   make demo   build the offline demo briefing and print where the PDF is
#   make test   install what the tests need and run them
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_CONFIG := examples/demo/config.yaml
DEMO_DATE := 2024-10-24
DEMO_PDF := output/demo/$(DEMO_DATE)/briefing.pdf

.PHONY: demo desks test lint format bench eval-real screenshots system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed

system-deps:
	@bash scripts/system-deps.sh

demo: system-deps $(VENV)/.installed
	$(BIN)/briefing --config $(DEMO_CONFIG) build --date $(DEMO_DATE)
	@echo "Demo briefing: $(abspath $(DEMO_PDF))"

# Two desks (Gulf, Asia) from one crawl of the demo feeds: output/desks/{gulf,asia}/<date>/
desks: system-deps $(VENV)/.installed
	$(BIN)/briefing --config examples/desks/config.yaml build --date $(DEMO_DATE)

# The browser test (tests/render/test_browser.py) needs chromium and chromium-driver; the
# store tests start a throwaway PostgreSQL (tests/postgres.py) from Debian's postgresql.
# worksteal: a worker that runs out takes tests queued for the other, so the
# scheduler tests (seconds of real waiting, collected last) do not end the run alone.
test: $(VENV)/.installed-test
	@bash scripts/system-deps.sh --with-browser --with-postgres
	$(BIN)/python -m pytest -n auto --dist worksteal

lint: $(VENV)/.installed-test
	$(BIN)/ruff check briefing tests bench
	$(BIN)/ruff format --check briefing tests bench

format: $(VENV)/.installed-test
	$(BIN)/ruff format briefing tests bench
	$(BIN)/ruff check --fix briefing tests bench

# Accuracy on the real-news dev set (../shared/realnews), failing below the pinned floors.
eval-real: $(VENV)/.installed-test
	$(BIN)/python bench/eval_real.py --check

bench: $(VENV)/.installed-test
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# The archive and the demo edition in Chromium at 390 and 1200 px, and the PDF's pages.
# A second demo day (a 48 h window) gives the archive stories "developing since" the first.
screenshots: demo $(VENV)/.installed-test
	@bash scripts/system-deps.sh --with-screenshots
	$(BIN)/briefing --config $(DEMO_CONFIG) build --date 2024-10-25 --window 48h --no-fetch
	$(BIN)/python scripts/screenshots.py output/demo $(DEMO_DATE) --into screenshots

clean:
	rm -rf output/demo output/desks screenshots .pytest_cache
