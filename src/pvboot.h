#ifndef __PVBOOT_H
#define __PVBOOT_H

#include "types.h" // u32

// pvboot.c
void *pvboot_malloc_high(u32 align, u32 size);

#endif // pvboot.h
