# `make run` and `make test` set everything up on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

# axe-core checks the pages for accessibility in the browser tests; it comes from the npm registry.
AXE_CORE_VERSION := 4.14.1
AXE_CORE := tests/.assets/axe-core/axe-$(AXE_CORE_VERSION).min.js
# TimelineJS renders the app's export from another origin in a browser test; it comes from the npm
# registry too, laid out as in its dist/ folder (it finds its locale files beside its script).
TIMELINEJS_VERSION := 3.9.11
TIMELINEJS_DIR := tests/.assets/timelinejs-$(TIMELINEJS_VERSION)
TIMELINEJS := $(TIMELINEJS_DIR)/js/timeline.js

.PHONY: run test check install install-dev test-assets screenshots fuzz bench migrate ingest serve lint clean

run: install migrate ingest serve

test: install-dev test-assets
	$(BIN)/timeline check seeds/
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-assets: $(AXE_CORE) $(TIMELINEJS)

$(AXE_CORE):
	rm -rf $(@D) && mkdir -p $(@D)
	cd $(@D) && npm pack --silent --no-fund axe-core@$(AXE_CORE_VERSION) >/dev/null
	tar -xzf $(@D)/axe-core-$(AXE_CORE_VERSION).tgz -C $(@D) --strip-components=1 package/axe.min.js package/LICENSE
	mv $(@D)/axe.min.js $@ && rm $(@D)/axe-core-$(AXE_CORE_VERSION).tgz

$(TIMELINEJS):
	rm -rf tests/.assets/timelinejs-* && mkdir -p $(TIMELINEJS_DIR)
	cd $(TIMELINEJS_DIR) && npm pack --silent --no-fund @knight-lab/timelinejs@$(TIMELINEJS_VERSION) >/dev/null
	tar -xzf $(TIMELINEJS_DIR)/knight-lab-timelinejs-$(TIMELINEJS_VERSION).tgz -C $(TIMELINEJS_DIR) --strip-components=2 \
		package/dist/js/timeline.js package/dist/js/locale/en.json package/dist/css/timeline.css package/dist/css/icons
	tar -xzf $(TIMELINEJS_DIR)/knight-lab-timelinejs-$(TIMELINEJS_VERSION).tgz -C $(TIMELINEJS_DIR) --strip-components=1 \
		package/LICENSE
	rm $(TIMELINEJS_DIR)/knight-lab-timelinejs-$(TIMELINEJS_VERSION).tgz

# The README's pictures: the shipped seeds/ in a temporary database, at desktop and phone widths.
screenshots: install-dev
	cd tests && ../$(BIN)/python -m e2e.screenshots

# Schemathesis at full size: 500 generated requests per API operation, every default check.
fuzz: install-dev
	API_FUZZ_EXAMPLES=500 $(BIN)/python -m pytest tests/test_api_fuzz.py -q

# Load benchmarks with wrk (Debian's package) against 10k/100k/1M databases; writes bench/RESULTS.md.
bench: install-dev
	@command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/timeline migrate

ingest: install
	$(BIN)/timeline ingest

serve: install
	$(BIN)/timeline serve --port $(PORT)

# The sourcing policy applied to the shipped data (docs/data-format.md#sources).
check: install
	$(BIN)/timeline check seeds/

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) timeline.db timeline.db-wal timeline.db-shm
