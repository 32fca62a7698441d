#!/usr/bin/env bash
# deploy/local/dev.sh — `make dev`: the whole system on this machine.
# Installs what is missing, starts the stack (infra.sh), the services and the worker, loads the
# demo jurisdiction, prints where everything is with ready-to-paste requests and demo tokens.
#
# It then supervises the services and the worker: one that exits is restarted with backoff
# (1 s, 2 s, 4 s … capped at DEV_BACKOFF_MAX_S=30 s; back to 1 s once it has run
# DEV_BACKOFF_RESET_S=60 s), with a log line saying which process exited, how, and when it comes
# back; the rest keeps running. Only Ctrl-C (or TERM) stops everything this script started —
# services, worker and the stack (unless the stack was already running) — also when the output is
# piped (`make dev | tee log`). Supervisor lines also go to $DUBAN_DATA_DIR/logs/dev.log.
#
#   dev.sh           start and supervise (Ctrl-C stops)
#   dev.sh status    every supervised process: state, pid, port, restarts, last exit; the stack
#
# Ports: PORT_BASE shifts every HTTP port (registry PORT_BASE+1 … console PORT_BASE+10, mail
# PORT_BASE+25, worker metrics PORT_BASE+64); each can still be set alone (REGISTRY_PORT …).
# The stack's ports: TEMPORAL_PORT, TEMPORAL_UI_PORT, KAFKA_PORT, KAFKA_CONTROLLER_PORT,
# MONGO_PORT (see infra.sh); DUBAN_DATA_DIR (.data) holds state, logs and pids.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${DUBAN_DATA_DIR:-$ROOT/.data}"
LOGS="$DATA/logs"
RUN="$DATA/run"
STATUS_FILE="$RUN/dev-status.tsv"
SUPERVISOR_PID_FILE="$RUN/dev.pid"
cd "$ROOT"
t0=$SECONDS
mkdir -p "$LOGS" "$RUN"

LOG_STDERR=1 # 0 once stderr itself is the log file (see stop_all)
log() {
  local line
  line="[dev] $(date -u +%H:%M:%S) $*"
  printf '%s\n' "$line" >>"$LOGS/dev.log" 2>/dev/null || true
  if ((LOG_STDERR)); then printf '%s\n' "$line" >&2 2>/dev/null || true; fi
}

# `dev.sh status`: what the running supervisor last wrote, and the stack's own status.
if [[ "${1:-}" == status ]]; then
  sup="$(cat "$SUPERVISOR_PID_FILE" 2>/dev/null || true)"
  if [[ "$sup" =~ ^[0-9]+$ ]] && kill -0 "$sup" 2>/dev/null && [[ -f "$STATUS_FILE" ]]; then
    echo "supervisor pid $sup (data $DATA)"
    column -t -s $'\t' "$STATUS_FILE"
  else
    echo "dev.sh is not running (data $DATA)"
  fi
  echo
  "$HERE/infra.sh" status || true
  exit 0
fi

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
# Ctrl-C while the stack comes up: take it down again (replaced by stop_all below).
early_stop() {
  trap '' INT TERM PIPE HUP
  trap - EXIT
  if [[ ! -t 2 ]]; then
    exec 2>>"$LOGS/dev.log"
    LOG_STDERR=0
  fi
  exec 1>&2
  if ((stack_was_up == 0)); then "$HERE/infra.sh" down || true; fi
  exit 1
}
trap early_stop INT TERM HUP EXIT
"$HERE/infra.sh" up
eval "$("$HERE/infra.sh" env)"

