# System test of the !PXE API for 16-bit protected-mode callers (PXE 2.1):
# pvboot network-boots tests/payload's pm_test.0 over QEMU user networking;
# that NBP builds a GDT with the UNDI segments, writes the selectors into
# !PXE, switches to 16-bit protected mode and calls the API there with
# selector:offset pointers (UNDI_GET_INFORMATION, GET_CACHED_INFO,
# UNDI_OPEN/TRANSMIT/ISR/CLOSE, a bad opcode), then returns to real mode and
# prints "PM-TEST: PASS" or "PM-TEST: FAIL <step>: <reason>".
#
# Copyright (C) 2026  The pvboot authors
#
# This file may be distributed under the terms of the GNU LGPLv3 license.

"""!PXE API test: an NBP that calls pvboot from 16-bit protected mode."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nbp  # noqa: E402


def test_pxe_pm(ctx):
    """DHCP + TFTP of pm_test.0 by pvboot's own virtio-net driver (no
    option ROM), then every check of the NBP (tests/payload/pm_test.S).
    A triple fault ends QEMU (-no-reboot); run_nbp then shows how far the
    NBP got."""
    nbp.run_nbp(ctx, 'pm_test.0', 'PM-TEST', timeout=60)
