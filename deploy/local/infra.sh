#!/usr/bin/env bash
# deploy/local/infra.sh — run the local infrastructure (no Docker): Temporal dev server,
# single-node KRaft Kafka, FerretDB (MongoDB wire protocol on SQLite).
#
#   infra.sh up       install missing tools (install.sh), start what is not running, wait healthy
#   infra.sh down     stop what our pid files name (TERM, wait, KILL), remove pid files
#   infra.sh status   one line per part; exit 0 if all are up, 3 otherwise
#   infra.sh env      export lines for eval:  eval "$(deploy/local/infra.sh env)"
#
# State: .data/{temporal,kafka,ferretdb}/, logs .data/logs/<part>.log, pids .data/run/<part>.pid
# Env:   TEMPORAL_PORT (7233) TEMPORAL_UI_PORT (8233) KAFKA_PORT (9092) KAFKA_CONTROLLER_PORT (9093)
#        MONGO_PORT (27017) INFRA_TIMEOUT (90 s per part health check) KAFKA_HEAP (512m)
#        INFRA_SKIP_INSTALL=1 (up: do not call install.sh)
#        DUBAN_DATA_DIR (.data): where state, logs and pids live; the tests use their own
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TOOLS="$ROOT/.tools"
DATA="${DUBAN_DATA_DIR:-$ROOT/.data}"
LOGS="$DATA/logs"
RUN="$DATA/run"
# shellcheck source-path=SCRIPTDIR source=versions.env
source "$HERE/versions.env"

HOST=127.0.0.1
TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${MONGO_PORT:-27017}"
INFRA_TIMEOUT="${INFRA_TIMEOUT:-90}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
PARTS=(temporal kafka ferretdb)

# Custom search attributes registered at Temporal start (Name=Type).
TEMPORAL_SEARCH_ATTRIBUTES=(
  CaseKind=Keyword Stage=Keyword StageSince=Datetime Unit=Keyword Jurisdiction=Keyword Satisfaction=Keyword
  DueAt=Datetime Overdue=Bool AtRisk=Bool CycleYear=Int
)

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# ------------------------------------------------------------------ per-part facts
ports_of() {
  case "$1" in
    temporal) echo "$TEMPORAL_PORT $TEMPORAL_UI_PORT" ;;
    kafka) echo "$KAFKA_PORT $KAFKA_CONTROLLER_PORT" ;;
    ferretdb) echo "$MONGO_PORT" ;;
  esac
}
# a string the process's command line must contain for the pid to count as ours
marker_of() {
  case "$1" in
    temporal) echo "$DATA/temporal/temporal.db" ;;
    kafka) echo "$DATA/kafka/server.properties" ;;
    ferretdb) echo "-data $DATA/ferretdb" ;;
  esac
}
logfile() { echo "$LOGS/$1.log"; }
pidfile() { echo "$RUN/$1.pid"; }

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# pid of our running part, or nothing (stale pid files are removed)
our_pid() {
  local part="$1" pf pid
  pf="$(pidfile "$part")"
  [[ -f "$pf" ]] || return 0
  pid="$(cat "$pf" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(marker_of "$part")"; then
    echo "$pid"
  else
    rm -f "$pf" "$RUN/$part.ports"
  fi
}

# ------------------------------------------------------------------ health checks (one probe each)
healthy() {
  case "$1" in
    temporal)
      "$TOOLS/bin/temporal" operator cluster health --address "$HOST:$TEMPORAL_PORT" >/dev/null 2>&1 &&
        curl -fsS -o /dev/null --max-time 2 "http://$HOST:$TEMPORAL_UI_PORT/" ;;
    kafka)
      # cheap: both listeners accept and this run's log has the KRaft server's "started" line
      port_open "$KAFKA_PORT" && port_open "$KAFKA_CONTROLLER_PORT" &&
        grep -q 'Kafka Server started' "$(logfile kafka)" 2>/dev/null ;;
    ferretdb)
      # real MongoDB wire-protocol ping (ferretdb -ping)
      "$TOOLS/bin/ferretdb" -ping "$HOST:$MONGO_PORT" >/dev/null 2>&1 ;;
  esac
}

