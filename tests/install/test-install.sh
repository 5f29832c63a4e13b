#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Install the build tree into a temporary DESTDIR and use it as a user of the
# installed library would. Run by meson (tests/install/meson.build), which
# sets in the environment:
#   MESON, CC (the compiler command), SANITIZE (b_sanitize), VERSION,
#   BUILD_ROOT, SOURCE_ROOT, BINDIR, INCLUDEDIR, LIBDIR, MANDIR, DATADIR
#   (absolute, under the prefix), DEFAULT_LIBRARY (shared, static or both),
#   EXPECT_BINS and EXPECT_MAN1 (the programs and section-1 pages this
#   configuration installs, blank-separated).
#
# Checks: the library (shared: real file, soname and development symlinks;
# static: the archive, which exports what the version script lists; each
# present exactly when DEFAULT_LIBRARY asks for it), every public header
# (include/scmi/*.h, identical), the .pc file, the programs (each runs
# --version), the man pages; then, with pkg-config pointed at the DESTDIR
# (PKG_CONFIG_LIBDIR, PKG_CONFIG_SYSROOT_DIR): every installed header
# compiles, examples/minimal.c builds out of tree (static: with
# `pkg-config --static --libs`, and the program needs no libscmi-notify.so)
# and, with LD_LIBRARY_PATH into the DESTDIR, runs against the installed
# library and prints what it should.
# test-install-static.sh runs it on a static-only build of its own.
set -euo pipefail

for v in MESON CC VERSION BUILD_ROOT SOURCE_ROOT BINDIR INCLUDEDIR LIBDIR MANDIR \
	DEFAULT_LIBRARY; do
	if [ -z "${!v:-}" ]; then
		echo "test-install: $v is not set (run me through meson test)" >&2
		exit 2
	fi
done

failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
ok() {
	echo "ok: $*"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/scmi-install-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
work=$tmp/work
mkdir -p "$dest" "$work"

# ---- install ---------------------------------------------------------------

if ! "$MESON" install -C "$BUILD_ROOT" --no-rebuild --quiet --destdir "$dest" \
	>"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log" >&2
	echo "FAIL: meson install --destdir" >&2
	exit 1
fi
ok "meson install --destdir $dest"

lib=$dest$LIBDIR
inc=$dest$INCLUDEDIR
bin=$dest$BINDIR
man=$dest$MANDIR

# ---- the library -----------------------------------------------------------

want_shared=false want_static=false
case $DEFAULT_LIBRARY in
shared) want_shared=true ;;
static) want_static=true ;;
both) want_shared=true want_static=true ;;
*) fail "DEFAULT_LIBRARY '$DEFAULT_LIBRARY' is not shared, static or both" ;;
esac

real=$lib/libscmi-notify.so.$VERSION
if ! $want_shared; then
	for l in "$real" "$lib/libscmi-notify.so.0" "$lib/libscmi-notify.so"; do
		if [ -e "$l" ]; then
			fail "${l#"$dest"} installed by a static-only build"
		fi
	done
elif [ -f "$real" ] && [ ! -L "$real" ]; then
	ok "library ${real#"$dest"}"
else
	fail "no library file ${real#"$dest"}"
