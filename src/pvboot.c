// pvboot core: the permanent high-memory runtime region.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "e820map.h" // e820_add
#include "malloc.h" // memalign_tmphigh
#include "output.h" // dprintf
#include "pvboot.h" // pvboot_malloc_high
#include "memmap.h" // PAGE_SIZE

// SeaBIOS copies its 32-bit flat "init" code to high memory at POST and
// drops it before boot.  pvboot keeps that copy for good: its runtime code
// (network stack, PXE, VMBus, Xen) is built as "init" code and reached after
// POST through small low-memory trampolines.  The region is whole pages,
// e820-reserved so no OS ever reuses it (docs/architecture.md, section 3).
void *
pvboot_malloc_high(u32 align, u32 size)
{
    u32 rsize = ALIGN(size, PAGE_SIZE);
    void *region = memalign_tmphigh(align > PAGE_SIZE ? align : PAGE_SIZE
                                    , rsize);
    if (!region)
        return NULL;
    e820_add((u32)region, rsize, E820_RESERVED);
    dprintf(1, "pvboot: runtime-high region %p-%p (%d bytes)\n"
            , region, region + rsize - 1, rsize);
    return region;
}
