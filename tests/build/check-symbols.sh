#!/usr/bin/env bash
# The version script, the symbols the library exports and the functions
# marked SCMI_EXPORT in the sources are the same set. A shared library
# exports its dynamic symbols; an archive (a static-only build) its global
# definitions of default visibility (the others are -fvisibility=hidden).
# Usage: check-symbols.sh LIB.so|LIB.a SYMFILE SRCDIR
set -eu
lib=$1 sym=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case $lib in
*.a)
	readelf -sW "$lib" |
		awk '$5 == "GLOBAL" && $6 == "DEFAULT" && $7 != "UND" {print $8}' ;;
*)
	nm -D --defined-only "$lib" |
		awk '$2 ~ /^[TDBRW]$/ {sub(/@.*/, "", $3); print $3}' ;;
esac | sort -u > "$tmp/exported"
sed -n '/global:/,/local:/p' "$sym" | grep -oE '^[[:space:]]*[a-z_][a-z0-9_]*;' |
	tr -d ' \t;' | sort -u > "$tmp/script"
grep -rhozE 'SCMI_EXPORT[^(;{]*\(' --include='*.c' "$src" | tr '\0' '\n' |
	grep -oE '[a-z_][a-z0-9_]*[[:space:]]*\($' | tr -d ' \t(' | sort -u > "$tmp/marked"

status=0
if ! diff -u "$tmp/script" "$tmp/exported"; then
	echo "FAIL: version script (-) and $(basename "$lib")'s exported symbols (+) differ"; status=1
fi
if ! diff -u "$tmp/script" "$tmp/marked"; then
	echo "FAIL: version script (-) and SCMI_EXPORT functions (+) differ"; status=1
fi
[ $status -eq 0 ] && echo "$(wc -l < "$tmp/script") symbols: version script, $(basename "$lib") and sources agree"
exit $status
