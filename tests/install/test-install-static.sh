#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A static-only build proves what -Ddefault_library=static installs: set up
# and build the library alone (no tests, examples, simulator or
# benchmarks) from the same sources with -Ddefault_library=static, the
# same compiler, sanitizer and directories, then run test-install.sh on it:
# the archive and no shared object, `pkg-config --static --libs` right,
# examples/minimal.c linked from the archive and run. The environment is
# test-install.sh's (tests/install/meson.build), plus PREFIX.
set -euo pipefail

for v in MESON CC SOURCE_ROOT PREFIX BINDIR INCLUDEDIR LIBDIR MANDIR DATADIR; do
	if [ -z "${!v:-}" ]; then
		echo "test-install-static: $v is not set (run me through meson test)" >&2
		exit 2
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/scmi-install-static-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
build=$tmp/build

if ! CC=$CC "$MESON" setup "$build" "$SOURCE_ROOT" \
	-Ddefault_library=static -Dwerror=true \
	-Dtests=false -Dexamples=false -Dsim=false -Dbench=false -Dfuzz=false \
	-Db_sanitize="${SANITIZE:-none}" \
	--prefix "$PREFIX" --bindir "$BINDIR" --includedir "$INCLUDEDIR" \
	--libdir "$LIBDIR" --mandir "$MANDIR" --datadir "$DATADIR" \
	>"$tmp/setup.log" 2>&1; then
	cat "$tmp/setup.log" >&2
	echo "FAIL: meson setup -Ddefault_library=static" >&2
	exit 1
fi
if ! "$MESON" compile -C "$build" >"$tmp/compile.log" 2>&1; then
	cat "$tmp/compile.log" >&2
	echo "FAIL: building the static-only tree" >&2
	exit 1
fi
echo "ok: a static-only build in $build"

status=0
BUILD_ROOT=$build DEFAULT_LIBRARY=static EXPECT_BINS='' EXPECT_MAN1='' \
	"$SOURCE_ROOT/tests/install/test-install.sh" || status=$?
exit $status
