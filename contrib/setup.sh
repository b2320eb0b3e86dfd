#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/setup.sh demo | test
#
#   demo  install what is missing, build, serve a demo mail domain from a
#         local NSD on a free loopback port and run every plugin against it
#   test  install what is missing, build with -Werror, run `make check`
#         (unit and integration tests) and `make distcheck` (not with
#         MAILDNS_NO_DISTCHECK=1), then the hardening phases of
#         contrib/harden-ci.sh (the suite under ASan+UBSan, the integration
#         tests under valgrind, fuzzing, cppcheck and scan-build, catalogue
#         coverage; pick some with MAILDNS_HARDENING="asan fuzz ...", none
#         with "none"), and end with one line: `N passed, M failed` (every
#         TAP case of every test and phase; make distcheck counts as one)
#
# Both are idempotent: re-running reuses the existing build. Run from
# anywhere; the build is in the source tree.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
PYTHON3=/usr/bin/python3
[ -x "$PYTHON3" ] || PYTHON3=python3
jobs=2

usage() {
	echo "usage: $0 demo|test" >&2
	exit 2
}

deps() {
	bash contrib/install-deps.sh
}

# build CONFIGURE-ARGS...: (re)configure only when the tree has never been
# configured or was configured with other arguments; `make` regenerates
# the rest itself when Makefile.am or configure.ac change. Every step
# says `|| return` because callers test build's status, and errexit does
# not apply inside a function called as a condition.
build() {
	local want have
	if [ ! -x configure ] || [ ! -f Makefile.in ]; then
		autoreconf -fi || return
	fi
	want="$*"
	have=
	if [ -x config.status ]; then
		have=$(./config.status --config | tr -d "'")
	fi
	if [ ! -f Makefile ] || [ "$have" != "$want" ]; then
		./configure "$@" || return
	fi
	make -j"$jobs" || return
}

# Kill the demo's NSD if demo.py could not (it was killed itself). The pid
# file names NSD's process group; check it is still NSD before signalling.
demo_pidfile=build/demo/nsd.pid
stop_demo_nsd() {
	local pid
	[ -f "$demo_pidfile" ] || return 0
	pid=$(cat "$demo_pidfile")
	if [ -n "$pid" ] && grep -q nsd "/proc/$pid/cmdline" 2>/dev/null; then
		kill -TERM -- "-$pid" 2>/dev/null || true
	fi
	rm -f "$demo_pidfile"
}

cmd_demo() {
	deps
	if [ -f Makefile ]; then
		make -j"$jobs"      # keep whatever configuration is there
	else
		build
	fi
	trap stop_demo_nsd EXIT
	"$PYTHON3" contrib/demo.py
}

cmd_test() {
	local log rc=0 logs extra=()
	deps
	mkdir -p build
	log=build/build.log
	echo "building (log: $log)"
	if ! build --enable-werror >"$log" 2>&1; then
		# The error lines (compiler, configure, make), else the end.
		if ! grep -Ei '\berror\b|\*\*\*' "$log" | tail -n 40; then
			tail -n 30 "$log"
		fi
		echo "build failed: see $log"
		echo "0 passed, 1 failed"
		exit 1
	fi
	make -j"$jobs" check || rc=$?
	logs=$(make -s rig-test-logs)

	# distcheck: the tarball builds warning-free out of tree and its tests
	# pass too (run from the unpacked, read-only sources). Skipped when
	# make check already failed: it would only fail again, slowly, and
	# when MAILDNS_NO_DISTCHECK=1 (a quicker run while developing).
	if [ "${MAILDNS_NO_DISTCHECK:-0}" = 1 ]; then
		echo "make distcheck skipped: MAILDNS_NO_DISTCHECK=1"
	elif [ "$rc" -eq 0 ]; then
		echo "make distcheck (log: build/distcheck.log)"
		if make -j"$jobs" distcheck >build/distcheck.log 2>&1; then
			extra=(--extra "make distcheck=PASS")
		else
			extra=(--extra "make distcheck=FAIL:build/distcheck.log")
		fi
	else
		echo "make distcheck skipped: make check failed"
	fi
	# Hardening (issue 8): each phase's cases join the summary below.
	local hlist=build/hardening.list kind arg phases
	phases=${MAILDNS_HARDENING:-}
	if [ "$phases" != none ]; then
		# shellcheck disable=SC2086 # the phase list is one word per phase
		bash contrib/harden-ci.sh "$hlist" $phases || true
		while read -r kind arg; do
			case $kind in
			log) logs="$logs $arg" ;;
			extra) extra+=(--extra "$arg") ;;
			esac
		done <"$hlist"
	fi
	rc=0
	# shellcheck disable=SC2086 # the log list is one word per test
	"$PYTHON3" contrib/test-summary.py . $logs "${extra[@]}" || rc=$?
	exit "$rc"
}

[ "$#" -eq 1 ] || usage
case "$1" in
demo) cmd_demo ;;
test) cmd_test ;;
*) usage ;;
esac
