// Host stand-in for SeaBIOS's output.h: dprintf to stderr
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __OUTPUT_H
#define __OUTPUT_H

// POSIX <stdio.h> declares a dprintf() of its own: include it first so
// the macro below does not rewrite that declaration.
#include <stdio.h>

extern int shim_debug_level;
void shim_dprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#undef dprintf
#define dprintf(lvl, fmt, args...) do {                 \
        if ((lvl) <= shim_debug_level)                  \
            shim_dprintf((fmt) , ##args );              \
    } while (0)

#endif // output.h
