#!/usr/bin/env bash
# deploy/local/dev.sh — `make dev`: the whole system on this machine.
# Installs what is missing, starts the stack (infra.sh), the services and the worker, loads the
# demo jurisdiction, prints where everything is with ready-to-paste requests and demo tokens.
# Ctrl-C stops everything this script started (the stack too, unless it was already running).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${DUBAN_DATA_DIR:-$ROOT/.data}"
LOGS="$DATA/logs"
cd "$ROOT"
t0=$SECONDS

log() { printf '[dev] %s\n' "$*" >&2; }

# 1. Node dependencies and generated code.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # npm install, not npm ci: npm ci refuses this lock file (it lacks entries for other
  # platforms' optional binaries); npm install honours the lock otherwise.
  log "installing npm dependencies"
  npm install --no-audit --no-fund --loglevel=error
fi
if [[ ! -f proto/gen/duban/events/v1/envelope_pb.ts || -n "$(find proto/defs -newer proto/gen/duban/events/v1/envelope_pb.ts -name '*.proto')" ]]; then
  log "generating protobuf code"
  npm run --silent build:proto
fi

# 2. The stack.
stack_was_up=0
"$HERE/infra.sh" status >/dev/null 2>&1 && stack_was_up=1
"$HERE/infra.sh" up
eval "$("$HERE/infra.sh" env)"

