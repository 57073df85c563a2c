#!/usr/bin/env bash
# The README's promise on a machine that really is fresh: an empty Debian
# (debootstrap: Python, make and CA certificates, nothing else) gets a copy of
# the checkout; there
#   1. `make run` as an ordinary user stops first, with the apt-get line;
#   2. `make run` as root installs the Debian packages and the virtual
#      environment, then serves the form (the host curls it);
#   3. the end-to-end access request runs against it (tests/e2e/full_flow.py,
#      driven from the host's chromium: the browser is the subject's, the
#      desk is the fresh machine's), and the PDF downloaded holds the data;
#   4. Ctrl-C (SIGINT to make's process group) stops every process;
#   5. `make test BROWSER=no` runs the tests that need no browser (with
#      FRESH_TESTS=odd or even, every other test module).
# FRESH_FLOW=no leaves out 2 to 4: `make test` then installs the Debian
# packages and the virtual environment itself (the README's second command
# on a fresh machine).
#
# Usage: .ci/fresh_debian.sh SUITE      (bookworm = Debian 12, trixie = 13)
#
# The base made by debootstrap is cached under $DSAR_CI_CACHE/SUITE (keyed by
# suite, mirror and package list), with pip's and apt's downloads beside it;
# each run starts from a fresh copy in $DSAR_CI_WORK/SUITE. Both live outside
# the checkout. Needs root (debootstrap, chroot, mounts).
set -euo pipefail
suite=${1:?usage: $0 SUITE (bookworm, trixie)}
src=$(cd "$(dirname "$0")/.." && pwd)
cache="${DSAR_CI_CACHE:-/var/cache/dsar-ci}/$suite"
work="${DSAR_CI_WORK:-/var/tmp/dsar-ci}/$suite"
root="$work/root"
app=/srv/dsar
case "$suite" in bookworm) default_port=8791 ;; trixie) default_port=8792 ;; *) default_port=8793 ;; esac
port="${FRESH_PORT:-$default_port}"
site="http://127.0.0.1:$port"
# What a fresh machine has before anyone runs make: see the README's first lines.
include=python3,make,ca-certificates
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

log() { printf '\n=== [%s] %s ===\n' "$suite" "$*"; }
timings=()
step="" step_start=0
timed() { # timed LABEL COMMAND...: run it (set -e still applies), remember how long it took
  step=$1 step_start=$SECONDS
  shift
  "$@"
  timings+=("$(printf '%-44s %4d s' "$step" $((SECONDS - step_start)))")
  step=""
}

# The Debian mirror this machine's apt uses (no other host is contacted).
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | awk '/^(deb|URIs:)[[:space:]]/ { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) print $i }' \
  | grep -m1 '/debian/\?$' || true)
