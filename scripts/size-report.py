#!/usr/bin/env python3
"""Print an image's footprint and fail when the Xen image does not fit
hvmloader's window.  Usage: size-report.py VARIANT LAYOUTLOG IMAGE STOCKLOG

From SeaBIOS's layout summaries: the runtime bytes below 1 MiB, their
growth over the same configuration built without pvboot (STOCKLOG), and the
relocated 32-bit code that pvboot keeps as its runtime-high region.
"""

import os
import re
import sys

XEN_MAX = 131072


def field(log, name):
    m = re.findall(rf'^{re.escape(name)}: *(\d+)', log, re.M)
    return int(m[-1]) if m else 0


def low_bytes(log):
    """Runtime bytes below 1 MiB: 16-bit, 32-bit segmented and flat code
    and data, and the low-memory variables."""
    return [field(log, n) for n in ('16bit size', '32bit segmented size',
                                    '32bit flat size', 'Lowmem size')]


def main():
    variant, logpath, image, stockpath = sys.argv[1:5]
    log = open(logpath).read()
    total = os.path.getsize(image)
    low = low_bytes(log)
    stock = low_bytes(open(stockpath).read())
    high = field(log, '32bit flat init size')
    rom = re.findall(r'^Total size: (\d+)', log, re.M)
    print(f'  {variant:5} {image}: {total} bytes (ROM content {rom[-1] if rom else "?"});'
          f' below 1 MiB {sum(low)} (16bit {low[0]} + 32seg {low[1]}'
          f' + 32flat {low[2]} + lowmem {low[3]}), {sum(low) - sum(stock):+d}'
          f' over stock SeaBIOS; runtime-high (relocated 32-bit code kept after'
          f' POST) {high}')
    if variant == 'xen' and total > XEN_MAX:
        sys.exit(f'ERROR: {image} is {total} bytes; hvmloader places SeaBIOS at '
                 f'0xE0000, so it must be at most {XEN_MAX}')


if __name__ == '__main__':
    main()
