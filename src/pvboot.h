#ifndef __PVBOOT_H
#define __PVBOOT_H

#include "types.h" // u32

// pvboot.c
void *pvboot_runtime_high_alloc(u32 align, u32 size);

#endif // pvboot.h
