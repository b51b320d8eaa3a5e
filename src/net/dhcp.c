// DHCP client for PXE (RFC 2131, RFC 2132; PXE 2.1 and RFC 4578 options)
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "byteorder.h" // cpu_to_be32
#include "net/dhcp.h" // dhcp_run
#include "net/proto.h" // IP_UDP_HLEN
#include "output.h" // dprintf
#include "string.h" // memcpy
#include "util.h" // timer_calc

#define BOOTREQUEST 1
#define BOOTREPLY   2
#define DHCP_HTYPE_ETHER    1           // RFC 1700 hardware type
#define DHCP_MAGIC          0x63825363  // RFC 2131 3: 99.130.83.99
#define DHCP_FLAG_BROADCAST 0x8000      // RFC 2131 2, figure 2
#define DHCP_OVERLOAD_FILE  1           // RFC 2132 9.3
#define DHCP_OVERLOAD_SNAME 2
#define DHCP_NAK_RESTARTS   1           // a NAK restarts discovery this often

// Option codes (RFC 2132; RFC 4578 for 93, 94 and 97).
#define OPT_PAD           0
#define OPT_NETMASK       1
#define OPT_ROUTER        3
#define OPT_ROOT_PATH     17
#define OPT_REQUESTED_IP  50
#define OPT_LEASE_TIME    51
#define OPT_OVERLOAD      52
#define OPT_MSGTYPE       53
#define OPT_SERVER_ID     54
#define OPT_PARAM_LIST    55
#define OPT_MAX_SIZE      57
#define OPT_VENDOR_CLASS  60
#define OPT_CLIENT_ID     61
#define OPT_TFTP_SERVER   66
#define OPT_BOOTFILE      67
#define OPT_CLIENT_ARCH   93
#define OPT_CLIENT_NDI    94
#define OPT_CLIENT_UUID   97
#define OPT_END           255

static const char pxe_class[] = "PXEClient:Arch:00000:UNDI:002001";
static const u8 client_arch[] = { 0, 0 };      // RFC 4578 2.1: x86 BIOS
static const u8 client_ndi[] = { 1, 2, 1 };     // RFC 4578 2.2: UNDI 2.1
static const u8 param_list[] = {
    1, 3, 6, 12, 15, 17, 43, 54, 60, 66, 67,
    128, 129, 130, 131, 132, 133, 134, 135,
};

// Our largest message must fit the 576-byte datagram every host accepts.
#define DHCP_OPTS_MAX (3 + 4 + 2 + sizeof(client_arch) + 2 + sizeof(client_ndi) \
                       + 2 + sizeof(pxe_class) - 1 + 3 + 16                    \
                       + 2 + sizeof(param_list) + 3 + ETH_ALEN + 6 + 6 + 1)
_Static_assert(sizeof(struct dhcp_hdr) + DHCP_OPTS_MAX <= DHCP_TX_MAX
               , "DHCP messages fit a minimum datagram");
_Static_assert(DHCP_TX_MAX <= NET_MIN_MTU - IP_UDP_HLEN
               , "DHCP messages fit any MTU");

// RFC 2131 4.1: retransmit with exponential backoff (not randomized).
static const u16 discover_wait_ms[] = { 1000, 2000, 4000, 8000 };
// The first REQUEST and 3 retries.
static const u16 request_wait_ms[] = { 1000, 2000, 2000, 2000 };


/****************************************************************
 * Parsing
 ****************************************************************/

// A 4-byte option value (the first of a list with LIST) into DST as is.
static void
opt_be32(u32 *dst, const u8 *val, u8 len, int list)
{
    if (len == 4 || (list && len && !(len % 4)))
        memcpy(dst, val, 4);
}

// Some servers NUL-terminate option strings: stop at the first NUL.
static void
opt_str(struct dhcp_str *dst, const u8 *val, u8 len)
{
    u8 n = net_strnlen((const char *)val, len);
    if (n) {
        dst->data = val;
        dst->len = n;
    }
}

// One option; values of the wrong size are ignored (a later instance of
// an option replaces an earlier one).
static void
dhcp_option(struct dhcp_info *out, u8 code, const u8 *val, u8 len)
{
    switch (code) {
    case OPT_MSGTYPE:
        if (len == 1)
            out->msgtype = val[0];
        break;
    case OPT_OVERLOAD:
        if (len == 1)
            out->overload = val[0] & (DHCP_OVERLOAD_FILE | DHCP_OVERLOAD_SNAME);
        break;
    case OPT_NETMASK:
        opt_be32(&out->netmask, val, len, 0);
        break;
    case OPT_ROUTER:
        opt_be32(&out->router, val, len, 1);
        break;
    case OPT_SERVER_ID:
        opt_be32(&out->server_id, val, len, 0);
        break;
    case OPT_LEASE_TIME:
        opt_be32(&out->lease_time, val, len, 0);
        break;
    case OPT_VENDOR_CLASS:
        out->pxeclient = len >= 9 && !memcmp(val, "PXEClient", 9);
        break;
    case OPT_BOOTFILE:
        opt_str(&out->bootfile, val, len);
        break;
    case OPT_TFTP_SERVER:
        opt_str(&out->server_name, val, len);
        break;
    case OPT_ROOT_PATH:
        opt_str(&out->root_path, val, len);
        break;
    }
}

