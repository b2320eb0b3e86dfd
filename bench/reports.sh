#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/reports.sh [RUNS]: check_dmarc_reports over a directory of 10,000
# reports made from the real ones (bench/reports.py), with the default
# -t (10 s), on this machine's cores; not part of make check. Run from
# the top of a built tree (or set BUILDDIR). Prints a Markdown table of
# the medians of RUNS runs (default 5): wall and CPU seconds, peak RSS,
# and the plugin's own first line. Own sources are given with --ip, so
# the run asks DNS nothing (-s points at a port nobody answers on).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BUILDDIR=${BUILDDIR:-$(pwd)}
OUT=${OUT:-$here/out}
RUNS=${1:-5}
plugin=$BUILDDIR/plugins/check_dmarc_reports
[ -x "$plugin" ] || { echo "bench/reports.sh: no $plugin (set BUILDDIR)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench/reports.sh: needs /usr/bin/time (Debian: time)" >&2; exit 2; }

dir=$OUT/reports
rm -rf "$dir"
python3 "$here/reports.py" "$dir" 10000 >&2

# cold: the page cache dropped first when we may (root), then warm runs
sync
[ "$(id -u)" = 0 ] && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
i=0
: >"$OUT/reports.runs"
while [ "$i" -le "$RUNS" ]; do
	/usr/bin/time -f '%e %U %S %M' -o "$OUT/reports.time" \
		"$plugin" -D bench.example --dir "$dir" --ip 192.0.2.0/24 --since 2d \
		-s 127.0.0.1 -p 9 >"$OUT/reports.out" || true
	# GNU time puts "Command exited with non-zero status N" first: the
	# plugin exits 1 or 2 when the reports say so
	echo "$(tail -n 1 "$OUT/reports.time") $([ "$i" = 0 ] && echo cold || echo warm)" >>"$OUT/reports.runs"
	i=$((i + 1))
done
first=$(head -1 "$OUT/reports.out")
python3 - "$OUT/reports.runs" "$first" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
cold = rows[0]
warm = rows[1:]
med = lambda k: statistics.median(float(r[k]) for r in warm)
print('| run | wall s | CPU s (user+sys) | peak RSS MiB |')
print('|---|---|---|---|')
print('| cold cache (first) | %s | %.2f | %.1f |' % (cold[0], float(cold[1]) + float(cold[2]), int(cold[3]) / 1024))
print('| warm, median of %d | %.2f | %.2f | %.1f |' % (len(warm), med(0), med(1) + med(2), med(3) / 1024))
print()
print('first line: `%s`' % sys.argv[2][:400])
PY
