#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/run.sh [RUNS]: the performance benchmark of issue 10 (not part of
# make check). Needs root (network namespace, bind mount, apt-get) and a
# built tree: run it from the top of the build directory, or set BUILDDIR.
# STATIC_BUILDDIR, if set, is a second build configured with
# --enable-static-plugins, benchmarked beside the first; NOPIE_BUILDDIR a
# third, configured with --enable-static-plugins LDFLAGS=-no-pie;
# FULL_BUILDDIR a fourth, configured with --enable-static-plugins=full.
#
# Installs the peers from Debian when missing, starts NSD on 127.0.0.2:53
# and a logging forwarder on 127.0.0.1:53 inside a fresh network namespace
# (so port 53 and /etc/resolv.conf are ours alone), runs every tool RUNS
# times (default 51) for wall/CPU/peak-RSS medians and once through the
# forwarder with 20 ms of delay each way for queries and round trips.
# Output: the Markdown table on stdout, raw data in $OUT/results.json
# (default bench/out).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BUILDDIR=${BUILDDIR:-$(pwd)}
OUT=${OUT:-$here/out}
RUNS=${1:-51}
NS=mdbench$$

[ "$(id -u)" = 0 ] || { echo "bench/run.sh: needs root (ip netns, mount)" >&2; exit 2; }
[ -x "$BUILDDIR/plugins/check_spf" ] || { echo "bench/run.sh: no plugins in $BUILDDIR (set BUILDDIR)" >&2; exit 2; }

# Peers and tools, by Debian package: command.
need="spfquery:spfquery.libspf2 python3-spf:/usr/lib/python3/dist-packages/spf.py
spf-tools-perl:spfquery.mail-spf-perl monitoring-plugins-standard:/usr/lib/nagios/plugins/check_dig
bind9-dnsutils:dig python3-dns:/usr/lib/python3/dist-packages/DNS
opendkim-tools:opendkim-testkey opendmarc:opendmarc-check nsd:nsd
iproute2:ip valgrind:valgrind openssl:openssl libldns-dev:/usr/include/ldns/ldns.h
libssl-dev:/usr/include/openssl/evp.h"
missing=
for pc in $need; do
	pkg=${pc%%:*} cmd=${pc#*:}
	case $cmd in
	/*) [ -e "$cmd" ] || missing="$missing $pkg" ;;
	*) command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg" ;;
	esac
done
if [ -n "$missing" ]; then
	echo "bench/run.sh: installing$missing" >&2
	apt-get update -qq
	# policy-rc.d keeps opendmarc's and nsd's daemons from starting
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2
fi

mkdir -p "$OUT"
ip netns add "$NS"
trap 'ip netns del "$NS" 2>/dev/null || true' EXIT INT TERM
ip netns exec "$NS" ip link set lo up
# ip netns exec gives the command its own mount namespace: bench.py bind
# mounts its resolv.conf over /etc/resolv.conf there only.
builds="shared=$BUILDDIR"
[ -z "${STATIC_BUILDDIR:-}" ] || builds="$builds static=$STATIC_BUILDDIR"
[ -z "${NOPIE_BUILDDIR:-}" ] || builds="$builds static,no-pie=$NOPIE_BUILDDIR"
[ -z "${FULL_BUILDDIR:-}" ] || builds="$builds full-static=$FULL_BUILDDIR"
# nice: the machine may be shared; the timed tools and NSD run ahead of
# other work so that wall times measure them, not the queue for a CPU.
ip netns exec "$NS" nice -n -10 /usr/bin/python3 "$here/bench.py" "$OUT" "$RUNS" $builds \
	| tee "$OUT/table.md"