// RFC 2132 2: options are code, length, value; code 0 is a one-byte pad
// and 255 ends the area.  An option running past the area is an error.
static int
dhcp_parse_area(const u8 *p, u16 len, struct dhcp_info *out)
{
    u16 i = 0;
    while (i < len) {
        u8 code = p[i];
        if (code == OPT_END)
            return 0;
        if (code == OPT_PAD) {
            i++;
            continue;
        }
        if (i + 2 > len || i + 2 + p[i + 1] > len)
            return NET_EPROTO;
        dhcp_option(out, code, p + i + 2, p[i + 1]);
        i += 2 + p[i + 1];
    }
    return 0;
}

// Parse a server's reply: BOOTREPLY for Ethernet with the magic cookie,
// options in the options area and, when option 52 says so, in the file
// and then the sname field (RFC 2132 9.3).
int
dhcp_parse(const u8 *pkt, u16 len, struct dhcp_info *out)
{
    const struct dhcp_hdr *h = (const void *)pkt;
    memset(out, 0, sizeof(*out));
    if (len < sizeof(*h) || h->op != BOOTREPLY || h->htype != DHCP_HTYPE_ETHER
        || h->hlen != ETH_ALEN || h->magic != cpu_to_be32(DHCP_MAGIC))
        return NET_EPROTO;
    out->xid = be32_to_cpu(h->xid);
    out->chaddr = h->chaddr;
    out->yiaddr = h->yiaddr;
    out->siaddr = h->siaddr;
    int ret = dhcp_parse_area(pkt + sizeof(*h), len - sizeof(*h), out);
    u8 overload = out->overload;    // only the options area may overload
    if (!ret && (overload & DHCP_OVERLOAD_FILE))
        ret = dhcp_parse_area(h->file, sizeof(h->file), out);
    if (!ret && (overload & DHCP_OVERLOAD_SNAME))
        ret = dhcp_parse_area(h->sname, sizeof(h->sname), out);
    if (ret)
        return ret;
    out->overload = overload;
    out->lease_time = be32_to_cpu(out->lease_time);
    // The file and sname fields hold NUL-terminated strings when not
    // overloaded (RFC 2131 2, table 1).
    if (!out->bootfile.data && !(overload & DHCP_OVERLOAD_FILE))
        opt_str(&out->bootfile, h->file, sizeof(h->file));
    if (!out->server_name.data && !(overload & DHCP_OVERLOAD_SNAME))
        opt_str(&out->server_name, h->sname, sizeof(h->sname));
    return 0;
}


/****************************************************************
 * Client
 ****************************************************************/

struct dhcp_client {
    struct udp_pcb pcb;
    struct netif *nif;
    struct dhcp_lease *lease;
    void (*status)(const char *msg);
    const u8 *uuid;
    u32 xid;
    u32 offer_ip, offer_server; // the DHCPOFFER we took (0: none yet)
    u8 state;                   // what we send: DHCPDISCOVER or DHCPREQUEST
    u8 reply;                   // DHCPACK or DHCPNAK to our request
};

static u8 *
opt_put(u8 *p, u8 code, u8 len, const void *val)
{
    *p++ = code;
    *p++ = len;
    memcpy(p, val, len);
    return p + len;
}

// An option whose value is a type byte and then VAL (61 and 97).
static u8 *
opt_put_typed(u8 *p, u8 code, u8 type, const void *val, u8 len)
{
    *p++ = code;
    *p++ = len + 1;
    *p++ = type;
    memcpy(p, val, len);
    return p + len;
}

