#!/usr/bin/env bash
# Starts, stops or reports a local Docker engine for the containers backend.
#
#   scripts/docker-engine.sh start    # use the engine that answers, or install docker.io and start dockerd
#   scripts/docker-engine.sh stop     # stop the dockerd this script started (by its recorded pid), nothing else
#   scripts/docker-engine.sh status
#
# Debian 12, as root. No image registry is needed: the engine only runs images built by `npm run images:offline`.
# An engine that already answers is left alone and never stopped by this script.
#
# Environment (all optional):
#   DOCKERD_PIDFILE        pid of the dockerd we started   (default /run/cruddur-labs-dockerd.pid)
#   DOCKERD_LOG            its output                      (default /var/log/cruddur-labs-dockerd.log)
#   DOCKERD_START_TIMEOUT  seconds to wait until it answers (default 60)
#   DOCKERD_STOP_TIMEOUT   seconds to wait until it exits   (default 60)
#   DOCKERD_ALLOW_PULLS    1 lets the dockerd we start reach registries (default: pulls fail at once, locally)
set -euo pipefail

PIDFILE=${DOCKERD_PIDFILE:-/run/cruddur-labs-dockerd.pid}
LOG=${DOCKERD_LOG:-/var/log/cruddur-labs-dockerd.log}
START_TIMEOUT=${DOCKERD_START_TIMEOUT:-60}
STOP_TIMEOUT=${DOCKERD_STOP_TIMEOUT:-60}

say() { printf 'docker-engine: %s\n' "$*"; }
die() { printf 'docker-engine: %s\n' "$*" >&2; exit 1; }

engine_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

# Prints the pid recorded in the pid file when that process is still a dockerd (guards against pid reuse).
our_pid() {
  [[ -f $PIDFILE ]] || return 1
  local pid
  pid=$(<"$PIDFILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/comm && $(</proc/"$pid"/comm) == dockerd ]] || return 1
  printf '%s\n' "$pid"
}

drop_stale_pidfile() {
  if [[ -f $PIDFILE ]] && ! our_pid >/dev/null; then
    say "removing stale pid file $PIDFILE (process gone)"
    rm -f "$PIDFILE"
  fi
}

ensure_installed() {
  if command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1; then return; fi
  [[ $(id -u) == 0 ]] || die "dockerd is not installed and installing it needs root: run as root, or install docker.io yourself."
  say "dockerd not found: installing docker.io from the Debian mirror"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  command -v dockerd >/dev/null 2>&1 || die "apt-get installed docker.io but dockerd is still not on PATH ($PATH)."
}

start() {
  drop_stale_pidfile
  local pid
  if pid=$(our_pid); then
    if engine_answers; then say "already running (started by this script, pid $pid)"; return; fi
  elif engine_answers; then
    say "a Docker engine already answers; using it as it is (not started by this script, so stop will leave it alone)"
    return
  else
    [[ $(id -u) == 0 ]] || die "no Docker engine answers and starting dockerd needs root: run this as root."
    ensure_installed
    mkdir -p "$(dirname "$PIDFILE")" "$(dirname "$LOG")"
    # No registry is reachable on these machines: send dockerd's registry traffic to a closed local port, so
    # a pull of a missing image fails at once and locally instead of sending DNS lookups off the machine.
    local proxy=()
    if [[ ${DOCKERD_ALLOW_PULLS:-0} != 1 ]]; then
      proxy=(HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 NO_PROXY= no_proxy=)
    fi
    say "starting dockerd (log: $LOG${proxy:+; registry pulls disabled, DOCKERD_ALLOW_PULLS=1 allows them})"
    # setsid: its own session, so it outlives this shell and is not hit by signals to our process group.
    # env and setsid exec, so $! is dockerd's own pid.
    env "${proxy[@]}" setsid dockerd >>"$LOG" 2>&1 </dev/null &
    pid=$!
    printf '%s\n' "$pid" >"$PIDFILE"
  fi
  local deadline=$((SECONDS + START_TIMEOUT))
  until engine_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PIDFILE"
      die "dockerd (pid $pid) exited before answering. Last lines of $LOG:
$(tail -n 20 "$LOG")"
    fi
    if ((SECONDS >= deadline)); then
      die "dockerd (pid $pid) did not answer \`docker info\` within ${START_TIMEOUT}s; it is still running (stop it with: $0 stop). Last lines of $LOG:
$(tail -n 20 "$LOG")"
    fi
    sleep 0.2
  done
  say "ready: $(docker version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null || echo 'engine answers') (pid $pid)"
}

stop() {
  local pid
  if ! pid=$(our_pid); then
    drop_stale_pidfile
    if engine_answers; then
      say "a Docker engine answers but this script did not start it; leaving it alone"
    else
      say "no dockerd started by this script is running"
    fi
    return
  fi
  say "stopping dockerd (pid $pid)"
  kill -TERM "$pid"
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      die "dockerd (pid $pid) is still running ${STOP_TIMEOUT}s after SIGTERM (it stops its containers first). See $LOG; try again, or kill $pid yourself."
    fi
    sleep 0.2
  done
  rm -f "$PIDFILE"
  say "stopped"
}

status() {
  drop_stale_pidfile
  local pid started_by_us=no
  if pid=$(our_pid); then started_by_us="yes, pid $pid"; fi
  if engine_answers; then
    say "engine answers: $(docker version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null); started by this script: $started_by_us"
  else
    say "no engine answers; started by this script: $started_by_us"
    [[ $started_by_us == no ]] || return 0
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
