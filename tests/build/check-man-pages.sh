#!/usr/bin/env bash
# The library's reference pages cover its exports, as installed.
#
# PAGE... is what meson installs in man3 (libscmi-notify/meson.build and
# libscmi-notify/man/meson.build): real pages and .so links (a page whose
# one request is ".so man3/TARGET.3"). This checks that
#  - every function of SYMFILE (the version script) has a page of its
#    name, real or a link, so that `man FUNCTION` finds it, and that page
#    (or the one it links to) shows the function in its SYNOPSIS;
#    a name in RENAMED (old names of functions renamed on the way to a
#    merge, each with its new name) is skipped, its new name needs a page;
#    a NAME_sized function (the ABI form of a static inline NAME()) is
#    covered by NAME's page when that page names it;
#  - a link points to a real page that is installed too;
#  - every real page has the sections NAME, SYNOPSIS, DESCRIPTION,
#    RETURN VALUE, ERRORS and SEE ALSO, is ASCII (roff escapes for the
#    rest: man renders no preconv'd input everywhere), and each name in
#    its NAME section has a page of that name (itself or a link to it);
#  - each prototype in a SYNOPSIS (as groff renders it; skipped without
#    groff) is the header's declaration of that function, blanks aside (a
#    renamed one: the header's under its old name);
#  - every page in MANDIR is installed.
# Rendering without warnings is check-man.sh's.
# Usage: check-man-pages.sh SYMFILE RENAMED INCLUDEDIR MANDIR PAGE...
set -eu
sym=$1 renamed=$2 incdir=$3 mandir=$4
shift 4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

# the names of the version script's global parts
sed -n '/global:/,/local:/p' "$sym" | grep -oE '^[[:space:]]*[a-z_][a-z0-9_]*;' |
	tr -d ' \t;' | sort -u > "$tmp/exported"
# "old new" per renamed function (comments and blank lines aside)
sed 's/#.*//' "$renamed" | awk 'NF == 2 {print $1, $2} NF && NF != 2 {
	print "bad line in renamed list: " $0 > "/dev/stderr"; exit 1 }' > "$tmp/renamed"

# installed pages: name -> file; links: name -> target
declare -A page=() link=()
for f in "$@"; do
	base=${f##*/}
	case $base in
	*.3) ;;
	*) fail "$base is not a section 3 page"; continue ;;
	esac
	page[${base%.3}]=$f
	# a link: ".so" on its first line that is not a comment
	body=()
	while IFS= read -r l; do
		[[ $l == '.\"'* || $l == . || -z $l ]] || body+=("$l")
	done < "$f"
	case ${body[0]:-} in
	.so\ *)
		if [ ${#body[@]} -eq 1 ] &&
		   [[ ${body[0]} =~ ^\.so\ man3/([A-Za-z0-9_.-]+)\.3$ ]]; then
			link[${base%.3}]=${BASH_REMATCH[1]}
		else
			fail "$base: a link is one line \".so man3/PAGE.3\" (and comments)"
		fi ;;
	esac
done
# the real page that `man NAME` shows, in $REPLY ("" if none)
resolve() {
	local t
	REPLY=
	[ -n "${page[$1]:-}" ] || return 0
	t=${link[$1]:-}
	if [ -z "$t" ]; then
		REPLY=$1
	elif [ -n "${page[$t]:-}" ] && [ -z "${link[$t]:-}" ]; then
		REPLY=$t
	fi
}
# lines of section $2 of page file $1 (source)
section() {
	awk -v s="$2" '/^\.SH / {
		h = $0; sub(/^\.SH +/, "", h); gsub(/"/, "", h); on = (h == s); next
	} on' "$1"
}

# links
for name in "${!link[@]}"; do
	target=${link[$name]}
	if [ -z "${page[$target]:-}" ]; then
		fail "$name.3 links to $target.3, which is not installed"
	elif [ -n "${link[$target]:-}" ]; then
		fail "$name.3 links to $target.3, itself a link"
	fi
done

# the headers' declarations, one a line, blanks normalized
norm() {
	sed -E 's/[[:space:]]+/ /g; s/ *([][*(),]) */\1/g; s/^ //; s/ $//'
}
for h in "$incdir"/scmi/*.h; do
	awk '{
		out = ""; s = $0
		while (length(s)) {
			if (inc) {
				i = index(s, "*/"); if (!i) { s = ""; break }
				s = substr(s, i + 2); inc = 0
			} else {
				i = index(s, "/*"); if (!i) { out = out s; s = ""; break }
				out = out substr(s, 1, i - 1) " "; s = substr(s, i + 2); inc = 1
			}
		}
		print out
	}' "$h" | awk '/^[[:space:]]*#/ { pp = 1 } pp { if (!/\\$/) pp = 0; next } { print }'
done | tr '\n' ' ' | tr ';{}' '\n\n\n' | norm |
	sed -E 's/^static inline //' |
	grep -E '^[a-z_][a-z0-9_ ]*[ *]scmi_[a-z0-9_]+\(' > "$tmp/decls" || true
