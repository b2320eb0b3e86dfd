#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/fuzz/run.sh TARGET... SECONDS
#
# For each target (spf_parse, fuzz_spf_parse or a path to the binary):
# replay its checked-in corpus tests/fuzz/corpus/<target>/ (every input
# once), then fuzz for SECONDS starting from that corpus. New inputs go
# to a scratch directory, never into the checked-in corpus; a crash, leak,
# sanitizer report or timeout leaves its reproducer under
# $FUZZ_OUT (default: tests/fuzz/out/ in the build tree) and fails.
#
# Prints TAP (two cases per target: replay, fuzz) so CI can count them;
# exit status 1 on any finding. SECONDS 0: replay only.
# Binaries are looked for in $top_builddir/tests/fuzz/libfuzzer (default: the
# current directory's tests/fuzz, else next to this script); build them
# with `make fuzz`.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
builddir=${top_builddir:-.}
[ -d "$builddir/tests/fuzz" ] || builddir=$(cd "$here/../.." && pwd)

if [ "$#" -lt 2 ]; then
	echo "usage: $0 TARGET... SECONDS" >&2
	exit 2
fi
secs=${!#}
case $secs in
''|*[!0-9]*) echo "$0: SECONDS must be a number - $secs" >&2; exit 2 ;;
esac
out=${FUZZ_OUT:-$builddir/tests/fuzz/out}
mkdir -p "$out"

n=0
bad=0
tap() {   # tap OK|FAIL NAME [LOG]
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n - $2"
	else
		bad=$((bad + 1))
		echo "not ok $n - $2"
		if [ -n "${3:-}" ] && [ -f "$3" ]; then
			# the sanitizer's or libFuzzer's own words
			grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==|Test unit written|artifact|Timeout|out-of-memory|leak' "$3" |
				head -n 30 | sed 's/^/# /'
		fi
	fi
}

for arg in "${@:1:$#-1}"; do
	name=${arg##*/}
	name=${name#fuzz_}
	bin=$arg
	[ -x "$bin" ] && [ -f "$bin" ] || bin=$builddir/tests/fuzz/libfuzzer/fuzz_$name
	corpus=$srcdir/tests/fuzz/corpus/$name
	log=$out/$name.log
	if [ ! -x "$bin" ]; then
		tap FAIL "fuzz_$name: not built ($bin; run make fuzz)"
		continue
	fi
	if [ ! -d "$corpus" ]; then
		tap FAIL "fuzz_$name: no corpus at $corpus"
		continue
	fi
	count=$(find "$corpus" -type f | wc -l)
	# -runs=0 executes every corpus input once and stops.
	if "$bin" -runs=0 -rss_limit_mb=2048 -timeout=20 \
	    -artifact_prefix="$out/$name-" "$corpus" >"$log.replay" 2>&1; then
		tap OK "fuzz_$name: replay of $count corpus inputs"
	else
		tap FAIL "fuzz_$name: replay of $count corpus inputs (log: $log.replay)" "$log.replay"
	fi
	[ "$secs" -gt 0 ] || continue
	work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$name.XXXXXX")
	start=$(date +%s)
	if "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 \
	    -print_final_stats=1 -artifact_prefix="$out/$name-" \
	    "$work" "$corpus" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		tap OK "fuzz_$name: fuzzed $(( $(date +%s) - start )) s, ${runs:-?} runs, no finding"
	else
		tap FAIL "fuzz_$name: finding after $(( $(date +%s) - start )) s (log: $log)" "$log"
	fi
	rm -rf "$work"
done
echo "1..$n"
[ "$bad" -eq 0 ]
