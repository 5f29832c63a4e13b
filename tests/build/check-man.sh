#!/usr/bin/env bash
# The tools' man pages share one exit status table: the part of each
# page from ".SH EXIT STATUS" to the line that ends the shared table is
# the same in every page given before "--". Each page, those after "--"
# too (the library's), renders without a warning (groff -Tutf8 -ww, as
# man shows it on a terminal), when groff is there.
# Usage: check-man.sh TOOL-PAGE... [-- PAGE...]
set -eu
marker='.\" end of the exit status table shared by the three pages (tests/build)'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
first=
others=()
tools=()
while [ $# -gt 0 ]; do
	if [ "$1" = -- ]; then
		shift
		others=("$@")
		break
	fi
	tools+=("$1")
	shift
done
render() {
	if command -v groff >/dev/null; then
		warnings=$(groff -man -Tutf8 -ww -z "$1" 2>&1)
		if [ -n "$warnings" ]; then
			echo "$warnings"
			echo "FAIL: $(basename "$1") renders with warnings"; status=1
		fi
	fi
}
for page in "${others[@]}"; do
	render "$page"
done
for page in "${tools[@]}"; do
	name=$(basename "$page")
	if ! grep -qxF -- "$marker" "$page"; then
		echo "FAIL: $name has no end-of-table line: $marker"; status=1
		continue
	fi
	sed -n "/^\.SH EXIT STATUS\$/,/^$(printf '%s' "$marker" | sed 's/[.\\/]/\\&/g')\$/p" \
		"$page" > "$tmp/$name"
	if [ ! -s "$tmp/$name" ]; then
		echo "FAIL: $name has no .SH EXIT STATUS before the end-of-table line"; status=1
	elif [ -z "$first" ]; then
		first=$name
	elif ! diff -u "$tmp/$first" "$tmp/$name"; then
		echo "FAIL: the exit status tables of $first and $name differ"; status=1
	fi
	render "$page"
done
[ $status -eq 0 ] && echo "${#tools[@]} tools' man pages: one exit status table ($(grep -c '^\.B [0-9]$' "$tmp/$first") statuses); ${#others[@]} more; no warnings"
exit $status
