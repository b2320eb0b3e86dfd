#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/debian/build-deb.sh [OUTDIR]: build the Debian binary package
# from the release tarball of this tree: `make dist` in the (configured)
# build directory, unpack it, add contrib/debian as debian/, and run
# dpkg-buildpackage -us -uc -b. The .deb and .changes land in OUTDIR
# (default: the build directory). Needs dpkg-dev and debhelper, and the
# Build-Depends of contrib/debian/control.
#
# Run from the build directory (where `make` works); DEB_BUILD_OPTIONS is
# passed through (nocheck skips the unit tests of the package build).
set -eu
out=$(cd "${1:-.}" && pwd)
version=$(sed -n 's/^PACKAGE_VERSION = //p' Makefile)
[ -n "$version" ] || { echo "build-deb: run from a configured build directory" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/maildns-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
make dist-gzip >/dev/null
mv "maildns-plugins-$version.tar.gz" "$work/"
tar -C "$work" -xzf "$work/maildns-plugins-$version.tar.gz"
src="$work/maildns-plugins-$version"
cp -R "$src/contrib/debian" "$src/debian"
rm -f "$src/debian/build-deb.sh"
(cd "$src" && dpkg-buildpackage -us -uc -b)
for f in "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo; do
	[ -e "$f" ] && cp "$f" "$out/"
done
ls "$out"/maildns-plugins_"$version"_*.deb
