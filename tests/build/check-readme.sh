#!/bin/sh
# SPDX-License-Identifier: MIT
# README.md's API example is examples/readme.c's code between its
# "README begin" and "README end" markers, character for character (the
# program is built and run against the simulator by test-examples).
# Usage: check-readme.sh README.md examples/readme.c
set -eu
readme=$1
src=$2
want=$(mktemp)
have=$(mktemp)
trap 'rm -f "$want" "$have"' EXIT
sed -n '/^\/\* README begin \*\/$/,/^\/\* README end \*\/$/p' "$src" |
	sed '1d;$d' >"$want"
if [ ! -s "$want" ]; then
	echo "check-readme: no README markers in $src" >&2
	exit 1
fi
# the README's first ```c block that includes <scmi/agent.h>
awk '/^```c$/ { inb = 1; buf = ""; next }
     /^```$/ && inb { if (buf ~ /scmi\/agent\.h/) { printf "%s", buf; exit } inb = 0; next }
     inb { buf = buf $0 "\n" }' "$readme" >"$have"
if ! diff -u "$want" "$have"; then
	echo "check-readme: README.md's agent example differs from $src (above: - the file, + the README)" >&2
	exit 1
fi
