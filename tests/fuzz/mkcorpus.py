#!/usr/bin/env python3
"""Write the seed corpora of the src/net fuzzers: mkcorpus.py OUTDIR.

Creates OUTDIR/<fuzzer>/seed-* (each well under 2 KB).  The addresses,
MACs, xid and ports match the constants in fuzz_net_rx.c.
"""

import os
import struct
import sys

OUR_MAC = bytes.fromhex('525400123456')
SRV_MAC = bytes.fromhex('525400aabbcc')
BCAST = b'\xff' * 6
OUR_IP = bytes([10, 0, 2, 15])
SRV_IP = bytes([10, 0, 2, 2])
XID = 0x01020304
CLIENT_PORT = 49152     # first ephemeral port: fuzz_net_rx resets port_seq
SRV_TID = 3456


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(dst, src, proto, payload):
    return dst + src + struct.pack('!H', proto) + payload


def ipv4(src, dst, proto, payload, options=b'', frag=0):
    ihl = 5 + len(options) // 4
    hdr = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, 0, ihl * 4 + len(payload),
                      1, frag, 64, proto, 0, src, dst) + options
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + payload


def udp(src, dst, sport, dport, data, eth_dst=OUR_MAC):
    length = 8 + len(data)
    pseudo = src + dst + struct.pack('!BBH', 0, 17, length)
    hdr = struct.pack('!HHHH', sport, dport, length, 0)
    check = csum(pseudo + hdr + data) or 0xffff
    hdr = hdr[:6] + struct.pack('!H', check)
    return eth(eth_dst, SRV_MAC, 0x0800, ipv4(src, dst, 17, hdr + data))


def arp(op, tpa, eth_dst=BCAST):
    return eth(eth_dst, SRV_MAC, 0x0806, struct.pack(
        '!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, op, SRV_MAC, SRV_IP,
        OUR_MAC if op == 2 else b'\0' * 6, tpa))


def icmp_echo():
    msg = struct.pack('!BBHHH', 8, 0, 0, 0x1234, 1) + b'ping'
    msg = msg[:2] + struct.pack('!H', csum(msg)) + msg[4:]
    return eth(OUR_MAC, SRV_MAC, 0x0800, ipv4(SRV_IP, OUR_IP, 1, msg))


def opt(code, value):
    return bytes([code, len(value)]) + value


def dhcp(msgtype, yiaddr=OUR_IP, opts=b'', sname=b'', file=b'', xid=XID):
    pkt = struct.pack('!BBBBIHH4s4s4s4s16s64s128sI', 2, 1, 6, 0, xid, 0, 0,
                      b'\0' * 4, yiaddr, SRV_IP, b'\0' * 4, OUR_MAC, sname,
                      file, 0x63825363)
    if msgtype:
        pkt += opt(53, bytes([msgtype]))
    return pkt + opts + b'\xff'


STD = (opt(54, SRV_IP) + opt(1, bytes([255, 255, 255, 0])) + opt(3, SRV_IP) +
       opt(51, struct.pack('!I', 3600)) + opt(67, b'pxelinux.0'))
OFFER = dhcp(2, opts=STD)
ACK = dhcp(5, opts=STD + opt(17, b'iscsi:10.0.2.2::::iqn.x'))
OVERLOAD = dhcp(5, opts=opt(54, SRV_IP) + opt(52, b'\x03'),
                file=opt(67, b'over.0') + b'\xff', sname=opt(66, b'srv') + b'\xff',
                xid=XID + 1)    # after a NAK the client uses a new xid
PROXY = dhcp(2, yiaddr=b'\0' * 4, opts=opt(60, b'PXEClient'), file=b'proxy.0')
NAK = dhcp(6, yiaddr=b'\0' * 4, opts=opt(54, SRV_IP))


def dhcp_frame(pkt):
    return udp(SRV_IP, b'\xff' * 4, 67, 68, pkt, eth_dst=BCAST)


def tftp_frame(pkt):
    return udp(SRV_IP, OUR_IP, SRV_TID, CLIENT_PORT, pkt)


def oack(**opts):
    return b'\0\6' + b''.join(k.encode() + b'\0' + str(v).encode() + b'\0'
                              for k, v in opts.items())


def data(block, payload):
    return struct.pack('!HH', 3, block) + payload


def error(code, msg):
    return struct.pack('!HH', 5, code) + msg + b'\0'


def frames(mode, *fs):
    return bytes([mode]) + b''.join(struct.pack('!H', len(f)) + f for f in fs)


SEEDS = {
    'fuzz_dhcp_parse': [OFFER, ACK, OVERLOAD, PROXY, NAK, dhcp(0, file=b'f.0')],
    'fuzz_tftp_parse': [data(1, b'x' * 100), error(1, b'File not found'),
                        oack(blksize=1468, tsize=3000), oack(BLKSIZE=8),
                        b'\0\6'],
    'fuzz_net_rx': [
        frames(0, arp(1, OUR_IP), arp(2, OUR_IP, OUR_MAC), icmp_echo(),
               udp(SRV_IP, OUR_IP, 4000, 68, b'hello'),
               eth(OUR_MAC, SRV_MAC, 0x0800, ipv4(SRV_IP, OUR_IP, 17, b'\0' * 8,
                                                  options=b'\1' * 4)),
               eth(OUR_MAC, SRV_MAC, 0x0800, ipv4(SRV_IP, OUR_IP, 17, b'\0' * 8,
                                                  frag=0x2000))),
        frames(1, dhcp_frame(OFFER), udp(SRV_IP, b'\xff' * 4, 1, 2, b'bc',
                                         eth_dst=BCAST)),
        frames(2, dhcp_frame(OFFER), dhcp_frame(ACK)),
        frames(2, dhcp_frame(PROXY), dhcp_frame(OFFER), dhcp_frame(NAK),
               dhcp_frame(dhcp(2, opts=STD, xid=XID + 1)), dhcp_frame(OVERLOAD)),
        frames(3, tftp_frame(oack(blksize=512, tsize=700)),
               tftp_frame(data(1, bytes(range(256)) * 2)),
               tftp_frame(data(2, b'z' * 188))),
        frames(3, tftp_frame(data(1, b'short file'))),
        frames(3, tftp_frame(error(1, b'File not found'))),
    ],
}


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: mkcorpus.py OUTDIR')
    for target, seeds in SEEDS.items():
        outdir = os.path.join(sys.argv[1], target)
        os.makedirs(outdir, exist_ok=True)
        for i, seed in enumerate(seeds):
            assert len(seed) < 2048, (target, i)
            with open(os.path.join(outdir, f'seed-{i}'), 'wb') as f:
                f.write(seed)


if __name__ == '__main__':
    main()
