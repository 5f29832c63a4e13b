#!/usr/bin/env bash
# Each public header compiles alone, as strict C11 and as C++.
# Usage: check-headers.sh CC CXX INCLUDE_DIR HEADER...
set -eu
cc=$1 cxx=$2 incdir=$3; shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for h in "$@"; do
	name=$(basename "$h" .h)
	printf '#include <scmi/%s.h>\nint scmi_header_check_%s;\n' "$name" "$name" > "$tmp/$name.c"
	if ! "$cc" -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only \
		-I"$incdir" "$tmp/$name.c"; then
		echo "FAIL: $h as C11"; status=1
	fi
	if [ -n "$cxx" ]; then
		cp "$tmp/$name.c" "$tmp/$name.cpp"
		if ! "$cxx" -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only \
			-I"$incdir" "$tmp/$name.cpp"; then
			echo "FAIL: $h as C++"; status=1
		fi
	fi
done
[ $status -eq 0 ] && echo "$# headers compile alone as C11${cxx:+ and C++}"
exit $status
