// Host stand-in for SeaBIOS's string.h: the C library's functions
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __SHIM_STRING_H
#define __SHIM_STRING_H

// This directory shadows the C library's <string.h>; pull that in.
#include_next <string.h>

#endif // string.h
