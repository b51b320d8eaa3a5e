// libFuzzer target: dhcp_parse() on arbitrary server replies
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "net/dhcp.h" // dhcp_parse

// Read every byte a parsed string points at, so ASan checks the bounds.
static unsigned
touch(const struct dhcp_str *s)
{
    unsigned sum = 0;
    for (int i = 0; s->data && i < s->len; i++)
        sum += s->data[i];
    return sum;
}

static volatile unsigned Sum;

int
LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    struct dhcp_info info;
    if (size > 0xffff)
        return 0;
    if (dhcp_parse(data, size, &info))
        return 0;
    Sum += touch(&info.bootfile) + touch(&info.server_name)
        + touch(&info.root_path) + info.chaddr[ETH_ALEN - 1];
    return 0;
}
