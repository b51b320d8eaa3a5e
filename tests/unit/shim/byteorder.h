// Host stand-in for SeaBIOS's byteorder.h (little-endian hosts)
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __BYTEORDER_H
#define __BYTEORDER_H

#include "types.h" // u32

static inline u16 cpu_to_be16(u16 x) { return __builtin_bswap16(x); }
static inline u32 cpu_to_be32(u32 x) { return __builtin_bswap32(x); }
static inline u16 be16_to_cpu(u16 x) { return __builtin_bswap16(x); }
static inline u32 be32_to_cpu(u32 x) { return __builtin_bswap32(x); }
static inline u16 cpu_to_le16(u16 x) { return x; }
static inline u32 cpu_to_le32(u32 x) { return x; }
static inline u16 le16_to_cpu(u16 x) { return x; }
static inline u32 le32_to_cpu(u32 x) { return x; }

#endif // byteorder.h
