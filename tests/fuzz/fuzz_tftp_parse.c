// libFuzzer target: tftp_parse() on arbitrary received packets
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "net/tftp.h" // tftp_parse

static volatile unsigned Sum;

int
LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    struct tftp_pkt pkt;
    if (size > 0xffff || tftp_parse(data, size, &pkt))
        return 0;
    // Read every byte the result points at, so ASan checks the bounds.
    for (int i = 0; pkt.data && i < pkt.len; i++)
        Sum += pkt.data[i];
    if (pkt.opts & TFTP_OPT_BLKSIZE && (pkt.blksize < TFTP_BLKSIZE_MIN
                                        || pkt.blksize > TFTP_BLKSIZE_MAX))
        __builtin_trap();
    return 0;
}
