# Every target installs (npm ci) and builds what it needs, so a fresh clone needs no other step.
SHELL := /bin/bash
# npm writes its hidden lockfile at every install: an `npm ci` run by hand counts too, and is not
# run again by the first make target.
NPM_STAMP := node_modules/.package-lock.json
BUILD_STAMP := dist/.build-stamp
SOURCES := $(shell find src -name '*.ts' 2>/dev/null)
EXPORTER := node bin/telemetry-exporter.cjs

.PHONY: all build test lint typecheck unit bench telemetry-etl sample schema wasm help-text screenshot clean

all: build

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(BUILD_STAMP): $(NPM_STAMP) $(SOURCES) scripts/bundle-cli.mjs scripts/ascii-bundle.mjs scripts/cli-code-cache.mjs bin/load-cli.cjs tsconfig.json tsconfig.build.json
	rm -rf dist
	npx tsc -p tsconfig.build.json
	node scripts/bundle-cli.mjs
	@touch $@

build: $(BUILD_STAMP)

lint: $(NPM_STAMP)
	npx biome check .

typecheck: $(NPM_STAMP)
	npx tsc -p tsconfig.json --noEmit

unit: $(BUILD_STAMP)
	npx vitest run

# Lint, typecheck and build are independent and mostly one thread each: side by side, then the
# suite (which needs the build).
test: $(NPM_STAMP)
	$(MAKE) --no-print-directory -j3 lint typecheck build
	$(MAKE) --no-print-directory unit

# Incremental: re-runs read only what was appended; ETL_FLAGS=--full reads everything again.
ETL_FLAGS ?=
telemetry-etl: $(BUILD_STAMP)
	$(EXPORTER) etl --incremental --input reports/telemetry --output-dir reports/analytics $(ETL_FLAGS)

# ETL_EVENTS=10000000: the incremental ETL rows on a data set of that size (its target is for
# 10M events, about 2.5 GB, generated once into bench/data; it adds a few minutes).
ETL_EVENTS ?=
bench: $(BUILD_STAMP)
	node --import tsx bench/run.ts $(if $(ETL_EVENTS),--etl-events $(ETL_EVENTS))

sample: $(NPM_STAMP)
	npx tsx scripts/generate-sample.ts reports/telemetry

schema: $(NPM_STAMP)
	npx tsx scripts/generate-json-schema.ts

wasm: $(NPM_STAMP)
	npx tsx scripts/generate-wasm.ts

help-text: $(NPM_STAMP)
	npx tsx scripts/generate-help.ts

screenshot: $(NPM_STAMP)
	npx tsx scripts/screenshot-report.ts

clean:
	rm -rf dist reports/analytics/*.json reports/analytics/*.jsonl reports/analytics/*.parquet reports/analytics/*.html reports/analytics/.etl-state.json