# 3. Configuration shared by the processes. The demo secret is made once and kept in .data.
if [[ ! -s "$DATA/dev-jwt-secret" ]]; then
  (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$DATA/dev-jwt-secret")
fi
export AUTH_JWT_SECRET="$(cat "$DATA/dev-jwt-secret")"
export AUTH_ISSUER=duban LOG_LEVEL="${LOG_LEVEL:-info}" HTTP_HOST=127.0.0.1 TEMPORAL_TASK_QUEUE=duban-cases
# PORT_BASE unset: the usual ports (4001…4010, mail 1025, worker metrics 9464).
if [[ -n "${PORT_BASE:-}" ]]; then
  [[ "$PORT_BASE" =~ ^[0-9]+$ ]] || { log "ERROR: PORT_BASE must be a number"; exit 1; }
  P1=$((PORT_BASE + 1)) P2=$((PORT_BASE + 2)) P3=$((PORT_BASE + 3)) P4=$((PORT_BASE + 4)) P5=$((PORT_BASE + 5))
  P6=$((PORT_BASE + 6)) P7=$((PORT_BASE + 7)) P8=$((PORT_BASE + 8)) P9=$((PORT_BASE + 9)) P10=$((PORT_BASE + 10))
  PMAIL=$((PORT_BASE + 25)) PMETRICS=$((PORT_BASE + 64))
else
  P1=4001 P2=4002 P3=4003 P4=4004 P5=4005 P6=4006 P7=4007 P8=4008 P9=4009 P10=4010 PMAIL=1025 PMETRICS=9464
fi
REGISTRY_PORT="${REGISTRY_PORT:-$P1}" SUGGESTIONS_PORT="${SUGGESTIONS_PORT:-$P2}" CASE_INDEX_PORT="${CASE_INDEX_PORT:-$P3}"
NOTIFICATIONS_PORT="${NOTIFICATIONS_PORT:-$P4}" SCORES_PORT="${SCORES_PORT:-$P5}" MAIL_PORT="${MAIL_PORT:-$PMAIL}"
CITIZEN_PORT="${CITIZEN_PORT:-$P8}" DUTIES_PORT="${DUTIES_PORT:-$P9}"
LIVELIHOOD_PORT="${LIVELIHOOD_PORT:-$P6}"
WORKER_METRICS_PORT="${WORKER_METRICS_PORT:-$PMETRICS}"
OVERSIGHT_PORT="${OVERSIGHT_PORT:-$P7}"
CONSOLE_PORT="${CONSOLE_PORT:-$P10}"
BACKOFF_MAX="${DEV_BACKOFF_MAX_S:-30}"
BACKOFF_RESET="${DEV_BACKOFF_RESET_S:-60}"

# ---------------------------------------------------------------- the supervised processes
# proc NAME PORT PHASE HEALTH [VAR=value ...] -- ENTRY [ARGS...]
#   one node process (tsx loader), logs to $LOGS/NAME.log. PHASE 1 starts first, PHASE 2 once
#   the registry is healthy. HEALTH: http (GET :PORT/healthz) or none. To add a process, add a
#   `proc` line below; everything else (start, restart, status, stop) follows from the list.
procs=()
declare -A port_of=() phase_of=() health_of=() cmd_of=()
proc() {
  local name="$1" port="$2" phase="$3" health="$4" vars=()
  shift 4
  while [[ "$1" != -- ]]; do vars+=("$1"); shift; done
  shift
  procs+=("$name")
  port_of[$name]="$port" phase_of[$name]="$phase" health_of[$name]="$health"
  cmd_of[$name]="$(printf '%q ' env "${vars[@]}" node --import tsx "$@")"
}

REG="REGISTRY_URL=http://127.0.0.1:$REGISTRY_PORT"
proc registry "$REGISTRY_PORT" 1 http MONGO_DB=duban_registry HTTP_PORT="$REGISTRY_PORT" -- \
  services/registry/src/main.ts --seed-demo
proc case-index "$CASE_INDEX_PORT" 1 http MONGO_DB=duban_case_index HTTP_PORT="$CASE_INDEX_PORT" -- \
  services/case-index/src/main.ts
# The worker counts deadlines on the registry's calendars, so it starts once the registry is up.
proc worker "$WORKER_METRICS_PORT" 2 http WORKER_METRICS_PORT="$WORKER_METRICS_PORT" "$REG" -- workflows/src/worker.ts
proc suggestions "$SUGGESTIONS_PORT" 2 http MONGO_DB=duban_suggestions HTTP_PORT="$SUGGESTIONS_PORT" "$REG" -- \
  services/suggestions/src/main.ts
proc oversight "$OVERSIGHT_PORT" 2 http MONGO_DB=duban_oversight HTTP_PORT="$OVERSIGHT_PORT" "$REG" -- \
  services/oversight/src/main.ts
proc livelihood "$LIVELIHOOD_PORT" 2 http MONGO_DB=duban_livelihood HTTP_PORT="$LIVELIHOOD_PORT" "$REG" \
  LIVELIHOOD_JURISDICTIONS=cn-zj-demo-city -- services/livelihood/src/main.ts
proc mail-catcher "$MAIL_PORT" 2 none MAIL_DIR="$DATA/mail" MAIL_PORT="$MAIL_PORT" -- deploy/local/mail-catcher.ts
proc notifications "$NOTIFICATIONS_PORT" 2 http MONGO_DB=duban_notifications HTTP_PORT="$NOTIFICATIONS_PORT" "$REG" \
  SMTP_HOST=127.0.0.1 SMTP_PORT="$MAIL_PORT" NOTIFY_STAFF_EMAIL=committee-office@demo.gov.cn -- \
  services/notifications/src/main.ts
proc scores "$SCORES_PORT" 2 http MONGO_DB=duban_scores HTTP_PORT="$SCORES_PORT" "$REG" -- services/scores/src/main.ts
proc citizen "$CITIZEN_PORT" 2 http MONGO_DB=duban_citizen HTTP_PORT="$CITIZEN_PORT" "$REG" \
  SUGGESTIONS_URL="http://127.0.0.1:$SUGGESTIONS_PORT" -- services/citizen/src/main.ts
proc duties "$DUTIES_PORT" 2 http MONGO_DB=duban_duties HTTP_PORT="$DUTIES_PORT" "$REG" -- services/duties/src/main.ts
proc console "$CONSOLE_PORT" 2 http HTTP_PORT="$CONSOLE_PORT" SUGGESTIONS_URL="http://127.0.0.1:$SUGGESTIONS_PORT" \
  CASE_INDEX_URL="http://127.0.0.1:$CASE_INDEX_PORT" CITIZEN_URL="http://127.0.0.1:$CITIZEN_PORT" \
  OVERSIGHT_URL="http://127.0.0.1:$OVERSIGHT_PORT" DUTIES_URL="http://127.0.0.1:$DUTIES_PORT" \
  LIVELIHOOD_URL="http://127.0.0.1:$LIVELIHOOD_PORT" SCORES_URL="http://127.0.0.1:$SCORES_PORT" NOTIFICATIONS_URL="http://127.0.0.1:$NOTIFICATIONS_PORT" "$REG" -- \
  services/console/src/main.ts

# ---------------------------------------------------------------- supervision state
# state: starting (launched, not yet healthy) | running | backoff (exited, restart pending) | stopped
declare -A pid_of=() state_of=() restarts_of=() last_exit_of=() started_at=() next_start=() delay_of=()
for name in "${procs[@]}"; do
  pid_of[$name]=- state_of[$name]=stopped restarts_of[$name]=0 last_exit_of[$name]=- delay_of[$name]=1
done
stopping=0

write_status() {
  local name tmp="$STATUS_FILE.tmp" up
  {
    printf 'PROCESS\tSTATE\tPID\tPORT\tRESTARTS\tUP\tLAST EXIT\n'
    for name in "${procs[@]}"; do
      up=-
      [[ "${state_of[$name]}" == running || "${state_of[$name]}" == starting ]] && up="$((SECONDS - started_at[$name]))s"
      [[ "${state_of[$name]}" == backoff ]] && up="restart in $((next_start[$name] - SECONDS))s"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${state_of[$name]}" "${pid_of[$name]}" "${port_of[$name]}" \
        "${restarts_of[$name]}" "$up" "${last_exit_of[$name]}"
    done
  } >"$tmp" 2>/dev/null && mv -f "$tmp" "$STATUS_FILE" 2>/dev/null || true
}

stop_all() {
  trap - EXIT
  # A second Ctrl-C must not cut the shutdown short, and a reader of our output that went away
  # (tee, killed by the same Ctrl-C) must not kill us half-way: ignore INT and PIPE from here
  # on (infra.sh inherits this), and if stderr is not a terminal, write to the log file only.
  trap '' INT TERM PIPE HUP
  ((stopping)) && return 0
  stopping=1
  if [[ ! -t 2 ]]; then
    exec 2>>"$LOGS/dev.log"
    LOG_STDERR=0
  fi
  exec 1>&2
  log "stopping services and worker"
  local name pid alive deadline
  for name in "${procs[@]}"; do
    pid="${pid_of[$name]}"
    [[ "$pid" != - ]] && kill -TERM "$pid" 2>/dev/null || true
  done
  deadline=$((SECONDS + 15))
  while :; do
    alive=()
    for name in "${procs[@]}"; do
      pid="${pid_of[$name]}"
      [[ "$pid" != - ]] && kill -0 "$pid" 2>/dev/null && alive+=("$name:$pid")
    done
    ((${#alive[@]} == 0)) && break
    if ((SECONDS > deadline)); then
      log "still alive after 15 s, sending KILL: ${alive[*]}"
      for name in "${alive[@]}"; do kill -KILL "${name#*:}" 2>/dev/null || true; done
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  for name in "${procs[@]}"; do state_of[$name]=stopped pid_of[$name]=-; done
  rm -f "$STATUS_FILE" "$SUPERVISOR_PID_FILE"
  if ((stack_was_up == 0)); then "$HERE/infra.sh" down || log "infra.sh down failed"; else log "the stack was running before: left running"; fi
  log "stopped"
  exit 0
}
trap stop_all INT TERM HUP EXIT
echo $$ >"$SUPERVISOR_PID_FILE"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# launch NAME: start the process now; false if its port is taken.
launch() {
  local name="$1" port="${port_of[$1]}"
  if ! port_free "$port"; then
    log "ERROR: port $port for $name is taken by another process"
    return 1
  fi
  ( eval "exec ${cmd_of[$name]}" ) >>"$LOGS/$name.log" 2>&1 </dev/null &
  pid_of[$name]=$!
  started_at[$name]=$SECONDS
  state_of[$name]=starting
  [[ "${health_of[$name]}" == none ]] && state_of[$name]=running
  write_status
}

# first start: a fresh log (the previous one kept as NAME.log.1)
start() {
  local name="$1"
  [[ -f "$LOGS/$name.log" ]] && mv -f "$LOGS/$name.log" "$LOGS/$name.log.1"
  launch "$name" || exit 1
  log "$name: starting (pid ${pid_of[$name]}, log $LOGS/$name.log)"
}

is_healthy() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:${port_of[$1]}/healthz"; }

wait_healthy() {
  local name="$1" deadline=$((SECONDS + 90))
  [[ "${health_of[$name]}" == none ]] && return 0
  until is_healthy "$name"; do
    if ! kill -0 "${pid_of[$name]}" 2>/dev/null || ((SECONDS > deadline)); then
      log "ERROR: $name is not healthy on :${port_of[$name]} (exited, or not up after 90 s); last lines of $LOGS/$name.log:"
      tail -n 20 "$LOGS/$name.log" >&2 || true
      exit 1
    fi
    sleep 0.3
  done
  state_of[$name]=running
  write_status
  log "$name: healthy on :${port_of[$name]}"
}

# how a process ended, from its wait status
describe_exit() {
  local code="$1"
  if ((code > 128)); then echo "signal $(kill -l $((code - 128)) 2>/dev/null || echo $((code - 128)))"; else echo "code $code"; fi
}

# one supervision round: reap what exited, schedule its restart, restart what is due
supervise() {
  local name pid code how ran
  for name in "${procs[@]}"; do
    pid="${pid_of[$name]}"
    case "${state_of[$name]}" in
      starting | running)
        if ! kill -0 "$pid" 2>/dev/null; then
          code=0
          wait "$pid" 2>/dev/null || code=$?
          how="$(describe_exit "$code")"
          ran=$((SECONDS - started_at[$name]))
          ((ran >= BACKOFF_RESET)) && delay_of[$name]=1
          last_exit_of[$name]="$how at $(date -u +%H:%M:%S)"
          state_of[$name]=backoff pid_of[$name]=- next_start[$name]=$((SECONDS + delay_of[$name]))
          log "$name (pid $pid) exited with $how after ${ran} s; restarting in ${delay_of[$name]} s (see $LOGS/$name.log)"
          delay_of[$name]=$((delay_of[$name] * 2 > BACKOFF_MAX ? BACKOFF_MAX : delay_of[$name] * 2))
          write_status
        elif [[ "${state_of[$name]}" == starting ]] && is_healthy "$name"; then
          state_of[$name]=running
          log "$name: healthy again on :${port_of[$name]} (pid $pid)"
          write_status
        fi
        ;;
      backoff)
        if ((SECONDS >= next_start[$name])); then
          restarts_of[$name]=$((restarts_of[$name] + 1))
          if launch "$name"; then
            log "$name: restarted (pid ${pid_of[$name]}, restart ${restarts_of[$name]})"
          else
            last_exit_of[$name]="port ${port_of[$name]} taken at $(date -u +%H:%M:%S)"
            next_start[$name]=$((SECONDS + delay_of[$name]))
            log "$name: cannot restart, port ${port_of[$name]} is taken; next try in ${delay_of[$name]} s"
            delay_of[$name]=$((delay_of[$name] * 2 > BACKOFF_MAX ? BACKOFF_MAX : delay_of[$name] * 2))
            write_status
          fi
        fi
        ;;
    esac
  done
}

for name in "${procs[@]}"; do if [[ "${phase_of[$name]}" == 1 ]]; then start "$name"; fi; done
wait_healthy registry
for name in "${procs[@]}"; do if [[ "${phase_of[$name]}" == 2 ]]; then start "$name"; fi; done
for name in "${procs[@]}"; do if [[ "$name" != registry ]]; then wait_healthy "$name"; fi; done

token() { node --import tsx platform/src/cli/token.ts --ttl 24h "$@"; }
DEPUTY="$(token --role deputy --sub deputy-001)"
UNIT="$(token --role unit --sub handler-edu-1 --unit edu-bureau)"
STAFF="$(token --role staff --sub clerk-1)"

cat <<INFO

  Duban is running (ready in $((SECONDS - t0)) s). Ctrl-C stops everything this started.
  A process that exits is restarted with backoff; see: deploy/local/dev.sh status (make dev-status)

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

# Supervise until Ctrl-C. `sleep & wait` so that Ctrl-C is handled at once, not after the sleep.
# Status (also `dev.sh status`): "$STATUS_FILE".
log "supervising ${#procs[@]} processes; status: $0 status"
while true; do
  supervise
  if ((SECONDS % 5 == 0)); then write_status; fi
  sleep 1 &
  wait $! || true
done
