#ifndef __PVBOOT_H
#define __PVBOOT_H

#include "types.h" // u32

struct bregs;

// pvboot.c
void *pvboot_malloc_high(u32 align, u32 size);
void pvboot_setup(void);
// boot.c (patches/pxe-hooks.patch)
void boot_add_net(void *netdev, const char *desc, int prio);
// pxe/pxe_api.c
void pxe_api_setup(void);
// pxe/pxe_boot.c
void pxe_boot_setup(void);
void pxe_boot(u32 data);
// pxe/pxe_int1a.c
void handle_1a56(struct bregs *regs);

#endif // pvboot.h
