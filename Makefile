# The verbs people type. `make dev` runs the whole system; `make test` passes all tests.
SHELL := /bin/bash
.DEFAULT_GOAL := help
INFRA := deploy/local/infra.sh

.PHONY: chaos docs fuzz simulate help dev dev-status test install node-deps proto web lint typecheck unit-test stack-test infra-up infra-down infra-status token

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

dev: ## run the whole system: stack, services, worker, demo data (Ctrl-C stops it)
	@deploy/local/dev.sh

dev-status: ## every process `make dev` supervises: state, pid, restarts, last exit; and the stack
	@deploy/local/dev.sh status

test: install lint typecheck ## from a fresh clone to green: installs, lints, type-checks, runs every test on the real stack
	npx jest --runInBand --ci

install: node-deps proto web ## install everything the project needs (npm packages, Temporal, Kafka, FerretDB, chromium, the console's web app)
	deploy/local/install.sh

web: node-deps ## build the console's web app (services/console/dist, git-ignored) when its sources changed
	@if [[ ! -f services/console/dist/index.html || -n "$$(find services/console/web -newer services/console/dist/index.html -type f)" ]]; then \
	  npm run --silent -w @duban/console build; fi

node-deps:
	@if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then \
	  npm install --no-audit --no-fund --loglevel=error; fi

proto: node-deps ## generate TypeScript from proto/defs
	npm run --silent build:proto

lint: node-deps ## eslint and prettier
	npm run --silent lint

typecheck: proto ## tsc --noEmit over the whole tree
	npm run --silent typecheck

unit-test: proto ## only the tests that need nothing running
	npx jest --selectProjects unit

stack-test: install ## only the tests against the real stack (started and stopped by the tests)
	npx jest --selectProjects stack --runInBand

FUZZ_EXAMPLES ?= 100
FUZZ_PHASES ?= examples,coverage,fuzzing,stateful
fuzz: install ## the whole HTTP API under schemathesis for long: every phase, FUZZ_EXAMPLES=100 per operation, every role
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_PHASES=$(FUZZ_PHASES) FUZZ_TIMEOUT_MS=3600000 \
	  npx jest --selectProjects stack --runInBand tests/e2e/fuzz-api.test.ts

docs: install ## regenerate docs/policy-reference.md (from the policy schema) and docs/api-reference.md (from every service's OpenAPI, on a test stack)
	node --import tsx domain/scripts/policy-reference.ts --write
	UPDATE_DOCS=1 npx jest --selectProjects stack --runInBand tests/e2e/authz-matrix.test.ts -t api-reference
chaos: install ## the fault suite: steady load on a stack of its own while worker, Temporal, Kafka, FerretDB and services are killed; then every case, event and message accounted for (about 15 min)
	deploy/local/install.sh toxiproxy
	node --import tsx tests/chaos/run.ts

infra-up: ## start Temporal, Kafka, FerretDB (installs what is missing)
	$(INFRA) up

infra-down: ## stop them
	$(INFRA) down

infra-status: ## one line per part
	$(INFRA) status

token: node-deps ## issue a token: make token ROLE=deputy SUB=deputy-001 [UNIT=edu-bureau]
	@AUTH_JWT_SECRET="$$(cat .data/dev-jwt-secret)" node --import tsx platform/src/cli/token.ts --role $(ROLE) --sub $(SUB) $(if $(UNIT),--unit $(UNIT))

.PHONY: bench bench-suggestions bench-scores bench-livelihood bench-console bench-read

bench: install ## benchmarks: a city-year on the time-skipping server, intake vs no-op on a dev server, scores throughput, the livelihood vote and city-year
	bench/run.sh

bench-suggestions: install ## the suggestion benchmarks: city-year, intake
	bench/run.sh city-year intake

bench-scores: install ## the scores service: events/s vs raw kafkajs consume, publish → read-model lag
	bench/run.sh scores

bench-livelihood: install ## livelihood: a vote of 1,000 deputies (ballots/s, tally time), a city-year of 10 projects
	bench/run.sh livelihood-vote livelihood-city-year

SIM := workflows/scripts/simulate/samples
simulate: install ## a what-if year: make simulate POLICY=a.json[,b.json] LOAD=load.json [OUT=report.html] (defaults: the demo city, two policies)
	node --import tsx workflows/scripts/simulate/cli.ts --load "$(or $(LOAD),$(SIM)/demo-city-load.json)" \
	  --policy "$(or $(POLICY),$(SIM)/demo-city-policy.json,$(SIM)/demo-city-policy-two-months.json)" $(if $(OUT),--out "$(OUT)")

bench-console: install ## the console: JS shipped for the first page (gzip), API calls per page, first useful paint of the to-do page
	bench/run.sh console

bench-read: install ## the case index at city scale (5,000 → 50,000 cases, BENCH_READ_CASES): ingest vs raw consume, lag at 100 events/s, query p50/p95
	bench/run.sh read
