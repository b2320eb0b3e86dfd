#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/harden-ci.sh LISTFILE [PHASE...]
#
# The hardening phases of `contrib/setup.sh test` (issue 8), run after
# the normal -Werror build and `make check` in the source tree:
#
#   asan      the whole test suite (make check) in an ASan+UBSan build:
#             clang, -fno-sanitize-recover=all, leak detection on; a VPATH
#             build in build/asan/src/build-asan of a `make distdir` copy
#             (automake refuses a VPATH build of a source tree that is
#             configured in place, as the normal build's tree is)
#   valgrind  the integration tests again, every plugin run under valgrind
#             ($MAILDNS_VALGRIND, tests/lib/harness.py): a memory error or
#             a definite/indirect leak exits 99 and fails the file's
#             "O-04 valgrind" case; the tests run two at a time
#   fuzz      `make fuzz`, then tests/fuzz/run.sh: every target replays its
#             corpus and fuzzes for $FUZZ_SECONDS (default 60) s; two
#             halves of the target list run side by side
#   static    cppcheck (warning, portability, performance) on common/,
#             plugins/ and tests/fuzz/; tests/check-parser-hygiene.py
#             (O-02); clang's scan-build over the build of a `make
#             distdir` copy (library and plugins); clang-format drift
#             of every tracked C file; the SPDX line of every source
#             file (tests/check-licence.py)
#   ids       tests/check-hostile-ids.py: no catalogue row without a test
#   staticfull  the plugins built with --enable-static-plugins=full (issue
#             10's fastest build: libc, ldns, OpenSSL, libpsl all linked
#             in) from a `make distdir` copy, and the four plugins'
#             integration tests run against that build
#
# Default: every phase. Each phase writes its logs under build/<phase>/
# and appends to LISTFILE one line per result for test-summary.py:
#   log PATH            an automake-style PATH.log + PATH.trs (TAP cases)
#   extra NAME=PASS     one case; NAME=FAIL:LOGFILE when it failed
# and its wall time to build/hardening-times.txt. Exit status 0: failures
# are counted by the summary, not here.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
list=${1:?usage: $0 LISTFILE [asan|valgrind|fuzz|static|ids|staticfull]...}
shift
phases=("$@")
[ "${#phases[@]}" -gt 0 ] || phases=(asan valgrind fuzz static ids staticfull)
PYTHON3=/usr/bin/python3
[ -x "$PYTHON3" ] || PYTHON3=python3
jobs=2
: >"$list"
mkdir -p build
times=build/hardening-times.txt
: >"$times"

SAN_CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
VALGRIND="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect -q"

extra() { echo "extra $1" >>"$list"; }
addlog() { echo "log $1" >>"$list"; }

# A copy of the distributed sources under DIR (what `make distcheck` builds).
distcopy() {
	rm -rf "$1"
	mkdir -p "$(dirname "$1")"
	make distdir distdir="$1" >/dev/null
}

# tap FILE-STEM NAME CMD...: run CMD (printing TAP) through automake's TAP
# driver, so its cases land in FILE-STEM.log/.trs like make check's.
tap() {
	local stem=$1 name=$2
	shift 2
	mkdir -p "$(dirname "$stem")"
	AM_TAP_AWK=awk bash build-aux/tap-driver.sh --test-name "$name" \
		--log-file "$stem.log" --trs-file "$stem.trs" --color-tests no \
		--enable-hard-errors yes --expect-failure no -- "$@" >/dev/null
	addlog "$stem.log"
}

phase_asan() {
	local d=build/asan log=build/asan/build.log logs l
	mkdir -p "$d"
	if ! { distcopy "$d/src" &&
		mkdir -p "$d/src/build-asan" &&
		(cd "$d/src/build-asan" &&
			../configure CC=clang CFLAGS="$SAN_CFLAGS" &&
			make -j"$jobs"); } >"$log" 2>&1; then
		extra "asan build=FAIL:$log"
		return
	fi
	# Every leak, every UBSan finding is fatal; the suite's own cases fail
	# on the exit status and stderr the sanitizers leave.
	(cd "$d/src/build-asan" &&
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		make -j"$jobs" check) >"$d/check.log" 2>&1
	logs=$(cd "$d/src/build-asan" && make -s rig-test-logs)
	for l in $logs; do
		addlog "$d/src/build-asan/$l"
	done
}

