// Network boot: one boot menu entry per NIC; DHCP, TFTP the NBP to 0:7C00
// and start it with the PXE API installed.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "biosvar.h" // GET_GLOBAL, FUNC16
#include "block.h" // MAXDESCSIZE
#include "bregs.h" // struct bregs
#include "config.h" // CONFIG_PVBOOT_NET
#include "output.h" // printf, znprintf
#include "pvboot.h" // boot_add_net
#include "pxe/pxe_core.h" // struct pxe_state
#include "stacks.h" // farcall16
#include "std/smbios.h" // struct smbios_type_1
#include "string.h" // memset
#include "util.h" // smbios_get_tables

#define NBP_ADDR 0x7c00

extern u32 TimerKHz;

// The SMBIOS type 1 UUID, sent as DHCP option 97 in the raw SMBIOS 2.6+
// byte order (pxe.md 15); NULL when the machine has none.
static u8 MachineUuid[16];
static int HaveUuid;

// Walk the SMBIOS structure table (SMBIOS 3.0 section 6.1: a formatted
// area of header.length bytes, then strings ending in a double NUL).
static void
find_uuid(void)
{
    u32 len = 0;
    u8 *p = smbios_get_tables(&len), *end = p + len;
    if (!p)
        return;
    while (p + sizeof(struct smbios_structure_header) <= end) {
        struct smbios_structure_header *h = (void *)p;
        if (h->length < sizeof(*h) || p + h->length > end)
            return;
        struct smbios_type_1 *t = (void *)p;
        if (h->type == 1 && h->length >= offsetof(struct smbios_type_1, uuid) + 16) {
            static const u8 zero[16];
            HaveUuid = memcmp(t->uuid, zero, sizeof(zero)) != 0;
            memcpy(MachineUuid, t->uuid, sizeof(MachineUuid));
            return;
        }
        u8 *s = p + h->length;
        while (s + 1 < end && (s[0] || s[1]))
            s++;
        p = s + 2;
    }
}

static const char *
mac_str(char *buf, const u8 *mac)
{
    snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x"
             , mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return buf;
}

// POST: a boot menu entry per NIC, named with driver and MAC.
void
pxe_boot_setup(void)
{
    if (!Pxe)
        return;
    find_uuid();
    struct netdev *nd;
    for (nd = netdev_list(); nd; nd = nd->next) {
        char mac[18];
        boot_add_net(nd, znprintf(MAXDESCSIZE, "Network boot (%s %s)"
                                  , nd->driver, mac_str(mac, nd->mac))
                     , nd->prio);
    }
}

struct progress {
    u32 start, next;
};

static void
tftp_progress(u32 done, u32 total, void *arg)
{
    struct progress *pr = arg;
    if (!timer_check(pr->next) && done != total)
        return;
    pr->next = timer_calc(500);
    u32 ms = (timer_calc(0) - pr->start) / GET_GLOBAL(TimerKHz);
    u32 rate = ms ? done / ms : 0;
    if (total)
        printf("\r  %u of %u KiB (%u KB/s)    ", done >> 10, total >> 10, rate);
    else
        printf("\r  %u KiB (%u KB/s)    ", done >> 10, rate);
}

static int
pxe_dhcp(struct pxe_state *ps)
{
    printf("  DHCP (%s)...", ps->nd->driver);
    int ret = dhcp_run(&ps->nif, HaveUuid ? MachineUuid : NULL
                       , timer_calc(0), &ps->lease, NULL);
    if (ret == NET_ETIMEDOUT) {
        printf(" failed: no DHCP server answered\n");
        return -1;
    }
    if (ret) {
        printf(" failed: %s\n", net_strerror(ret));
        return -1;
    }
    struct dhcp_lease *l = &ps->lease;
    char ip[16], srv[16];
    printf(" %s, server %s, boot file '%s'\n", ip_fmt(ip, l->yiaddr)
           , ip_fmt(srv, l->siaddr ? l->siaddr : l->server_id), l->bootfile);
    if (l->root_path[0])
        printf("  root-path '%s' (SAN boot not supported yet; ignored)\n"
               , l->root_path);
    return 0;
}

static int
pxe_download(struct pxe_state *ps)
{
    struct dhcp_lease *l = &ps->lease;
    if (!l->bootfile[0]) {
        printf("  no boot file name in the DHCP reply\n");
        return -1;
    }
    // pxelinux semantics: next-server, else the DHCP server (pxe.md 0.17).
    u32 server = l->siaddr ? l->siaddr : l->server_id;
    u32 maxlen = ps->blk.codeseg * 16 - NBP_ADDR;
    struct progress pr = { timer_calc(0), 0 };
    u32 got = 0;
    char srv[16];
    printf("  TFTP %s:%s\n", ip_fmt(srv, server), l->bootfile);
    int ret = tftp_get(&ps->tftp, &ps->nif, server, l->bootfile
                       , (void *)NBP_ADDR, maxlen, &got, tftp_progress, &pr);
    if (ret) {
        printf("\n  TFTP failed: %s\n", tftp_strerror(&ps->tftp, ret));
        return -1;
    }
    printf("\n");
    return 0;
}

// Far-call 0:7C00 with ES:BX = PXENV+, SS:[SP+4] = !PXE (pxe.md 4).
static u16
pxe_start_nbp(struct pxe_state *ps)
{
    struct pxe_block *b = &ps->blk;
    struct bregs br;
    memset(&br, 0, sizeof(br));
    br.flags = F_IF;
    br.es = b->dataseg;
    br.bx = 0;
    br.ds = b->dataseg;
    br.si = b->stack_top;
    br.ecx = SEGOFF(b->dataseg, (u32)b->bangpxe - b->dataseg * 16).segoff;
    br.code = FUNC16(entry_pxe_start_nbp);
    farcall16(&br);
    return br.ax;
}

static void
pxe_boot_cleanup(struct pxe_state *ps)
{
    pxe_udp_shutdown(ps);
    ps->nif.rx_hook = NULL;
    netdev_close(ps->nd);
    pxe_api_remove(ps);
    pxe_block_release(ps);
}

// do_boot() entry for a network boot entry; returning means "try the next".
void VISIBLE32INIT noinline
pxe_boot(u32 data)
{
    if (!CONFIG_PVBOOT_NET)
        return;
    struct pxe_state *ps = Pxe;
    struct netdev *nd = (void *)data;
    char mac[18];
    printf("Booting from network (%s %s)...\n", nd->driver
           , mac_str(mac, nd->mac));
    if (!ps || netdev_open(nd)) {
        printf("  cannot start the network device\n");
        return;
    }
    ps->nd = nd;
    netif_init(&ps->nif, nd);
    if (pxe_dhcp(ps) || pxe_block_create(ps) || pxe_download(ps)) {
        printf("Network boot failed; trying the next boot device.\n");
        pxe_boot_cleanup(ps);
        return;
    }
    pxe_block_fill_cached(ps);
    pxe_undi_start(ps);
    pxe_api_install(ps);
    u16 ax = pxe_start_nbp(ps);
    printf("Network bootstrap program returned (AX=%04x).\n", ax);
    pxe_boot_cleanup(ps);
}
