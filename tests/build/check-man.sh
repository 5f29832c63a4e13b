#!/usr/bin/env bash
# The tools' man pages share one exit status table: the part of each
# page from ".SH EXIT STATUS" to the line that ends the shared table is
# the same in every page given before "--". Each page, those after "--"
# too (the library's), renders without a warning (groff -Tutf8 -ww, as
# man shows it on a terminal), when groff is there. With --tree, every man page of that source tree (in
# sim-platform/, examples/, libscmi-notify/, doc/, man/) is among those
# given, and as many pages are given as the tree holds (link pages
# aside): a page that is not installed, or not checked, fails.
# Usage: check-man.sh [--tree SOURCE_ROOT] TOOL-PAGE... [-- PAGE...]
set -eu
marker='.\" end of the exit status table every tool page shares (tests/build)'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
first=
others=()
tools=()
tree=
if [ "${1:-}" = --tree ]; then
	tree=$2
	shift 2
fi
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
if [ -n "$tree" ]; then
	for page in "${tools[@]}" "${others[@]}"; do
		realpath "$page"
	done | sort -u >"$tmp/given"
	# a link page (".so man3/PAGE.3" alone) renders its target:
	# check-man-pages.sh checks the links
	for d in sim-platform examples libscmi-notify doc man; do
		[ -d "$tree/$d" ] && find "$tree/$d" -name '*.[1-9]' -exec realpath {} +
	done | sort -u | while read -r page; do
		[ "$(wc -l <"$page")" -eq 1 ] && grep -q '^\.so ' "$page" ||
			echo "$page"
	done >"$tmp/found"
	for page in $(comm -23 "$tmp/found" "$tmp/given"); do
		echo "FAIL: ${page#"$(realpath "$tree")"/} is in the tree but not installed and checked"
		status=1
	done
	if [ "$(wc -l <"$tmp/found")" -ne $((${#tools[@]} + ${#others[@]})) ]; then
		echo "FAIL: $((${#tools[@]} + ${#others[@]})) pages checked, $(wc -l <"$tmp/found") in the tree"
		status=1
	fi
fi
[ $status -eq 0 ] && echo "${#tools[@]} tools' man pages: one exit status table ($(grep -c '^\.B [0-9]$' "$tmp/$first") statuses); ${#others[@]} more; no warnings"
exit $status