fi
if $want_shared; then
	for l in libscmi-notify.so.0 libscmi-notify.so; do
		if [ -L "$lib/$l" ] && [ "$(readlink -f "$lib/$l")" = "$(readlink -f "$real")" ]; then
			ok "symlink $l -> $(readlink "$lib/$l")"
		else
			fail "$l is not a symlink to libscmi-notify.so.$VERSION"
		fi
	done
	if command -v readelf >/dev/null && [ -f "$real" ]; then
		soname=$(readelf -d "$real" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
		if [ "$soname" = libscmi-notify.so.0 ]; then
			ok "soname $soname"
		else
			fail "soname '$soname', expected libscmi-notify.so.0"
		fi
	fi
fi

archive=$lib/libscmi-notify.a
if ! $want_static; then
	if [ -e "$archive" ]; then
		fail "${archive#"$dest"} installed by a shared-only build"
	fi
elif [ ! -f "$archive" ]; then
	fail "no archive ${archive#"$dest"}"
else
	ok "archive ${archive#"$dest"}"
	# it exports what the version script lists (the build check's script)
	if "$SOURCE_ROOT/tests/build/check-symbols.sh" "$archive" \
		"$SOURCE_ROOT/libscmi-notify/libscmi-notify.sym" \
		"$SOURCE_ROOT/libscmi-notify" >"$work/syms.log" 2>&1; then
		ok "archive: $(tail -1 "$work/syms.log")"
	else
		cat "$work/syms.log" >&2
		fail "the archive's exported symbols differ from the version script"
	fi
fi

# ---- headers ---------------------------------------------------------------

nh=0
for h in "$SOURCE_ROOT"/include/scmi/*.h; do
	name=${h##*/}
	nh=$((nh + 1))
	if [ ! -f "$inc/scmi/$name" ]; then
		fail "header scmi/$name not installed"
	elif ! cmp -s "$h" "$inc/scmi/$name"; then
		fail "installed scmi/$name differs from include/scmi/$name"
	fi
done
ok "$nh headers in ${inc#"$dest"}/scmi checked"

# ---- pkg-config ------------------------------------------------------------

pc=$lib/pkgconfig/libscmi-notify.pc
if [ -f "$pc" ]; then
	ok "pkg-config file ${pc#"$dest"}"
else
	fail "no ${pc#"$dest"}"
fi
# only the installed tree: PKG_CONFIG_LIBDIR replaces the default path
pkgconf() {
	PKG_CONFIG_LIBDIR=$lib/pkgconfig PKG_CONFIG_PATH='' \
		PKG_CONFIG_SYSROOT_DIR=$dest pkg-config "$@"
}
modversion=$(pkgconf --modversion libscmi-notify || true)
if [ "$modversion" = "$VERSION" ]; then
	ok "pkg-config --modversion: $modversion"
else
	fail "pkg-config --modversion: '$modversion', expected $VERSION"
fi
cflags=$(pkgconf --cflags libscmi-notify || true)
libs=$(pkgconf --libs libscmi-notify || true)
static_libs=$(pkgconf --static --libs libscmi-notify || true)
echo "   cflags: $cflags"
echo "   libs:   $libs"
echo "   --static --libs: $static_libs"
case " $libs " in
*" -L$lib "*) ;;
*) fail "pkg-config --libs does not point into the DESTDIR ($libs)" ;;
esac
# a static link needs the library's own dependencies (threads) too
case " $static_libs " in
*" -lscmi-notify "*"-pthread "* | *" -lscmi-notify "*"-lpthread "*)
	ok "pkg-config --static --libs names the threads library after -lscmi-notify" ;;
*) fail "pkg-config --static --libs lacks -pthread after -lscmi-notify ($static_libs)" ;;
esac
if $want_static && ! $want_shared; then
	libs=$static_libs
fi

# ---- programs --------------------------------------------------------------

for p in ${EXPECT_BINS:-}; do
	if [ ! -x "$bin/$p" ]; then
		fail "program $p not installed in ${bin#"$dest"}"
		continue
	fi
	if out=$(LD_LIBRARY_PATH=$lib "$bin/$p" --version 2>&1); then
		ok "$p --version: $(printf '%s' "$out" | head -1)"
	else
		fail "$p --version failed: $out"
	fi
done

# ---- man pages -------------------------------------------------------------

man_page() { # SECTION NAME
	local f
	for f in "$man/man$1/$2.$1" "$man/man$1/$2.$1.gz"; do
		if [ -f "$f" ]; then
			ok "man page ${f#"$dest"}"
			return 0
		fi
	done
	fail "man page $2($1) not installed in ${man#"$dest"}/man$1"
}
man_page 3 libscmi-notify
for m in ${EXPECT_MAN1:-}; do
	man_page 1 "$m"
