#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scmi-sim(1) lists exactly the keys of a topology file that scmi-sim reads.

Usage: check-man-topology.py SCMI_SIM MAN_PAGE

The table that reads topology files describes itself (scmi-sim
--topology-schema). In the man page's TOPOLOGY FILES section, the paragraph
of each protocol (it starts with the protocol's key in bold) must name in
bold every key of that protocol, at any depth, and every word an enum key
takes; and every key or word it names in bold must be one the table has.
"""
import json
import re
import subprocess
import sys

FONT = {'B': (0,), 'BR': (0,), 'RB': (1,), 'BI': (0,), 'IB': (1,)}


def words_of(line):
    """The arguments of a troff macro line, quotes kept as a mark."""
    return re.findall(r'"[^"]*"|\S+', line)


def clean(tok):
    tok = tok.replace(r'\(dq', '"').replace(r'\-', '-').replace(r'\&', '')
    return tok.strip('"').strip('()[]{},;:.').strip('"')


def bold_tokens(lines):
    """Every bold word of the paragraph, JSON quotes and punctuation off."""
    out = []
    for line in lines:
        m = re.match(r'^\.(B|BR|RB|BI|IB)\s+(.*)$', line)
        if not m:
            continue
        macro, args = m.group(1), words_of(m.group(2))
        start = FONT[macro][0]
        step = 1 if macro == 'B' else 2
        for tok in args[start::step]:
            word = clean(tok)
            if word:
                out.append(word)
    return out


def schema_words(node, keys, enums):
    for key, desc in node.items():
        keys.add(key)
        enums.update(desc.get('values', []))
        for sub in ('keys', 'or'):
            if sub in desc:
                schema_words(desc[sub], keys, enums)


def main():
    sim, man = sys.argv[1], sys.argv[2]
    schema = json.loads(subprocess.run([sim, '--topology-schema'], check=True,
                                       capture_output=True, text=True).stdout)
    text = open(man, encoding='utf-8').read()
    section = text.split('.SH TOPOLOGY FILES', 1)[1].split('\n.SH ', 1)[0]
    paragraphs = [p.strip().split('\n') for p in section.split('\n.PP\n')]
    status = 0
    for proto, desc in schema.items():
        keys, enums = set(), set()
        schema_words({proto: desc}, keys, enums)
        keys.discard(proto)
        para = [p for p in paragraphs
                if re.match(r'^\.BR? %s( :)?$' % re.escape(proto), p[0])]
        if len(para) != 1:
            print('FAIL: %d paragraphs of TOPOLOGY FILES start with %s'
                  % (len(para), proto))
            status = 1
            continue
        named = bold_tokens(para[0])
        seen = set(named)
        for k in sorted(keys | enums):
            if k not in seen:
                print('FAIL: %s: the man page does not name %s "%s"'
                      % (proto, 'the word' if k in enums else 'the key', k))
                status = 1
        for w in named:
            if not re.fullmatch(r'[a-z][a-z0-9_-]*', w) or w == proto:
                continue
            if w not in keys and w not in enums:
                print('FAIL: %s: the man page names "%s", which a %s file '
                      'does not have' % (proto, w, proto))
                status = 1
    if status == 0:
        print('%d protocols: the man page names every key and word, and no '
              'other' % len(schema))
    return status


if __name__ == '__main__':
    sys.exit(main())
