# OCM: two commands. `make run` starts the product, `make test` runs every test. Both install what
# is missing first (scripts/ensure-tools.sh) and say what they are doing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help run test bench load release fuzz tools db-start db-stop sqlx-prepare fmt

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

run: ## Build and serve OCM at http://127.0.0.1:3000 (local Postgres + demo mode unless configured)
	@scripts/run.sh

test: ## fmt, clippy, unit + integration tests on real Postgres, end-to-end tests in Chromium
	@scripts/test.sh

fuzz: ## Fuzz the readers of outside input for a fixed time each (OCM_FUZZ_SECONDS; nightly)
	@scripts/fuzz.sh

bench: ## Performance benchmarks (figures go to docs/performance.md)
	@source scripts/leptos-env.sh && cargo run --profile perf -p pom-sim --example sim_bench \
		&& cargo run --profile perf -p pom-sim --example dial_bench \
		&& scripts/pg.sh start >/dev/null && scripts/pg.sh recreate ocm_bench >/dev/null \
		&& DATABASE_URL=$$(scripts/pg.sh url ocm_bench) cargo run --profile perf -p server --example purge_bench \
		&& scripts/pg.sh recreate ocm_bench >/dev/null \
		&& DATABASE_URL=$$(scripts/pg.sh url ocm_bench) cargo run --profile perf -p server --example adaptive_bench \
		&& scripts/pg.sh recreate ocm_bench >/dev/null \
		&& DATABASE_URL=$$(scripts/pg.sh url ocm_bench) cargo run --profile perf -p server --example campaign_bench \
		&& scripts/pg.sh recreate ocm_bench >/dev/null \
		&& DATABASE_URL=$$(scripts/pg.sh url ocm_bench) cargo run --profile perf -p server --example call_data_bench \
		&& scripts/pg.sh recreate ocm_bench >/dev/null \
		&& DATABASE_URL=$$(scripts/pg.sh url ocm_bench) cargo run --profile perf -p server --example call_data_latency \
		&& scripts/pg.sh recreate ocm_bench >/dev/null \
		&& DATABASE_URL=$$(scripts/pg.sh url ocm_bench) cargo run --profile perf -p server --example report_bench \
		&& scripts/pg.sh recreate ocm_bench >/dev/null \
		&& DATABASE_URL=$$(scripts/pg.sh url ocm_bench) cargo run --profile perf -p server --example api_bench \
		&& scripts/pg.sh recreate ocm_bench >/dev/null \
		&& DATABASE_URL=$$(scripts/pg.sh url ocm_bench) cargo run --profile perf -p server --example dnc_api_bench \
		&& scripts/pg.sh recreate ocm_bench >/dev/null \
		&& DATABASE_URL=$$(scripts/pg.sh url ocm_bench) cargo run --profile perf -p server --example floor_bench \
		&& scripts/pg.sh recreate ocm_bench >/dev/null \
		&& DATABASE_URL=$$(scripts/pg.sh url ocm_bench) cargo run --profile perf -p server --example dashboard_bench \
		&& cargo run --profile perf -p server --example dnc_bench \
		&& cargo run --profile perf -p server --example upload_bench

release: ## The production build: target/perf/ocm and target/site (wasm-opt, brotli)
	@scripts/release-build.sh

load: ## Load benchmark: 100 users for 10 min against the production build (docs/performance.md)
	@scripts/load-bench.sh

tools: ## Install the toolchain pieces that are missing
	@scripts/ensure-tools.sh

db-start: ## Start the project-local Postgres cluster
	@scripts/pg.sh start

db-stop: ## Stop the project-local Postgres cluster
	@scripts/pg.sh stop

sqlx-prepare: ## Regenerate .sqlx/ after changing SQL (needs the local cluster)
	@scripts/sqlx-prepare.sh

fmt: ## Format the code
	@cargo fmt --all