# The integration tests under valgrind, in the normal build (valgrind
# cannot run ASan binaries). Every file of tests/integration/ plus the
# plugin runtime's test; test_dnsserver.py runs no plugin.
phase_valgrind() {
	local d=build/valgrind t name
	mkdir -p "$d"
	for t in tests/integration/test_*.py tests/unit/test_plugin_runtime.py; do
		name=$(basename "$t" .py)
		[ "$name" = test_dnsserver ] && continue
		echo "$name $t"
	done | VG_TOP=$top VG_CMD=$VALGRIND VG_DIR=$d VG_PY=$PYTHON3 \
		xargs -P "$jobs" -n 2 sh -c '
		AM_TAP_AWK=awk top_srcdir="$VG_TOP" top_builddir="$VG_TOP" \
		MAILDNS_VALGRIND="$VG_CMD" bash build-aux/tap-driver.sh \
			--test-name "valgrind/$0" --log-file "$VG_DIR/$0.log" \
			--trs-file "$VG_DIR/$0.trs" --color-tests no \
			--enable-hard-errors yes --expect-failure no -- \
			"$VG_PY" "$1" >/dev/null'
	for t in "$d"/*.trs; do
		[ -f "$t" ] && addlog "${t%.trs}.log"
	done
}

phase_fuzz() {
	local d=build/fuzz secs=${FUZZ_SECONDS:-60} names half a b
	mkdir -p "$d"
	if ! make -j"$jobs" fuzz >"$d/build.log" 2>&1; then
		extra "make fuzz=FAIL:$d/build.log"
		return
	fi
	names=($(make -s fuzz-names))
	half=$(( (${#names[@]} + 1) / 2 ))
	a=("${names[@]:0:$half}")
	b=("${names[@]:$half}")
	FUZZ_OUT=$d/out top_srcdir=$top top_builddir=$top \
		tap "$d/run-1" fuzz-1 bash tests/fuzz/run.sh "${a[@]}" "$secs" &
	FUZZ_OUT=$d/out top_srcdir=$top top_builddir=$top \
		tap "$d/run-2" fuzz-2 bash tests/fuzz/run.sh "${b[@]}" "$secs"
	wait
}

phase_static() {
	local d=build/static
	mkdir -p "$d"
	# Style checks are off: on this code they are scope preferences and
	# value-flow false positives ("i < len is always false" for a length
	# that is not known); warning/portability/performance must be empty.
	# cppcheck reads no system header: -Dnoreturn tells it what
	# <stdnoreturn.h> says, so a NULL check before plugin_die() is not
	# taken for a NULL dereference after it.
	if cppcheck -q --std=c11 --enable=warning,portability,performance \
	    --error-exitcode=1 --inline-suppr \
	    "-Dnoreturn=__attribute__((noreturn))" -I common -I plugins \
	    --include=config.h common plugins tests/fuzz/*.c >"$d/cppcheck.log" 2>&1 &&
	    [ ! -s "$d/cppcheck.log" ]; then
		extra "cppcheck=PASS"
	else
		extra "cppcheck=FAIL:$d/cppcheck.log"
	fi
	# One code format: every tracked C file as .clang-format says
	if git ls-files '*.c' '*.h' | xargs clang-format --style=file --dry-run --Werror \
	    >"$d/clang-format.log" 2>&1; then
		extra "clang-format=PASS"
	else
		extra "clang-format=FAIL:$d/clang-format.log"
	fi
	# Every source file under the project's licence (SPDX line)
	if top_srcdir=$top "$PYTHON3" tests/check-licence.py >"$d/licence.log" 2>&1; then
		extra "licence headers=PASS"
	else
		extra "licence headers=FAIL:$d/licence.log"
	fi
	# O-02: no assert/alloca/VLA/atoi, a fuzz target per parser (TAP)
	top_srcdir=$top top_builddir=$top \
		tap "$d/parser-hygiene" parser-hygiene "$PYTHON3" tests/check-parser-hygiene.py
	if { distcopy "$d/src" &&
		(cd "$d/src" && scan-build -o ../report ./configure &&
			scan-build -o ../report --status-bugs make -j"$jobs"); } \
	    >"$d/scan-build.log" 2>&1; then
		extra "scan-build=PASS"
	else
		extra "scan-build=FAIL:$d/scan-build.log"
	fi
}

phase_ids() {
	local log=build/hostile-ids.log
	if top_srcdir=$top "$PYTHON3" tests/check-hostile-ids.py >"$log" 2>&1; then
		extra "hostile-inputs IDs covered=PASS"
	else
		# the uncovered IDs are the log; the summary shows its lines
		sed -i 's/^\([A-Z][A-Z-]*[0-9][0-9]\)$/error: no test names \1/' "$log"
		extra "hostile-inputs IDs covered=FAIL:$log"
	fi
}

# A feature of configure is only kept working by using it: the fully
# static build links against archives the shared build never touches
# (libc.a, libidn2.a ...), so its plugins run the record plugins' tests.
phase_staticfull() {
	local d=build/staticfull log=build/staticfull/build.log t
	local tests="tests/integration/test_mx.py tests/integration/test_spf_eval.py
		tests/integration/test_dkim.py tests/integration/test_dmarc.py"
	mkdir -p "$d"
	if ! { distcopy "$d/src" &&
		mkdir -p "$d/src/build" &&
		(cd "$d/src/build" &&
			../configure --enable-static-plugins=full &&
			make -j"$jobs" &&
			file plugins/check_spf | grep -q 'statically linked'); } >"$log" 2>&1; then
		extra "static-plugins-full build=FAIL:$log"
		return
	fi
	extra "static-plugins-full build=PASS"
	# shellcheck disable=SC2086 # one word per test
	(cd "$d/src/build" && make -j"$jobs" check TESTS="$(echo $tests)") \
		>"$d/check.log" 2>&1
	for t in $tests; do
		addlog "$d/src/build/${t%.py}.log"
	done
}

for p in "${phases[@]}"; do
	start=$(date +%s)
	echo "hardening: $p (logs: build/$p*)"
	"phase_$p"
	echo "$p $(( $(date +%s) - start ))s" | tee -a "$times"
done
exit 0
