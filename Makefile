# `make` builds the shipped cases into output/; `make test` runs the tests.
# Each sets up what it needs by itself: Debian packages (scripts/system-deps.sh) and .venv.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: all build test check schemas clean

all: build

build: $(STAMP) system
	$(PYTHON) build.py

check: $(STAMP)
	$(PYTHON) build.py check

test: $(STAMP) system-test $(NODE_STAMP)
	$(PYTHON) -m pytest -q

# Rewrite the editor schemas after changing casebook/reading/formats.py (a test checks they agree).
schemas: $(STAMP)
	$(PYTHON) -m casebook.reading.schemas

$(STAMP): requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# The site checkers the tests run (Nu Html Checker, axe-core, Lighthouse), pinned by
# package-lock.json. --ignore-scripts: vnu-jar's install script would download a Java runtime;
# the system one (default-jre-headless) is used instead.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_STAMP)

.PHONY: system system-test
system:
	scripts/system-deps.sh

system-test:
	scripts/system-deps.sh --browser

clean:
	rm -rf output