// Our DHCPDISCOVER or DHCPREQUEST (RFC 2131 4.4.1) with the PXE client
// options, into BUF (at least DHCP_TX_MAX bytes); returns its length.
static u16
dhcp_build(struct dhcp_client *dc, u8 *buf)
{
    struct dhcp_hdr *h = (void *)buf;
    const u8 *mac = dc->nif->dev->mac;
    memset(h, 0, sizeof(*h));
    h->op = BOOTREQUEST;
    h->htype = DHCP_HTYPE_ETHER;
    h->hlen = ETH_ALEN;
    h->xid = cpu_to_be32(dc->xid);
    h->flags = cpu_to_be16(DHCP_FLAG_BROADCAST);
    memcpy(h->chaddr, mac, ETH_ALEN);
    h->magic = cpu_to_be32(DHCP_MAGIC);
    u16 maxsize = cpu_to_be16(DHCP_PKT_MAX);
    u8 *p = buf + sizeof(*h);
    p = opt_put(p, OPT_MSGTYPE, 1, &dc->state);
    p = opt_put(p, OPT_MAX_SIZE, sizeof(maxsize), &maxsize);
    p = opt_put(p, OPT_CLIENT_ARCH, sizeof(client_arch), client_arch);
    p = opt_put(p, OPT_CLIENT_NDI, sizeof(client_ndi), client_ndi);
    p = opt_put(p, OPT_VENDOR_CLASS, sizeof(pxe_class) - 1, pxe_class);
    if (dc->uuid)
        p = opt_put_typed(p, OPT_CLIENT_UUID, 0, dc->uuid, 16);
    p = opt_put(p, OPT_PARAM_LIST, sizeof(param_list), param_list);
    p = opt_put_typed(p, OPT_CLIENT_ID, DHCP_HTYPE_ETHER, mac, ETH_ALEN);
    if (dc->state == DHCPREQUEST) {
        p = opt_put(p, OPT_REQUESTED_IP, 4, &dc->offer_ip);
        p = opt_put(p, OPT_SERVER_ID, 4, &dc->offer_server);
    }
    *p++ = OPT_END;
    return p - buf;
}

// udp_send_fill() callback: build the message in the frame (MAX is at
// least DHCP_TX_MAX, asserted above), and keep the DISCOVER for PXE
// GET_CACHED_INFO.
static u16
dhcp_fill(void *ctx, u8 *buf, u16 max)
{
    struct dhcp_client *dc = ctx;
    struct dhcp_lease *lease = dc->lease;
    u16 len = dhcp_build(dc, buf);
    if (dc->state == DHCPDISCOVER) {
        memcpy(lease->discover, buf, len);
        lease->discover_len = len;
    }
    return len;
}

static void
dhcp_copy_str(char *dst, const struct dhcp_str *s)
{
    u8 len = 0;
    if (s->data) {
        len = s->len;
        memcpy(dst, s->data, len);
    }
    dst[len] = '\0';
}

// RFC 791 3.2: without option 1 the address class gives the netmask.
static u32
class_netmask(u32 ip)
{
    u8 first = ((const u8 *)&ip)[0];
    if (first < 128)
        return cpu_to_be32(0xff000000);
    if (first < 192)
        return cpu_to_be32(0xffff0000);
    return cpu_to_be32(0xffffff00);
}

static void
dhcp_fill_lease(struct dhcp_lease *lease, const struct dhcp_info *ack)
{
    lease->yiaddr = ack->yiaddr;
    lease->siaddr = ack->siaddr;
    lease->server_id = ack->server_id;
    lease->netmask = ack->netmask ? ack->netmask : class_netmask(ack->yiaddr);
    lease->router = ack->router;
    lease->lease_time = ack->lease_time;
    dhcp_copy_str(lease->bootfile, &ack->bootfile);
    dhcp_copy_str(lease->server_name, &ack->server_name);
    dhcp_copy_str(lease->root_path, &ack->root_path);
}

// RFC 2131 4.4.1: take the first offer that has an address.  PXE 2.1:
// keep the first ProxyDHCP offer ("PXEClient" and no address) too.
static void
dhcp_offer(struct dhcp_client *dc, const struct dhcp_info *info
           , const u8 *pkt, u16 len)
{
    struct dhcp_lease *lease = dc->lease;
    if (!info->yiaddr) {
        if (info->pxeclient && !lease->proxy_len) {
            memcpy(lease->proxy, pkt, len);
            lease->proxy_len = len;
        }
        return;
    }
    if (dc->state != DHCPDISCOVER || dc->offer_ip || !info->server_id)
        return;
    dc->offer_ip = info->yiaddr;
    dc->offer_server = info->server_id;
}

// RFC 2131 4.4.1: the ACK or NAK of the server we asked.
static void
dhcp_reply(struct dhcp_client *dc, const struct dhcp_info *info
           , const u8 *pkt, u16 len)
{
    struct dhcp_lease *lease = dc->lease;
    if (dc->state != DHCPREQUEST || dc->reply
        || (info->server_id && info->server_id != dc->offer_server))
        return;
    if (info->msgtype == DHCPACK) {
        if (!info->yiaddr)
            return;
        memcpy(lease->ack, pkt, len);
        lease->ack_len = len;
        dhcp_fill_lease(lease, info);
    }
    dc->reply = info->msgtype;
}