declare -A decl=() renamed_to=() renamed_from=()
while read -r d; do
	[[ $d =~ [\ *](scmi_[a-z0-9_]+)\( ]] && decl[${BASH_REMATCH[1]}]=$d
done < "$tmp/decls"
while read -r old new; do
	renamed_to[$old]=$new
	renamed_from[$new]=$old
done < "$tmp/renamed"
decl_of() { # NAME: the header's declaration in $REPLY, a renamed one under NAME
	local old=${renamed_from[$1]:-}
	REPLY=
	if [ -n "${decl[$1]:-}" ]; then
		REPLY=${decl[$1]}
	elif [ -n "$old" ] && [ -n "${decl[$old]:-}" ]; then
		REPLY=${decl[$old]/$old(/$1(}
	fi
}

# real pages
nreal=0 nproto=0
declare -A synopsis=()
for name in "${!page[@]}"; do
	file=${page[$name]}
	[ -n "${link[$name]:-}" ] && continue
	nreal=$((nreal + 1))
	# one pass: its headings, its NAME and SYNOPSIS text, a byte not ASCII
	mapfile -t facts < <(LC_ALL=C awk '
		/[\200-\377]/ { print "ascii" }
		/^\.TH / { print "th" }
		/^\.SH / {
			h = $0; sub(/^\.SH +/, "", h); gsub(/"/, "", h)
			print "sh " h; sec = h; next
		}
		sec == "NAME" { print "name " $0 }
		sec == "SYNOPSIS" { print "syn " $0 }' "$file")
	heads=" " names= synopsis[$name]=
	for l in "${facts[@]}"; do
		case $l in
		ascii) ;;
		th) heads+="TH " ;;
		sh\ *) heads+="${l#sh }|" ;;
		name\ *) names+="${l#name } " ;;
		syn\ *) synopsis[$name]+="${l#syn }"$'\n' ;;
		esac
	done
	[[ " ${facts[*]} " == *" ascii "* ]] &&
		fail "$name.3 is not ASCII (write \\(de, \\(mc, \\(*W ...)"
	[[ $heads == *" TH "* ]] || fail "$name.3 has no .TH"
	for s in NAME SYNOPSIS DESCRIPTION "RETURN VALUE" ERRORS "SEE ALSO"; do
		[[ "|$heads" == *"|$s|"* || "$heads" == *" $s|"* ]] ||
			fail "$name.3 has no $s section"
	done
	# each name of its NAME section is a page of that name
	names=${names%%\\-*}
	names=${names//\\/}
	IFS=',' read -ra list <<< "$names"
	for n in "${list[@]}"; do
		n=${n//()/}
		n=${n//[[:space:]]/}
		[ -n "$n" ] || continue
		resolve "$n"
		if [ "$REPLY" != "$name" ]; then
			fail "$name.3 names $n, but $n.3 is not installed as (a link to) it"
		fi
	done
	# prototypes as rendered, against the headers
	command -v groff >/dev/null || continue
	while read -r proto; do
		[[ $proto =~ ^[^\(]*[\ *](scmi_[a-z0-9_]+)\( ]] || continue
		fn=${BASH_REMATCH[1]}
		decl_of "$fn"
		d=$REPLY
		if [ -z "$d" ]; then
			fail "$name.3 shows $fn(), which no header declares"
		elif [ "$d" = "$proto" ]; then
			nproto=$((nproto + 1))
		else
			fail "$name.3: the prototype of $fn() differs from the header's"
			echo "  page:   $proto"
			echo "  header: $d"
		fi
	done < <(LC_ALL=C.UTF-8 groff -man -Tutf8 -P-c -P-b -P-u -P-o "$file" 2>/dev/null |
		 awk '/^SYNOPSIS$/ { on = 1; next } /^[A-Z][A-Z ]*$/ { on = 0 }
		      on && !/^[[:space:]]*#/ { text = text " " $0 }
		      END { n = split(text, p, ";"); for (i = 1; i < n; i++) print p[i] }' |
		 norm)
done

# every exported function has a page
covered=0 skipped=0
while read -r fn; do
	new=${renamed_to[$fn]:-}
	if [ -n "$new" ]; then
		resolve "$new"
		[ -n "$REPLY" ] ||
			fail "$fn is renamed $new (tests/build/man-renamed.txt), which has no page"
		skipped=$((skipped + 1))
		continue
	fi
	resolve "$fn"
	p=$REPLY
	if [ -z "$p" ] && [ "${fn%_sized}" != "$fn" ]; then
		resolve "${fn%_sized}"
		p=$REPLY
		if [ -n "$p" ] && grep -qw -- "$fn" "${page[$p]}"; then
			covered=$((covered + 1))
			continue
		fi
		fail "$fn: the page of ${fn%_sized}() does not name it"
		continue
	fi
	if [ -z "$p" ]; then
		if [ -n "${page[$fn]:-}" ]; then
			fail "$fn.3 links to a page that is not installed"
		else
			fail "$fn is exported but has no page: write one, or a link $fn.3 (\".so man3/PAGE.3\") in libscmi-notify/man"
		fi
		continue
	fi
	if ! [[ ${synopsis[$p]} =~ [\ *\"]$fn\( ]]; then
		fail "$fn.3 leads to $p.3, whose SYNOPSIS does not show $fn()"
		continue
	fi
	covered=$((covered + 1))
done < "$tmp/exported"

# every page of the source directory is installed
for f in "$mandir"/*.3; do
	[ -e "$f" ] || continue
	base=${f##*/}
	[ -n "${page[${base%.3}]:-}" ] ||
		fail "$base is in ${mandir##*/}/ but not installed"
done

command -v groff >/dev/null || echo "groff not found: prototypes not checked"
[ $status -eq 0 ] &&
	echo "$covered of $(wc -l < "$tmp/exported") exported functions have a page" \
	     "($skipped renamed, page under the new name); $# pages installed," \
	     "$nreal real, ${#link[@]} links; $nproto prototypes as the headers'"
exit $status
