// Host implementations behind the shim headers: fake clock, dprintf
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include <stdarg.h>
#include <stdlib.h>

#include "output.h" // shim_dprintf
#include "shimctl.h" // shim_clock
#include "util.h" // timer_calc

int shim_debug_level;
u32 shim_clock;

u32
timer_calc(u32 msecs)
{
    return shim_clock + msecs;
}

int
timer_check(u32 end)
{
    shim_clock++;
    return (s32)(shim_clock - end) > 0;
}

void
shim_advance(u32 msecs)
{
    shim_clock += msecs;
}

void
shim_dprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

// NET_DEBUG=n in the environment shows dprintf levels up to n.
__attribute__((constructor)) static void
shim_init(void)
{
    const char *level = getenv("NET_DEBUG");
    shim_debug_level = level ? atoi(level) : 0;
}
