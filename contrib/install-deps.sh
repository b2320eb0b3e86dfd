#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Install what building and testing maildns-plugins needs on Debian 12 /
# Ubuntu, and only what is missing: nothing is touched (not even
# `apt-get update`) when everything is there, so re-running is cheap.
#
# Debian's nsd package starts and enables the system NSD on port 53 when
# installed. The tests never use it (they start their own NSD on free
# loopback ports), so a policy-rc.d keeps it from starting during the
# install, and the service is disabled afterwards if we installed it.
set -euo pipefail

PACKAGES=(build-essential autoconf automake libtool pkg-config
	libldns-dev ldnsutils nsd unbound libssl-dev openssl libpsl-dev libidn2-dev publicsuffix libxml2-dev
	check python3 python3-yaml valgrind procps
	icinga2-bin icinga2-common nagios4-core debhelper
	dh-autoreconf lintian mandoc man-db git
	postfix iproute2
	dns-root-data)

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# contrib/setup.sh test's hardening phases: the ASan/UBSan build and the
# libFuzzer targets (clang, its runtime), scan-build, cppcheck.
PACKAGES+=(clang clang-tools libclang-rt-14-dev cppcheck clang-format)
# and its --enable-static-plugins=full build: libpsl's dependencies as
# archives (libc.a comes with build-essential's libc6-dev); file(1)
# tells that the plugins came out static.
PACKAGES+=(libidn2-dev libunistring-dev file)
# The HTTPS fetch of MTA-STS policies and BIMI files (common/https_fetch.c)
# is libcurl's; its tests run their own nginx (own configuration, inside
# a network namespace), so the package's service is kept from starting
# like NSD's.
PACKAGES+=(libcurl4-openssl-dev nginx)
# check_dmarc_reports: archives, mail messages and JSON TLS reports.
PACKAGES+=(libarchive-dev libgmime-3.0-dev libjson-c-dev)

missing=()
for p in "${PACKAGES[@]}"; do
	installed "$p" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
	echo "install-deps: all ${#PACKAGES[@]} packages present"
	exit 0
fi
echo "install-deps: installing ${missing[*]}"

if [ "$(id -u)" -eq 0 ]; then
	as_root=()
elif command -v sudo >/dev/null 2>&1; then
	as_root=(sudo)
else
	echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
	exit 1
fi

policy=/usr/sbin/policy-rc.d
saved=
restore_policy() {
	if [ -n "$saved" ]; then
		"${as_root[@]}" mv -f "$saved" "$policy"
	else
		"${as_root[@]}" rm -f "$policy"
	fi
}
if [ -e "$policy" ]; then
	saved=$(mktemp -u "$policy.maildns.XXXXXX")
	"${as_root[@]}" mv "$policy" "$saved"
fi
trap restore_policy EXIT
# check_mx --smtp's good-path tests run their own Postfix (own config
# directory, inside a network namespace made with iproute2's ip netns):
# the package must not configure or start the system's mail service.
if command -v debconf-set-selections >/dev/null 2>&1; then
	echo 'postfix postfix/main_mailer_type select No configuration' |
		"${as_root[@]}" debconf-set-selections
fi
# 101: "action forbidden by policy" (invoke-rc.d(8)): no service starts.
printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
"${as_root[@]}" chmod 755 "$policy"

"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y --no-install-recommends "${missing[@]}"

restore_policy
trap - EXIT

# Only a service we just installed is ours to disable; one the machine
# already ran is left alone. The tests start their
# own instances on their own ports and addresses.
disable_service() {
	if command -v systemctl >/dev/null 2>&1; then
		"${as_root[@]}" systemctl disable "$1" >/dev/null 2>&1 || true
		if systemctl is-active --quiet "$1" 2>/dev/null; then
			"${as_root[@]}" systemctl stop "$1" || true
		fi
	fi
	if command -v update-rc.d >/dev/null 2>&1; then
		"${as_root[@]}" update-rc.d "$1" disable >/dev/null 2>&1 || true
	fi
	if [ -x "/etc/init.d/$1" ] && "/etc/init.d/$1" status >/dev/null 2>&1; then
		"${as_root[@]}" "/etc/init.d/$1" stop || true
	fi
}
# Services of packages we just installed, as package:service. The
# ecosystem tests run Icinga 2 and Nagios as short-lived instances of
# their own (tests/integration/test_icinga2.py, test_nagios.py).
for pair in nsd:nsd unbound:unbound postfix:postfix icinga2-bin:icinga2 nagios4-core:nagios4 \
	nginx:nginx; do
	case " ${missing[*]} " in
	*" ${pair%%:*} "*) disable_service "${pair#*:}" ;;
	esac
done
echo "install-deps: done"
