// Test control of the shim: the fake millisecond clock
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __SHIMCTL_H
#define __SHIMCTL_H

#include "types.h" // u32

extern u32 shim_clock;          // milliseconds since the test started
extern int shim_debug_level;    // dprintf levels shown (NET_DEBUG env)
void shim_advance(u32 msecs);

#endif // shimctl.h
