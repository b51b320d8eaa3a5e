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
import sys

from harness import TestFailure

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nbp  # noqa: E402

# tftp_test.S checks every byte against this pattern; it must not change
# without the NBP's DATA_SIZE and check_pattern.
DATA_SIZE = 100000


def data_bin():
    """data.bin: byte i = (i * 7 + 3) & 0xff."""
    return bytes((i * 7 + 3) & 0xff for i in range(DATA_SIZE))


def check_server(lines):
    """The NBP takes the server from siaddr; under QEMU user networking
    that is the host side, 10.0.2.2."""
    if not any(re.search(r'IP 10\.0\.2\.15, server 10\.0\.2\.2$', line)
               for line in lines):
        raise TestFailure('GET_CACHED_INFO did not give IP 10.0.2.15, server '
                          '10.0.2.2\nNBP output:\n' + '\n'.join(lines))


def test_tftp_api(ctx):
    """DHCP + TFTP of tftp_test.0 by pvboot's own virtio-net driver (no
    option ROM), then every check of the NBP (tests/payload/tftp_test.S).
    No missing.bin: the NBP expects TFTP_FILE_NOT_FOUND for it."""
    nbp.run_nbp(ctx, 'tftp_test.0', 'TFTP-TEST', files={'data.bin': data_bin()},
                timeout=90, tail=20, check=check_server)
