#!/usr/bin/env bash
# The version script, the symbols the library exports and the functions
# marked in the sources agree, node by node.
#
# A name of the script is either a function marked SCMI_EXPORT, exported
# as the default version of its node (name@@NODE), or one of a released
# node kept for the programs linked against it (compat.c): a function of
# another name that SCMI_SYMVER(function, name, NODE) exports as the
# non-default name@NODE, which programs built now cannot link to.
#
# A shared library exports its dynamic symbols, each with its version. An
# archive (a static-only build) has no versions and no compat functions:
# its global definitions of default visibility (the others are
# -fvisibility=hidden) are the SCMI_EXPORT names (an archive of a `both`
# build also holds the compat functions, which no one links statically).
# Usage: check-symbols.sh LIB.so|LIB.a SYMFILE SRCDIR
set -eu
lib=$1 sym=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the script: "name@@NODE" for each name listed in NODE's global part
awk '
	/^[A-Z][A-Z0-9_.]* *\{/ { node = $1; sub(/\{.*/, "", node) }
	/global:/ { on = 1; next }
	/local:/ || /^\}/ { on = 0 }
	on && /^[[:space:]]*[a-z_][a-z0-9_]*;/ {
		n = $1; sub(/;.*/, "", n); print n "@@" node
	}' "$sym" | sort -u > "$tmp/script"
sed 's/@@.*//' "$tmp/script" | sort -u > "$tmp/script-names"

# the sources: SCMI_EXPORT functions, and SCMI_SYMVER(fn, name, NODE)
grep -rhozE 'SCMI_EXPORT[^(;{]*\(' --include='*.c' "$src" | tr '\0' '\n' |
	grep -oE '[a-z_][a-z0-9_]*[[:space:]]*\($' | tr -d ' \t(' | sort -u > "$tmp/marked"
grep -rhozE 'SCMI_SYMVER\([^)]*\)' --include='*.c' "$src" | tr '\0' '\n' |
	tr -d ' \t\n' | sed 's/SCMI_SYMVER(/\n/g' | sed -n 's/^\([a-z0-9_]*\),\([a-z0-9_]*\),\([A-Z0-9_.]*\))$/\1 \2 \3/p' |
	sort -u > "$tmp/compat"
awk '{print $2 "@" $3}' "$tmp/compat" | sort -u > "$tmp/compat-versioned"
awk '{print $2}' "$tmp/compat" | sort -u > "$tmp/compat-names"

status=0
# each name of the script is marked once: exported or kept for a release
sort "$tmp/marked" "$tmp/compat-names" > "$tmp/all-marked"
if ! diff -u "$tmp/script-names" "$tmp/all-marked"; then
	echo "FAIL: version script (-) and SCMI_EXPORT or SCMI_SYMVER names (+) differ"; status=1
fi
# a compat name stays in the node it was released in
while read -r fn name node; do
	if ! grep -qx "$name@@$node" "$tmp/script"; then
		echo "FAIL: $fn is exported as $name@$node, which $(basename "$sym") does not list in $node"; status=1
	fi
done < "$tmp/compat"

case $lib in
*.a)
	readelf -sW "$lib" |
		awk '$5 == "GLOBAL" && $6 == "DEFAULT" && $7 != "UND" {print $8}' |
		sort -u > "$tmp/exported"
	# the compat functions of a `both` build's archive are left aside
	awk '{print $1}' "$tmp/compat" | cat - "$tmp/compat-versioned" |
		sort -u > "$tmp/compat-any"
	comm -23 "$tmp/exported" "$tmp/compat-any" > "$tmp/exported-api"
	if ! diff -u "$tmp/marked" "$tmp/exported-api"; then
		echo "FAIL: SCMI_EXPORT functions (-) and $(basename "$lib")'s exported symbols (+) differ"; status=1
	fi
	what="$(wc -l < "$tmp/marked") symbols: version script, $(basename "$lib") and sources agree"
	;;
*)
	nm -D --defined-only "$lib" |
		awk '$2 ~ /^[TDBRW]$/ && $3 ~ /@/ {print $3}' | sort -u > "$tmp/exported"
	# expected: name@@NODE, or name@NODE for a compat name
	sed 's/@@/ /' "$tmp/script" | while read -r name node; do
		if grep -qx "$name@$node" "$tmp/compat-versioned"; then
			echo "$name@$node"
		else
			echo "$name@@$node"
		fi
	done | sort -u > "$tmp/expected"
	if ! diff -u "$tmp/expected" "$tmp/exported"; then
		echo "FAIL: version script (-) and $(basename "$lib")'s exported symbols and versions (+) differ"; status=1
	fi
	what="$(wc -l < "$tmp/script") symbols ($(wc -l < "$tmp/compat") of them kept for older releases): version script, $(basename "$lib") and sources agree, node by node"
	;;
esac

[ $status -eq 0 ] && echo "$what"
exit $status