fail_part() {
  local part="$1" msg="$2" lf
  lf="$(logfile "$part")"
  printf '[infra] ERROR: %s: %s\n[infra] log: %s (last 20 lines):\n' "$part" "$msg" "$lf" >&2
  tail -n 20 "$lf" 2>/dev/null | sed 's/^/    /' >&2 || true
  exit 1
}

wait_healthy() {
  local part="$1" pid="$2" t0 deadline
  t0="$(now)"
  deadline=$((SECONDS + INFRA_TIMEOUT))
  until healthy "$part"; do
    kill -0 "$pid" 2>/dev/null || fail_part "$part" "process $pid exited during startup"
    ((SECONDS < deadline)) || fail_part "$part" "not healthy after ${INFRA_TIMEOUT}s (INFRA_TIMEOUT) on port(s) $(ports_of "$part")"
    sleep 0.3
  done
  log "$part: healthy (pid $pid, port(s) $(ports_of "$part")) after $(elapsed "$t0")"
}

# start CMD... detached (own session, no stdin), log rotated once, pid recorded
spawn() {
  local part="$1"; shift
  local lf pf pid
  lf="$(logfile "$part")"; pf="$(pidfile "$part")"
  [[ -f "$lf" ]] && mv -f "$lf" "$lf.1"
  (cd "$ROOT" && exec setsid nohup "$@" >"$lf" 2>&1 </dev/null) &
  pid=$!
  echo "$pid" >"$pf"
  ports_of "$part" >"$RUN/$part.ports"
  echo "$pid"
}

# ------------------------------------------------------------------ starters
start_temporal() {
  mkdir -p "$DATA/temporal"
  local args=(server start-dev --ip "$HOST" --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT"
    --db-filename "$DATA/temporal/temporal.db" --log-level warn)
  local sa; for sa in "${TEMPORAL_SEARCH_ATTRIBUTES[@]}"; do args+=(--search-attribute "$sa"); done
  spawn temporal "$TOOLS/bin/temporal" "${args[@]}"
}

