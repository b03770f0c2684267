# The developer's vocabulary. On a fresh machine:
#   make demo   build the offline demo briefing and print where the PDF is
#   make test   install what the tests need and run them
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_CONFIG := examples/demo/config.yaml
DEMO_DATE := 2024-10-24
DEMO_PDF := output/demo/$(DEMO_DATE)/briefing.pdf
DEMO_HTML := output/demo/$(DEMO_DATE)/briefing.html

.PHONY: demo test lint format bench eval-real screenshots system-deps clean

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

test: system-deps $(VENV)/.installed-test
	$(BIN)/python -m pytest -n auto

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

screenshots: demo
	@bash scripts/system-deps.sh --with-screenshots
	@mkdir -p screenshots
	pdftoppm -r 80 -png -l 3 $(DEMO_PDF) screenshots/demo-page
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	  --disable-background-networking --disable-component-update --disable-sync \
	  --user-data-dir="$$(mktemp -d)" --hide-scrollbars --window-size=1100,2400 \
	  --screenshot=$(abspath screenshots/demo-html.png) file://$(abspath $(DEMO_HTML)) 2>/dev/null
	@ls screenshots/*.png

clean:
	rm -rf output/demo screenshots .pytest_cache
