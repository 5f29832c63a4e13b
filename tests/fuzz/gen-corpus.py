#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the seed inputs of corpus/<fuzzer>/ (seed-*; inputs found by
# fuzzing and crash reproducers sit beside them under other names).
# Usage: tests/fuzz/gen-corpus.py [DEFAULT_TOPOLOGY_JSON]
import os
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))


def put(fuzzer, name, data):
    d = os.path.join(here, 'corpus', fuzzer)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)


def le32(*v):
    return struct.pack('<%dI' % len(v), *v)


def hdr(msg_id, typ, proto, token):
    return msg_id | typ << 8 | proto << 10 | token << 18


# smt: u16 area size, u16 max_payld, u8 match, u32 expected header, area
def smt_area(status, flags, length, h, payld):
    return le32(0, status, 0, 0, flags, length, h) + payld


h = hdr(3, 0, 0x13, 5)
p8 = bytes(range(8))
for name, match, area in [
        ('cmd', 0, smt_area(0, 1, 12, h, p8)),
        ('match', 0xF, smt_area(0, 1, 12, h, p8)),
        ('notif', 0, smt_area(0, 0, 16, hdr(0, 3, 0x11, 0), le32(0, 1, 2))),
        ('empty', 0, smt_area(0, 0, 4, h, b'')),
        ('error', 0, smt_area(2, 0, 12, h, p8)),
        ('toolong', 0, smt_area(0, 0, 200, h, p8))]:
    put('smt', name, struct.pack('<HHBI', 0xA0, 128, match, h) + area)

# handshake: a valid hello, and one with overlapping areas
def hello(region, a2p_off, a2p_sz, p2a_off, p2a_sz, mms=128, agent=1):
    return le32(0x494D4353, 1, agent, 0, region, a2p_off, a2p_sz, p2a_off,
                p2a_sz, mms, 5)


put('handshake', 'valid', hello(4096, 0, 160, 160, 160))
put('handshake', 'valid-big', hello(1 << 20, 0, 65536 + 32, 65536 + 32,
                                    65536 + 32, mms=65536, agent=255))
put('handshake', 'overlap', hello(4096, 0, 160, 128, 160))

# reports: u8 driver, u8 event, u8 payload size, payload, replies
# (u8 status, u8 size, bytes). Drivers: base power system perf clock
# sensor reset voltage powercap. Discovery starts with VERSION and
# ATTRIBUTES; here one domain/source each, then every later command
# answered NOT_SUPPORTED (0xF1 = -1) or with zeros.
def reply(data, status=0):
    return bytes([status, len(data)]) + data


def rep(drv, evt, payld, replies):
    return bytes([drv, evt, len(payld)]) + payld + b''.join(replies)


put('reports', 'base-error',
    rep(0, 0, le32(1, 0x80000001) + struct.pack('<Q', 0x1234),
        [reply(le32(0x20000)), reply(le32(0x0101))] +
        [reply(b'', 0xF1)] * 3 + [reply(le32(0))] + [reply(b'', 0xF1)] * 4))
for drv, evt, payld in [(1, 0, le32(1, 0, 0x40000000)),
                        (2, 0, le32(1, 0, 0)),
                        (3, 0, le32(1, 0, 100, 10)),
                        (3, 1, le32(1, 0, 50)),
                        (4, 0, le32(1, 0, 1000, 0)),
                        (5, 0, le32(1, 0, 1)),
                        (6, 0, le32(1, 0, 0)),
                        (8, 0, le32(1, 0, 1000, 100)),
                        (8, 1, le32(1, 0, 500))]:
    replies = [reply(le32(0x20000)), reply(le32(1)), reply(le32(1, 0)),
               reply(le32(0) + b'dom0'.ljust(16, b'\0'))] + \
              [reply(le32(0) * 4)] * 8
    put('reports', 'drv%d-evt%d' % (drv, evt), rep(drv, evt, payld, replies))

# sim-dispatch: commands u8 protocol index, u8 msg id, u8 size, request.
# Index: base power system perf clock sensor reset voltage powercap.
def cmd(proto, msg, req=b''):
    return bytes([proto, msg, len(req)]) + req


for i, name in enumerate(['base', 'power', 'system', 'perf', 'clock',
                          'sensor', 'reset', 'voltage', 'powercap']):
    data = cmd(i, 0) + cmd(i, 1) + cmd(i, 2, le32(0x3)) + \
        cmd(i, 3, le32(0)) + cmd(i, 4, le32(0, 0)) + cmd(i, 5, le32(0, 1)) + \
        cmd(i, 6, le32(0, 0)) + cmd(i, 7, le32(0, 1, 0))
    put('sim-dispatch', name, data)

# topology
put('topology', 'empty', b'{}')
put('topology', 'power', b'{ "power": [ { "name": "a", "notify": true, '
    b'"async": false, "state": "on" } ] }')
if len(sys.argv) > 1:
    with open(sys.argv[1], 'rb') as f:
        put('topology', 'default', f.read())

# control
for i, req in enumerate([b'ping', b'help', b'state --json', b'agents',
                         b'faults', b'fault 1 drop', b'power set 0 0x40000000',
                         b'power get 0', b'perf limits 0 100 10',
                         b'sensor set 0 42', b'powercap attr 0 cap 100',
                         b'system request 0 graceful 10', b'clock rate 0 1000',
                         b'voltage level 0 900000', b'reset issue 0']):
    put('control', '%02d' % i, req)
