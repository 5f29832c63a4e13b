#!/bin/sh
# SPDX-License-Identifier: MIT
# The simulator's includes follow the layers drawn at the top of
# sim-platform/main.c: every file is in a layer, none includes a header of
# a layer above its own, and no two files include each other in a circle
# (tsort finds an order).
# Usage: check-sim-layers.sh [--graph] SIM_PLATFORM_DIR
#   --graph  print the include graph, one "from -> to ..." line per file
set -eu
graph=false
if [ "${1:-}" = --graph ]; then
	graph=true
	shift
fi
cd "$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "layer name" lines, top first, from the drawing; then each module's layer
awk '/Layers, top to bottom/ { on = 1; next }
     on && /^ \*$/ && seen { exit }
     on && /^ \*   [a-z][a-z ]*: / {
	seen = 1
	sub(/^ \*   [a-z][a-z ]*: +/, ""); sub(/\(.*/, "")
	n++
	for (i = 1; i <= NF; i++) print n, $i
     }' main.c >"$tmp/layers"
if [ ! -s "$tmp/layers" ]; then
	echo "FAIL: no drawing of the layers in main.c"
	exit 1
fi

status=0
: >"$tmp/edges"
: >"$tmp/files"
for f in *.c *.h protocols/*.c protocols/*.h; do
	[ -e "$f" ] || continue
	from=${f%.*}
	echo "$from $f" >>"$tmp/files"
	dir=$(dirname "$f")
	sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
		if [ -e "$dir/$inc" ]; then p="$dir/$inc"; else p=$inc; fi
		to=$(realpath -m --relative-to=. "$p")
		to=${to%.*}
		[ "$from" = "$to" ] || echo "$from $to"
	done >>"$tmp/edges"
done
sort -u "$tmp/edges" -o "$tmp/edges"

# each file in a layer; each include to its own layer or one below
awk 'function layer(m,   f) {
	if (m in exact) return exact[m]
	for (f in prefix) if (index(m, f) == 1) return prefix[f]
	return ""
     }
     FILENAME == ARGV[1] { f = $2; sub(/\.[ch]$/, "", f)
	if (f ~ /\/$/) prefix[f] = $1; else exact[f] = $1; next }
     FILENAME == ARGV[2] { if (layer($1) == "") {
	print "FAIL: " $2 " is in no layer of the drawing in main.c"; bad = 1 }
	next }
     { lf = layer($1); lt = layer($2)
       if (lf != "" && lt != "" && lt + 0 < lf + 0) {
	print "FAIL: " $1 " includes " $2 ", a layer above it"; bad = 1 } }
     END { exit bad }' "$tmp/layers" "$tmp/files" "$tmp/edges" || status=1

if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/tsort"; then
	echo "FAIL: includes in a circle:"
	cat "$tmp/tsort"
	status=1
fi

if $graph; then
	awk '{ to[$1] = to[$1] " " $2 } END { for (m in to) print m " ->" to[m] }' \
		"$tmp/edges" | sort
fi
[ $status -eq 0 ] && echo "$(wc -l <"$tmp/edges") includes between $(awk '{print $1; print $2}' "$tmp/edges" | sort -u | wc -l) modules (a .c with its .h) in $(tail -1 "$tmp/layers" | cut -d' ' -f1) layers: none upward, no circle"
exit $status