# -XX:TieredStopAtLevel=1: the JVM's first-tier compiler only. A fresh broker otherwise spends
# minutes in C2 compilation: half of its CPU during the intake benchmark (thread "C2
# CompilerThread", 2.9 of 6.0 CPU-seconds) on a 2-core machine shared with everything else.
KAFKA_JAVA=(java -Xms128m -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
  -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" -cp "$TOOLS/kafka/libs/*")
kafka_java() { "${KAFKA_JAVA[@]}" "$@"; }

prepare_kafka() {
  local kdir="$DATA/kafka" props="$DATA/kafka/server.properties" logdir="$DATA/kafka/logs"
  mkdir -p "$kdir"
  sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" -e "s#@KAFKA_CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
    -e "s#@KAFKA_LOG_DIR@#$logdir#g" "$HERE/kafka/server.properties.template" >"$props"
  if [[ -f "$logdir/meta.properties" ]]; then
    # the controller endpoint is written into the metadata log at format time
    local formatted; formatted="$(cat "$kdir/controller.port" 2>/dev/null || echo "$KAFKA_CONTROLLER_PORT")"
    [[ "$formatted" == "$KAFKA_CONTROLLER_PORT" ]] ||
      die "kafka: storage in $logdir was formatted with KAFKA_CONTROLLER_PORT=$formatted; use that port or delete $kdir to re-format"
    return 0
  fi
  [[ -s "$kdir/cluster.id" ]] || kafka_java kafka.tools.StorageTool random-uuid >"$kdir/cluster.id"
  log "kafka: formatting storage $logdir (cluster id $(cat "$kdir/cluster.id"))"
  kafka_java kafka.tools.StorageTool format --standalone --ignore-formatted \
    -t "$(cat "$kdir/cluster.id")" -c "$props" >"$LOGS/kafka-format.log" 2>&1 ||
    { tail -n 20 "$LOGS/kafka-format.log" >&2; die "kafka: storage format failed (log: $LOGS/kafka-format.log)"; }
  echo "$KAFKA_CONTROLLER_PORT" >"$kdir/controller.port"
}

start_kafka() {
  prepare_kafka
  spawn kafka "${KAFKA_JAVA[@]}" kafka.Kafka "$DATA/kafka/server.properties"
}

start_ferretdb() {
  mkdir -p "$DATA/ferretdb"
  spawn ferretdb "$TOOLS/bin/ferretdb" -listen "$HOST:$MONGO_PORT" -data "$DATA/ferretdb"
}

# ------------------------------------------------------------------ commands
cmd_up() {
  local t0 part pid port
  t0="$(now)"
  mkdir -p "$LOGS" "$RUN"
  if [[ "${INFRA_SKIP_INSTALL:-0}" != 1 ]]; then
    "$HERE/install.sh" || die "install.sh failed"
  fi
  local -A started=()
  for part in "${PARTS[@]}"; do
    pid="$(our_pid "$part")"
    if [[ -n "$pid" ]]; then
      local was; was="$(cat "$RUN/$part.ports" 2>/dev/null || true)"
      [[ -z "$was" || "$was" == "$(ports_of "$part")" ]] ||
        die "$part: already running (pid $pid) on port(s) $was, but port(s) $(ports_of "$part") are configured; run '$0 down' first"
      if healthy "$part"; then
        log "$part: already running and healthy (pid $pid), left alone"
      else
        log "$part: already running (pid $pid), waiting for it to become healthy"
        started[$part]="$pid"
      fi
      continue
    fi
    for port in $(ports_of "$part"); do
      port_open "$port" && die "$part: port $port is already in use by a process that is not ours (no live pid in $(pidfile "$part")); stop it or set another port"
    done
    log "$part: starting"
    started[$part]="$("start_$part")"
  done
  for part in "${PARTS[@]}"; do
    [[ -n "${started[$part]:-}" ]] && wait_healthy "$part" "${started[$part]}"
  done
  log "up: all parts healthy in $(elapsed "$t0")"
}

stop_part() {
  local part="$1" pid grace
  pid="$(our_pid "$part")"
  if [[ -z "$pid" ]]; then
    log "$part: not running"; rm -f "$(pidfile "$part")" "$RUN/$part.ports"; return 0
  fi
  grace=15; [[ "$part" == kafka ]] && grace=60   # Kafka needs time for a controlled shutdown
  log "$part: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$part: still alive after ${grace}s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$(pidfile "$part")" "$RUN/$part.ports"
  log "$part: stopped"
}

cmd_down() {
  local part
  for part in ferretdb temporal kafka; do stop_part "$part"; done
}

cmd_status() {
  local part pid state all=0
  for part in "${PARTS[@]}"; do
    pid="$(our_pid "$part")"
    if [[ -n "$pid" ]] && healthy "$part"; then
      state=running
    elif [[ -n "$pid" ]]; then
      state=unhealthy; all=3
    else
      state=stopped; pid=-; all=3
    fi
    printf '%-9s %-9s pid %-8s port %-11s log %s\n' "$part" "$state" "$pid" "$(ports_of "$part" | tr ' ' ',')" "$(logfile "$part")"
  done
  return "$all"
}

cmd_env() {
  cat <<EOF
export TEMPORAL_ADDRESS=$HOST:$TEMPORAL_PORT
export TEMPORAL_UI_URL=http://$HOST:$TEMPORAL_UI_PORT
export KAFKA_BROKERS=$HOST:$KAFKA_PORT
export MONGO_URL=mongodb://$HOST:$MONGO_PORT
export TEMPORAL_TEST_SERVER_PATH=$TOOLS/bin/temporal-test-server
EOF
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