# 3. Configuration shared by the processes. The demo secret is made once and kept in .data.
mkdir -p "$LOGS" "$DATA/run"
if [[ ! -s "$DATA/dev-jwt-secret" ]]; then
  (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$DATA/dev-jwt-secret")
fi
export AUTH_JWT_SECRET="$(cat "$DATA/dev-jwt-secret")"
export AUTH_ISSUER=duban LOG_LEVEL="${LOG_LEVEL:-info}" HTTP_HOST=127.0.0.1 TEMPORAL_TASK_QUEUE=duban-cases
REGISTRY_PORT="${REGISTRY_PORT:-4001}" SUGGESTIONS_PORT="${SUGGESTIONS_PORT:-4002}" CASE_INDEX_PORT="${CASE_INDEX_PORT:-4003}"
NOTIFICATIONS_PORT="${NOTIFICATIONS_PORT:-4004}" SCORES_PORT="${SCORES_PORT:-4005}" MAIL_PORT="${MAIL_PORT:-1025}"
CITIZEN_PORT="${CITIZEN_PORT:-4008}" DUTIES_PORT="${DUTIES_PORT:-4009}"
LIVELIHOOD_PORT="${LIVELIHOOD_PORT:-4006}"
WORKER_METRICS_PORT="${WORKER_METRICS_PORT:-9464}"
OVERSIGHT_PORT="${OVERSIGHT_PORT:-4007}"
CONSOLE_PORT="${CONSOLE_PORT:-4010}"

pids=()
declare -A pid_of=()
stop_all() {
  trap - INT TERM EXIT
  log "stopping services and worker"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((stack_was_up == 0)); then "$HERE/infra.sh" down; else log "the stack was running before: left running"; fi
  exit 0
}
trap stop_all INT TERM EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start NAME PORT ENTRY [ARGS...]: one node process (tsx loader), logs to .data/logs/NAME.log
start() {
  local name="$1" port="$2" entry="$3"
  shift 3
  port_free "$port" || { log "ERROR: port $port for $name is taken by another process"; exit 1; }
  [[ -f "$LOGS/$name.log" ]] && mv -f "$LOGS/$name.log" "$LOGS/$name.log.1"
  node --import tsx "$entry" "$@" >"$LOGS/$name.log" 2>&1 &
  pids+=($!)
  pid_of[$name]=$!
  log "$name: starting (pid $!, log $LOGS/$name.log)"
}

wait_healthy() {
  local name="$1" port="$2" deadline=$((SECONDS + 90))
  until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz"; do
    if ! kill -0 "${pid_of[$name]}" 2>/dev/null || ((SECONDS > deadline)); then
      log "ERROR: $name is not healthy on :$port (exited, or not up after 90 s); last lines of $LOGS/$name.log:"
      tail -n 20 "$LOGS/$name.log" >&2
      exit 1
    fi
    sleep 0.3
  done
  log "$name: healthy on :$port"
}

MONGO_DB=duban_registry HTTP_PORT=$REGISTRY_PORT start registry "$REGISTRY_PORT" services/registry/src/main.ts --seed-demo
MONGO_DB=duban_case_index HTTP_PORT=$CASE_INDEX_PORT start case-index "$CASE_INDEX_PORT" services/case-index/src/main.ts
WORKER_METRICS_PORT=$WORKER_METRICS_PORT start worker "$WORKER_METRICS_PORT" workflows/src/worker.ts
wait_healthy registry "$REGISTRY_PORT"
MONGO_DB=duban_suggestions HTTP_PORT=$SUGGESTIONS_PORT REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT" \
  start suggestions "$SUGGESTIONS_PORT" services/suggestions/src/main.ts
MONGO_DB=duban_oversight HTTP_PORT=$OVERSIGHT_PORT REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT" \
  start oversight "$OVERSIGHT_PORT" services/oversight/src/main.ts
MONGO_DB=duban_livelihood HTTP_PORT=$LIVELIHOOD_PORT REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT" \
  LIVELIHOOD_JURISDICTIONS=cn-zj-demo-city start livelihood "$LIVELIHOOD_PORT" services/livelihood/src/main.ts
MAIL_DIR="$DATA/mail" MAIL_PORT=$MAIL_PORT start mail-catcher "$MAIL_PORT" deploy/local/mail-catcher.ts
MONGO_DB=duban_notifications HTTP_PORT=$NOTIFICATIONS_PORT REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT" \
  SMTP_HOST=127.0.0.1 SMTP_PORT=$MAIL_PORT NOTIFY_STAFF_EMAIL=committee-office@demo.gov.cn \
  start notifications "$NOTIFICATIONS_PORT" services/notifications/src/main.ts
MONGO_DB=duban_scores HTTP_PORT=$SCORES_PORT REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT" \
  start scores "$SCORES_PORT" services/scores/src/main.ts
MONGO_DB=duban_citizen HTTP_PORT=$CITIZEN_PORT REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT" \
  SUGGESTIONS_URL="http://127.0.0.1:$SUGGESTIONS_PORT" start citizen "$CITIZEN_PORT" services/citizen/src/main.ts
MONGO_DB=duban_duties HTTP_PORT=$DUTIES_PORT REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT" \
  start duties "$DUTIES_PORT" services/duties/src/main.ts
HTTP_PORT=$CONSOLE_PORT SUGGESTIONS_URL="http://127.0.0.1:$SUGGESTIONS_PORT" CASE_INDEX_URL="http://127.0.0.1:$CASE_INDEX_PORT" \
  start console "$CONSOLE_PORT" services/console/src/main.ts
wait_healthy case-index "$CASE_INDEX_PORT"
wait_healthy notifications "$NOTIFICATIONS_PORT"
wait_healthy scores "$SCORES_PORT"
wait_healthy suggestions "$SUGGESTIONS_PORT"
wait_healthy oversight "$OVERSIGHT_PORT"
wait_healthy citizen "$CITIZEN_PORT"
wait_healthy livelihood "$LIVELIHOOD_PORT"
wait_healthy duties "$DUTIES_PORT"
wait_healthy worker "$WORKER_METRICS_PORT"
wait_healthy console "$CONSOLE_PORT"

token() { node --import tsx platform/src/cli/token.ts --ttl 24h "$@"; }
DEPUTY="$(token --role deputy --sub deputy-001)"
UNIT="$(token --role unit --sub handler-edu-1 --unit edu-bureau)"
STAFF="$(token --role staff --sub clerk-1)"

cat <<INFO

  Duban is running (ready in $((SECONDS - t0)) s). Ctrl-C stops everything this started.

  督办台 console    http://127.0.0.1:$CONSOLE_PORT   (sign in as a demo person: deputy, clerk, unit handler, citizen, operator)

  Temporal UI      ${TEMPORAL_UI_URL}/namespaces/default/workflows
  registry API     http://127.0.0.1:$REGISTRY_PORT   (OpenAPI: /openapi.json)
  suggestions API  http://127.0.0.1:$SUGGESTIONS_PORT   (OpenAPI: /openapi.json)
  oversight API    http://127.0.0.1:$OVERSIGHT_PORT   (review opinions, inquiries, investigations, supervision plans; OpenAPI: /openapi.json)
  case-index API   http://127.0.0.1:$CASE_INDEX_PORT   (OpenAPI: /openapi.json)
  notifications    http://127.0.0.1:$NOTIFICATIONS_PORT   (mail it sends: $DATA/mail/*.eml)
  scores API       http://127.0.0.1:$SCORES_PORT   (e.g. /v1/scores/units?format=csv)
  citizen API      http://127.0.0.1:$CITIZEN_PORT   (citizens' opinions and liaison letters)
  livelihood API   http://127.0.0.1:$LIVELIHOOD_PORT   (OpenAPI: /openapi.json; Schedule livelihood-cycle-cn-zj-demo-city)
  duties API       http://127.0.0.1:$DUTIES_PORT   (regulations, appointees, groups; /v1/overdue?unit=)
  worker metrics   http://127.0.0.1:$WORKER_METRICS_PORT/metrics
  logs             $LOGS/

  Demo tokens (24 h):
    export DEPUTY='$DEPUTY'
    export UNIT='$UNIT'
    export STAFF='$STAFF'

  A deputy submits a suggestion:
    curl -s -X POST http://127.0.0.1:$SUGGESTIONS_PORT/v1/suggestions \\
      -H "Authorization: Bearer \$DEPUTY" -H 'Content-Type: application/json' -H "Idempotency-Key: demo-\$(date +%s)" \\
      -d '{"title":"关于增设学校周边交通设施的建议","content":"建议在小学周边增设信号灯和减速带。","category":"education","jurisdiction":"cn-zj-demo-city"}'

  Committee staff accept it (审核, 交办): the policy routes education to the education bureau:
    curl -s -X POST http://127.0.0.1:$SUGGESTIONS_PORT/v1/suggestions/suggestion-$(date +%Y)-0001/review \\
      -H "Authorization: Bearer \$STAFF" -H 'Content-Type: application/json' -d '{"decision":"accept"}'

  Staff see the case as the events tell it (use the caseId printed above):
    curl -s http://127.0.0.1:$CASE_INDEX_PORT/v1/cases/suggestion-$(date +%Y)-0001 -H "Authorization: Bearer \$STAFF"
    curl -s http://127.0.0.1:$CASE_INDEX_PORT/v1/cases/suggestion-$(date +%Y)-0001/timeline -H "Authorization: Bearer \$STAFF"

  The education bureau replies, the deputy rates the reply:
    curl -s -X POST http://127.0.0.1:$SUGGESTIONS_PORT/v1/suggestions/suggestion-$(date +%Y)-0001/reply \\
      -H "Authorization: Bearer \$UNIT" -H 'Content-Type: application/json' \\
      -d '{"grade":"A","summary":"已在三所小学周边增设信号灯和减速带。"}'
    curl -s -X POST http://127.0.0.1:$SUGGESTIONS_PORT/v1/suggestions/suggestion-$(date +%Y)-0001/rating \\
      -H "Authorization: Bearer \$DEPUTY" -H 'Content-Type: application/json' -d '{"rating":"satisfied"}'

  Every action and its body: http://127.0.0.1:$SUGGESTIONS_PORT/openapi.json

  More tokens: AUTH_JWT_SECRET="\$(cat $DATA/dev-jwt-secret)" npm run --silent token -- --role staff --sub clerk-2

INFO

# Stay up until Ctrl-C or until a process dies.
while true; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "ERROR: a process (pid $pid) exited; see $LOGS/"
      stop_all
    fi
  done
  sleep 2
done
