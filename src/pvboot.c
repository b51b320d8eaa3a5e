// pvboot core: the permanent high-memory runtime region and device setup.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "e820map.h" // e820_add
#include "hw/virtio-net.h" // virtio_net_setup
#include "malloc.h" // memalign_tmphigh
#include "config.h" // CONFIG_PVBOOT_NET
#include "output.h" // dprintf
#include "pvboot.h" // pvboot_malloc_high
#include "memmap.h" // PAGE_SIZE

// Permanent high memory: whole pages, e820-reserved so no NBP or OS ever
// reuses them.  SeaBIOS copies its 32-bit flat "init" code to high memory at
// POST and drops it before boot; pvboot keeps that copy here for good (see
// patches/post.patch): its runtime code (network stack, PXE) is built as
// "init" code and reached after POST through small f-segment trampolines.
// Device rings and buffers come from here too (docs/architecture.md, 3).
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

// Called at the end of SeaBIOS's device_hardware_setup(): NICs register
// with the netdev list, then get network boot entries.
void
pvboot_setup(void)
{
    if (!CONFIG_PVBOOT_NET)
        return;
    pxe_api_setup();
    virtio_net_setup();
    pxe_boot_setup();
}
