// Host stand-in for SeaBIOS's util.h: the timer functions, on a fake clock
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __UTIL_H
#define __UTIL_H

#include "types.h" // u32

// Same signatures as SeaBIOS hw/timer.c.  One tick is one millisecond;
// every timer_check() advances the clock by a tick so waits end.
u32 timer_calc(u32 msecs);
int timer_check(u32 end);

#endif // util.h
