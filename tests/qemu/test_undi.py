# System test of the UNDI API: pvboot network-boots tests/payload's
# undi_test.0 over QEMU user networking, and that NBP drives the PXE/UNDI
# API directly (issue 4), printing "UNDI-TEST: PASS" or "UNDI-TEST: FAIL".
#
# Copyright (C) 2026  The pvboot authors
#
# This file may be distributed under the terms of the GNU LGPLv3 license.

"""UNDI API test: a real-mode NBP that calls pvboot's PXE/UNDI API itself."""

import os
import shutil
import subprocess

from harness import TestFailure, qpath, sercon_args

NBP = 'undi_test.0'
RESULT = r'UNDI-TEST: (PASS|FAIL.*)'
# pvboot's message once the NBP has returned with a far return and AX = 0.
RETURNED = r'Network bootstrap program returned \(AX=0000\)'


def build_payload(ctx):
    """make -C tests/payload; return the path of the NBP."""
    make = subprocess.run(['make', '-C', os.path.join(ctx.repo, 'tests', 'payload')],
                          cwd=ctx.repo, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if make.returncode:
        out = make.stdout.decode(errors='replace').rstrip().splitlines()
        raise TestFailure('make -C tests/payload failed:\n' + '\n'.join(out[-20:]))
    return os.path.join(ctx.repo, 'build', 'payload', NBP)


def test_undi_api(ctx):
    """DHCP + TFTP of undi_test.0 by pvboot's own virtio-net driver (no
    option ROM), then every check of the NBP (tests/payload/undi_test.S)."""
    nbp = build_payload(ctx)
    # ctx.Qemu empties build/test-logs/NAME, so the TFTP root lives in it
    # and QEMU logs one level down.
    top = ctx.logdir(ctx.name)
    tftp = os.path.join(top, 'tftp')
    os.makedirs(tftp)
    shutil.copy(nbp, tftp)
    netdev = f'user,id=n0,restrict=on,tftp={qpath(tftp)},bootfile={NBP}'
    args = [*sercon_args(), '-netdev', netdev,
            '-device', 'virtio-net-pci,netdev=n0,bootindex=1,romfile=']
    with ctx.Qemu(f'{ctx.name}/vm', bios=ctx.bios, args=args, timeout=60) as vm:
        result = vm.wait_for(RESULT).group(1).rstrip()
        if result != 'PASS':
            lines = [line for line in vm.log().splitlines() if 'UNDI-TEST:' in line]
            raise TestFailure(f'{result}\nNBP output:\n' + '\n'.join(lines[-15:]))
        vm.wait_for(RETURNED, source='debug', timeout=15)