done
# as many section-1 pages as expected: none installed that nobody checks
n_man1=0
if [ -d "$man/man1" ]; then
	n_man1=$(find "$man/man1" -name '*.1*' | wc -l)
fi
n_expect=$(printf '%s\n' ${EXPECT_MAN1:-} | grep -c . || true)
if [ "$n_man1" -eq "$n_expect" ]; then
	ok "$n_man1 section-1 pages installed, as expected"
else
	fail "$n_man1 section-1 pages installed in ${man#"$dest"}/man1, $n_expect expected (${EXPECT_MAN1:-})"
fi

# ---- a user's build --------------------------------------------------------

extra=()
if [ -n "${SANITIZE:-}" ] && [ "$SANITIZE" != none ]; then
	extra+=("-fsanitize=$SANITIZE") # the library needs its runtime first
fi
read -r -a cc <<<"$CC"

# every installed header compiles on its own, from the installed tree only
for h in "$inc"/scmi/*.h; do
	printf '#include <scmi/%s>\n' "${h##*/}" >"$work/hdr.c"
	# shellcheck disable=SC2086 # pkg-config output is a list of words
	if ! "${cc[@]}" "${extra[@]}" -fsyntax-only -Werror $cflags \
		"$work/hdr.c" 2>"$work/hdr.log"; then
		cat "$work/hdr.log" >&2
		fail "installed scmi/${h##*/} does not compile alone"
	fi
done
ok "installed headers compile alone with \$(pkg-config --cflags)"

cp "$SOURCE_ROOT/examples/minimal.c" "$work/"
# shellcheck disable=SC2086
if ! (cd "$work" && "${cc[@]}" "${extra[@]}" -o minimal minimal.c \
	$cflags $libs) >"$work/cc.log" 2>&1; then
	cat "$work/cc.log" >&2
	fail "examples/minimal.c does not build against the installed tree"
else
	ok "examples/minimal.c built out of tree"
	resolved=$(LD_LIBRARY_PATH=$lib ldd "$work/minimal" 2>/dev/null |
		sed -n 's/.*libscmi-notify\.so\.0 => \([^ ]*\).*/\1/p')
	if $want_shared; then
		case $resolved in
		"$lib"/*) ok "minimal loads ${resolved#"$dest"} from the DESTDIR" ;;
		*) fail "minimal resolves libscmi-notify.so.0 to '$resolved', not the DESTDIR" ;;
		esac
	elif [ -n "$resolved" ]; then
		fail "minimal, linked with the archive, needs libscmi-notify.so.0 ($resolved)"
	# grep reads all of nm's output: -q would leave nm a SIGPIPE (pipefail)
	elif nm "$work/minimal" | grep ' T scmi_notify_create_sized$' >/dev/null; then
		ok "minimal has the library linked in from the archive"
	else
		fail "minimal has no scmi_notify_create_sized of its own"
	fi
	if LD_LIBRARY_PATH=$lib "$work/minimal" >"$work/out.txt" 2>&1; then
		ok "minimal ran"
	else
		fail "minimal exited with $?"
	fi
	sed 's/^/   | /' "$work/out.txt"
	for want in \
		'register the thermal protocol' \
		'platform: enable TEMP_CHANGED for zone 1' \
		'zone1     got TEMP_CHANGED: zone 1, 41.500 C' \
		'all-zones got TEMP_CHANGED: zone 2, 43.000 C' \
		'dispatch: 3 events' \
		'stats: received 3, delivered 3; zone1 saw 1, all-zones saw 3'; do
		grep -qF -- "$want" "$work/out.txt" ||
			fail "minimal did not print '$want'"
	done
fi

if [ "$failures" -ne 0 ]; then
	echo "test-install: $failures failure(s)" >&2
	exit 1
fi
echo "test-install: all checks passed"
