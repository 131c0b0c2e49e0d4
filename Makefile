# Two entry points on a fresh machine (python3, make, gcc): `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv test serve ingest eval bench clean

venv: $(STAMP)

# torch first, pinned: the CPU build lies on this disk; an unpinned torch pulls a CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

# The sample corpus' vectors are cached by content hash outside the checkout, so a second run
# reads them back instead of re-embedding the corpus (minutes on 2 cores).
TEST_EMBED_CACHE ?= $(HOME)/.cache/plan-assistant/test-embed-cache.sqlite

test: $(STAMP)
	mkdir -p $(dir $(TEST_EMBED_CACHE))
	ASSISTANT_TEST_EMBED_CACHE=$(TEST_EMBED_CACHE) $(PY) -m pytest

ingest: $(STAMP)
	$(PY) -m assistant ingest

serve: $(STAMP)
	$(PY) -m assistant serve --ingest-if-missing

eval: $(STAMP)
	$(PY) -m assistant eval ../shared/eval/dev.jsonl

# The serving benches read the sample index (built here when missing or stale).
bench: $(STAMP)
	$(PY) bench/ingest.py
	$(PY) -m assistant ingest --quiet
	$(PY) bench/ask.py
	$(PY) bench/serve.py
	$(PY) bench/reliability.py
	$(PY) bench/scale.py

clean:
	rm -rf var build *.egg-info
