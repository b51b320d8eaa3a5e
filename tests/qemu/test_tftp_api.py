# System test of the PXE TFTP and UDP APIs: pvboot network-boots
# tests/payload's tftp_test.0 over QEMU user networking, and that NBP reads
# data.bin from QEMU's TFTP server through TFTP_GET_FSIZE, TFTP_OPEN/READ/
# CLOSE, TFTP_READ_FILE (above 1 MiB) and a hand-made TFTP exchange over
# UDP_OPEN/WRITE/READ/CLOSE, printing "TFTP-TEST: PASS" or "TFTP-TEST: FAIL".
#
# Copyright (C) 2026  The pvboot authors
#
# This file may be distributed under the terms of the GNU LGPLv3 license.

"""TFTP/UDP API test: a real-mode NBP that calls pvboot's TFTP and UDP API."""

import os
import re
import shutil
import subprocess

from harness import TestFailure, qpath, sercon_args

NBP = 'tftp_test.0'
# tftp_test.S checks every byte against this pattern; it must not change
# without the NBP's DATA_SIZE and check_pattern.
DATA_SIZE = 100000
RESULT = r'TFTP-TEST: (PASS|FAIL.*)'
# pvboot's message once the NBP has returned with a far return and AX = 0.
RETURNED = r'Network bootstrap program returned \(AX=0000\)'


def data_bin():
    """data.bin: byte i = (i * 7 + 3) & 0xff."""
    return bytes((i * 7 + 3) & 0xff for i in range(DATA_SIZE))


def build_payload(ctx):
    """make -C tests/payload; return the path of the NBP."""
    make = subprocess.run(['make', '-C', os.path.join(ctx.repo, 'tests', 'payload')],
                          cwd=ctx.repo, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if make.returncode:
        out = make.stdout.decode(errors='replace').rstrip().splitlines()
        raise TestFailure('make -C tests/payload failed:\n' + '\n'.join(out[-20:]))
    return os.path.join(ctx.repo, 'build', 'payload', NBP)


def test_tftp_api(ctx):
    """DHCP + TFTP of tftp_test.0 by pvboot's own virtio-net driver (no
    option ROM), then every check of the NBP (tests/payload/tftp_test.S)."""
    nbp = build_payload(ctx)
    # ctx.Qemu empties build/test-logs/NAME, so the TFTP root lives in it
    # and QEMU logs one level down.  No missing.bin: the NBP expects
    # TFTP_FILE_NOT_FOUND for it.
    top = ctx.logdir(ctx.name)
    tftp = os.path.join(top, 'tftp')
    os.makedirs(tftp)
    shutil.copy(nbp, tftp)
    with open(os.path.join(tftp, 'data.bin'), 'wb') as f:
        f.write(data_bin())
    netdev = f'user,id=n0,restrict=on,tftp={qpath(tftp)},bootfile={NBP}'
    args = [*sercon_args(), '-netdev', netdev,
            '-device', 'virtio-net-pci,netdev=n0,romfile=,bootindex=1']
    with ctx.Qemu(f'{ctx.name}/vm', bios=ctx.bios, args=args, timeout=90) as vm:
        result = vm.wait_for(RESULT).group(1).rstrip()
        lines = [line.rstrip() for line in vm.log().splitlines() if 'TFTP-TEST:' in line]
        if result != 'PASS':
            raise TestFailure(f'{result}\nNBP output:\n' + '\n'.join(lines[-20:]))
        # The NBP takes the server from siaddr; under QEMU user networking
        # that is the host side, 10.0.2.2.
        if not any(re.search(r'IP 10\.0\.2\.15, server 10\.0\.2\.2$', line)
                   for line in lines):
            raise TestFailure('GET_CACHED_INFO did not give IP 10.0.2.15, server '
                              '10.0.2.2\nNBP output:\n' + '\n'.join(lines))
        vm.wait_for(RETURNED, source='debug', timeout=15)