mirror=${mirror:-http://deb.debian.org/debian}

command -v debootstrap >/dev/null || {
  log "installing debootstrap"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

build_base() {
  local key="$suite $mirror minbase $include"
  if [ -f "$cache/base.key" ] && [ "$(cat "$cache/base.key")" = "$key" ] && [ -x "$cache/base/usr/bin/python3" ]; then
    echo "cached base: $cache/base ($key)"
    return
  fi
  log "debootstrap $suite from $mirror"
  rm -rf "$cache/base" "$cache/base.new" "$cache/base.key"
  mkdir -p "$cache"
  debootstrap --variant=minbase --include="$include" "$suite" "$cache/base.new" "$mirror" >"$cache/debootstrap.log" 2>&1 || {
    tail -20 "$cache/debootstrap.log"
    return 1
  }
  mv "$cache/base.new" "$cache/base"
  echo "$key" >"$cache/base.key"
}

mounted=()
mount_in() { # mount_in ROOT-RELATIVE-TARGET MOUNT-ARGS...
  local target="$root$1"
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted=("$target" "${mounted[@]}")
}

cleanup() {
  # Each step's time, also when one failed; then whatever still runs inside
  # the root (a failed step's processes), then the mounts.
  [ -z "$step" ] || timings+=("$(printf '%-44s %4d s FAILED' "$step" $((SECONDS - step_start)))")
  printf '  %s\n' "${timings[@]}"
  local pid
  for pid in /proc/[0-9]*; do
    [ "$(readlink "$pid/root" 2>/dev/null)" = "$root" ] && kill -KILL "${pid#/proc/}" 2>/dev/null || true
  done
  sleep 0.5
  for target in "${mounted[@]}"; do
    umount "$target" 2>/dev/null || umount -l "$target" || true
  done
  mounted=()
}
trap cleanup EXIT

fresh_root() {
  rm -rf "$work" && mkdir -p "$work" "$cache/pip" "$cache/apt"
  cp -a "$cache/base" "$root"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # What Debian's installer writes and debootstrap does not: without it
  # "localhost" (Django's live test server) does not resolve.
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
  # The host's own certificate authorities (e.g. a TLS-inspecting egress
  # proxy): the root uses the host's network, so it trusts what the host trusts.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    # Appended to the bundle OpenSSL and pip read (update-ca-certificates
    # would rehash every certificate: minutes on two busy cores).
    cat /usr/local/share/ca-certificates/*.crt >>"$root/etc/ssl/certs/ca-certificates.crt"
  fi
  mkdir -p "$root$app"
  # The checkout as git sees it: tracked and new files, nothing ignored (no
  # .venv, no var/), so the root starts as a fresh clone would.
  (cd "$src" && git ls-files -z --cached --others --exclude-standard \
    | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$root$app"
  mount_in /proc -t proc proc
  mount_in /sys -t sysfs sysfs
  mount_in /dev --bind /dev
  mount_in /dev/pts --bind /dev/pts
  # Downloads kept between runs of this machine: the packages are the same, the install is fresh.
  mount_in /root/.cache/pip --bind "$cache/pip"
  mount_in /var/cache/apt/archives --bind "$cache/apt"
}

in_root() { # in_root [--userspec=U:G] COMMAND: COMMAND in the checkout, in a clean environment
  local user=()
  [[ "${1:-}" == --userspec=* ]] && { user=("$1"); shift; }
  # --default-signal=INT: Ctrl-C reaches the command as in a terminal even
  # when CI itself was started with SIGINT ignored (a background job of a
  # shell without job control: ignored signals are inherited, and Python
  # then never raises KeyboardInterrupt).
  chroot "${user[@]}" "$root" /usr/bin/env -i --default-signal=INT HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PORT="$port" SITE_URL="$site" \
    /bin/sh -c "cd $app && $1"
}

refuses_as_user() {
  local out status=0
  out=$(in_root --userspec=65534:65534 "make run" 2>&1) || status=$?
  local line
  line="sudo apt-get install $(in_root "scripts/system-deps list venv pdf")"
  echo "$out"
  if [ "$status" = 0 ] || ! grep -qF "$line" <<<"$out" || grep -q Traceback <<<"$out"; then
    echo "make run as a user should stop first with: $line"
    return 1
  fi
}

run_pid=""
start_and_wait_for_form() {
  # Job control on: its own process group, as a terminal's foreground job
  # has, and SIGINT not ignored (a script's background jobs ignore it
  # otherwise, and Python then never raises KeyboardInterrupt).
  set -m
  in_root 'exec make run' >"$work/run.log" 2>&1 &
  run_pid=$!
  set +m
  local deadline=$((SECONDS + 900))
  until curl -fsS "$site/" -o "$work/form.html" 2>/dev/null && grep -q '<form' "$work/form.html"; do
    if ! kill -0 "$run_pid" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
      echo "make run did not serve the form; its last lines:"
      tail -40 "$work/run.log"
      return 1
    fi
    sleep 2
  done
  grep -E "Installing the Debian packages|DSAR desk is starting" "$work/run.log" || true
}

access_request() {
  local var="$root$app/var"
  if ! "$src/.venv/bin/python" "$src/tests/e2e/full_flow.py" --base "$site" --outbox "$var/outbox" \
    --password="$(cat "$var/.dpo-password")" --shots "$work/shots"; then
    echo "full flow failed; last lines of make run:"
    tail -60 "$work/run.log"
    return 1
  fi
  pdftotext "$work"/shots/DSAR-*.pdf "$work/copy.txt"
  grep -q "C-100042" "$work/copy.txt" || { echo "the PDF lacks the demo subject's data"; return 1; }
}

ctrl_c_stops_all() {
  # What Ctrl-C does in a terminal: SIGINT to make's whole process group.
  kill -INT -- "-$run_pid"
  local deadline=$((SECONDS + 30)) pid left
  while kill -0 "$run_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
  sleep 1
  left=""
  for pid in /proc/[0-9]*; do
    [ "$(readlink "$pid/root" 2>/dev/null)" = "$root" ] && left="$left $(tr '\0' ' ' <"$pid/cmdline")"
  done
  if kill -0 "$run_pid" 2>/dev/null || [ -n "$left" ]; then
    echo "still running after Ctrl-C:$left"
    return 1
  fi
  echo "web, worker and beat stopped"
}

lean_tests() {
  # The browser tests are the host's (.ci/run); xdist's two workers use the two cores.
  # FRESH_TESTS=odd or even: every other test module (sorted by path), the
  # other half being left to the other root (.ci/run says which).
  local modules="" parity
  case "${FRESH_TESTS:-all}" in
    all) ;;
    odd) parity=1 ;;
    even) parity=0 ;;
    *) echo "FRESH_TESTS is all, odd or even, not ${FRESH_TESTS}"; return 1 ;;
  esac
  if [ -n "${parity:-}" ]; then
    modules=$(cd "$src" && find tests -name 'test_*.py' | sort | awk -v p="$parity" 'NR % 2 == p' | tr '\n' ' ')
  fi
  in_root "make test BROWSER=no PYTEST_ARGS='-q -n 2 -p no:randomly $modules'" >"$work/test.log" 2>&1 || {
    tail -80 "$work/test.log"
    return 1
  }
  tail -3 "$work/test.log"
}

start=$SECONDS
timed "base (debootstrap, or the cached one)" build_base
timed "fresh copy of the base and the checkout" fresh_root
log "make run as an ordinary user: stops first, with the apt-get line"
timed "make run as a user (refused)" refuses_as_user
case "${FRESH_FLOW:-yes}" in
  yes)
    log "make run as root: Debian packages, .venv, migrate, demo, serve"
    timed "make run until the form answers" start_and_wait_for_form
    log "the access request end to end against it"
    timed "end-to-end access request" access_request
    log "Ctrl-C"
    timed "Ctrl-C stops web, worker and beat" ctrl_c_stops_all
    ;;
  no) ;;
  *) echo "FRESH_FLOW is yes or no, not ${FRESH_FLOW}"; exit 1 ;;
esac
log "make test BROWSER=no"
timed "make test BROWSER=no (-n 2)" lean_tests
log "Debian $suite: passed in $((SECONDS - start)) s"