// Replies must come from a server port and match our xid and MAC.
static void
dhcp_recv(struct udp_pcb *pcb, struct netif *nif, const struct udp_meta *m
          , const u8 *data, u16 len)
{
    struct dhcp_client *dc = container_of(pcb, struct dhcp_client, pcb);
    struct dhcp_info info;
    if (m->src_port != DHCP_SERVER_PORT || len > DHCP_PKT_MAX
        || dhcp_parse(data, len, &info) || info.xid != dc->xid
        || memcmp(info.chaddr, nif->dev->mac, ETH_ALEN)) {
        dprintf(6, "dhcp: ignored a %d-byte packet\n", len);
        return;
    }
    if (info.msgtype == DHCPOFFER)
        dhcp_offer(dc, &info, data, len);
    else if (info.msgtype == DHCPACK || info.msgtype == DHCPNAK)
        dhcp_reply(dc, &info, data, len);
}

static int
dhcp_answered(struct dhcp_client *dc)
{
    return dc->state == DHCPDISCOVER ? dc->offer_ip != 0 : dc->reply != 0;
}

// Broadcast our message and poll for the answer, resending after each of
// the COUNT waits.
static int
dhcp_exchange(struct dhcp_client *dc, const u16 *waits, int count)
{
    int i;
    for (i = 0; i < count; i++) {
        int ret = udp_send_fill(dc->nif, IP_BROADCAST, 0, DHCP_CLIENT_PORT
                                , DHCP_SERVER_PORT, dhcp_fill, dc);
        if (ret)
            return ret;
        u32 end = timer_calc(waits[i]);
        while (!timer_check(end)) {
            net_poll(dc->nif);
            if (dhcp_answered(dc))
                return 0;
        }
    }
    return NET_ETIMEDOUT;
}

static void
dhcp_status(struct dhcp_client *dc, const char *msg)
{
    dprintf(3, "dhcp: %s\n", msg);
    if (dc->status)
        dc->status(msg);
}

// DISCOVER -> OFFER -> REQUEST -> ACK (RFC 2131 3.1).
static int
dhcp_negotiate(struct dhcp_client *dc)
{
    dc->state = DHCPDISCOVER;
    dc->offer_ip = dc->reply = 0;
    dhcp_status(dc, "sending DHCPDISCOVER");
    int ret = dhcp_exchange(dc, discover_wait_ms, ARRAY_SIZE(discover_wait_ms));
    if (ret)
        return ret;
    dc->state = DHCPREQUEST;
    dhcp_status(dc, "sending DHCPREQUEST");
    ret = dhcp_exchange(dc, request_wait_ms, ARRAY_SIZE(request_wait_ms));
    if (ret)
        return ret;
    return dc->reply == DHCPACK ? 0 : NET_ENAK;
}

// PXE 2.1: when the ACK names no boot file, boot what the ProxyDHCP
// offer names, from its server.
static void
dhcp_use_proxy(struct dhcp_lease *lease)
{
    struct dhcp_info proxy;
    if (lease->bootfile[0] || !lease->proxy_len
        || dhcp_parse(lease->proxy, lease->proxy_len, &proxy)
        || !proxy.bootfile.data)
        return;
    dhcp_copy_str(lease->bootfile, &proxy.bootfile);
    dhcp_copy_str(lease->server_name, &proxy.server_name);
    if (proxy.siaddr)
        lease->siaddr = proxy.siaddr;
}

// Get an address and boot information for NIF; on success the interface
// is configured from LEASE.  UUID16 (may be NULL) is sent as option 97.
int
dhcp_run(struct netif *nif, const u8 *uuid16, u32 xid
         , struct dhcp_lease *lease, void (*status)(const char *msg))
{
    struct dhcp_client dc = {
        .pcb = { .local_port = DHCP_CLIENT_PORT, .recv = dhcp_recv },
        .nif = nif, .lease = lease, .status = status, .uuid = uuid16,
        .xid = xid,
    };
    memset(lease, 0, sizeof(*lease));
    netif_set_ip(nif, 0, 0, 0);     // RFC 2131 4.4.1: INIT has no address
    udp_bind(nif, &dc.pcb);
    int ret, tries;
    for (tries = 0; tries <= DHCP_NAK_RESTARTS; tries++) {
        ret = dhcp_negotiate(&dc);
        if (ret != NET_ENAK)
            break;
        dhcp_status(&dc, "DHCPNAK received");
        dc.xid++;   // a new exchange: late replies to the old one are ignored
    }
    udp_unbind(nif, &dc.pcb);
    if (ret) {
        dprintf(1, "dhcp: %s\n", net_strerror(ret));
        return ret;
    }
    dhcp_use_proxy(lease);
    netif_set_ip(nif, lease->yiaddr, lease->netmask, lease->router);
    dhcp_status(&dc, "DHCPACK received");
    return 0;
}
