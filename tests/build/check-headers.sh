#!/usr/bin/env bash
# Each public header compiles alone as strict C99 and C11, and as C++11
# with -Wall -Wextra -Wold-style-cast (as errors) by every C++ compiler
# given; together they compile as C++14, C++17 and C++20 too. Every
# function-like macro the headers define is expanded in C++ by MACROS_FILE
# (tests/build/test-cxx.cpp, which the build compiles with the same
# warnings), so that a macro's cast cannot slip through either; and
# scmi_container_of() refuses a pointer of the wrong type. Every struct the
# headers define is declared by its bare name in MACROS_FILE too
# (`scmi_sensor_info info{};`), which a function of the same name breaks.
#
# GCC does not warn about old-style casts inside extern "C" blocks (where
# the headers' inline functions are): give clang++ too, which does.
#
# Usage: check-headers.sh CC CXXS INCLUDE_DIR MACROS_FILE CAST_EXEMPT HEADER...
#   CXXS         blank-separated C++ compilers ("" to skip C++)
#   MACROS_FILE  a C++ source that uses every function-like macro
#   CAST_EXEMPT  blank-separated header names (transport.h) compiled as
#                C++ without -Wold-style-cast
set -eu
cc=$1 cxxs=$2 incdir=$3 macros=$4 exempt=$5; shift 5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
cflags=(-pedantic -Wall -Wextra -Werror -fsyntax-only -I"$incdir")
cxxflags=(-pedantic -Wall -Wextra -Wold-style-cast -Werror -fsyntax-only
	  -I"$incdir")
exempt_flags=("${cxxflags[@]/-Wold-style-cast/-Wno-old-style-cast}")

is_exempt() {
	case " $exempt " in *" $1 "*) return 0 ;; esac
	return 1
}

together=$tmp/together.cpp
: >"$together"
for h in "$@"; do
	name=$(basename "$h" .h)
	printf '#include <scmi/%s.h>\nint scmi_header_check_%s;\n' "$name" "$name" > "$tmp/$name.c"
	for std in c99 c11; do
		if ! "$cc" -std=$std "${cflags[@]}" "$tmp/$name.c"; then
			echo "FAIL: $h as $std"; status=1
		fi
	done
	cp "$tmp/$name.c" "$tmp/$name.cpp"
	flags=("${cxxflags[@]}")
	if is_exempt "$name.h"; then
		flags=("${exempt_flags[@]}")
	else
		printf '#include <scmi/%s.h>\n' "$name" >> "$together"
	fi
	for cxx in $cxxs; do
		if ! "$cxx" -std=c++11 "${flags[@]}" "$tmp/$name.cpp"; then
			echo "FAIL: $h as C++11 ($cxx)"; status=1
		fi
	done
done
echo 'int scmi_header_check_together;' >> "$together"
for cxx in $cxxs; do
	for std in c++14 c++17 c++20; do
		if ! "$cxx" -std=$std "${cxxflags[@]}" "$together"; then
			echo "FAIL: the headers (but $exempt) together as $std ($cxx)"; status=1
		fi
	done
done
for e in $exempt; do
	echo "NOTE: $e is compiled as C++ without -Wold-style-cast (see tests/build/meson.build)"
done

# scmi_container_of() refuses a pointer to another type than the member's
printf '%s\n' '#include <scmi/notify.h>' '#include <scmi/util.h>' \
	'struct w { int other; struct scmi_notifier nb; };' \
	'struct w *scmi_misuse(int *p);' \
	'struct w *scmi_misuse(int *p) { return scmi_container_of(p, struct w, nb); }' \
	> "$tmp/misuse.c"
cp "$tmp/misuse.c" "$tmp/misuse.cpp"
if "$cc" -std=c11 "${cflags[@]}" "$tmp/misuse.c" 2>/dev/null; then
	echo "FAIL: scmi_container_of() took an int * for a struct scmi_notifier * (C)"; status=1
fi
for cxx in $cxxs; do
	if "$cxx" -std=c++11 "${cxxflags[@]}" "$tmp/misuse.cpp" 2>/dev/null; then
		echo "FAIL: scmi_container_of() took an int * for a struct scmi_notifier * ($cxx)"; status=1
	fi
done

# every function-like macro is expanded by the C++ test
macros_used=0
for m in $(grep -ohE '^#define [A-Za-z_][A-Za-z0-9_]*\(' "$@" | sed 's/^#define //; s/($//' | sort -u); do
	if ! grep -qE "\\b$m\\(" "$macros"; then
		echo "FAIL: $m (a function-like macro) is not used in $(basename "$macros")"; status=1
	else
		macros_used=$((macros_used + 1))
	fi
done

# every public struct is declared by its bare name in the C++ test
# (`scmi_x x{};`): a function of the same name would hide it there
structs_used=0
for s in $(grep -ohE '^struct scmi_[a-z0-9_]+ \{' "$@" | sed 's/^struct //; s/ {$//' | sort -u); do
	if ! grep -qE "(^|[^a-z_])$s [a-z_]+\{\};" "$macros"; then
		echo "FAIL: struct $s is not declared as \`$s x{};' in $(basename "$macros")"; status=1
	else
		structs_used=$((structs_used + 1))
	fi
done

[ $status -eq 0 ] && echo "$# headers compile alone as C99 and C11${cxxs:+ and as C++11-20 ($cxxs)}; $macros_used function-like macros expanded and $structs_used structs declared by their bare names in C++"
exit $status
