# pvboot's additions to SeaBIOS's source lists (included by the SeaBIOS
# Makefile through patches/build-hooks.patch).
DIRS += src/net src/pxe
PVBOOT_NET = net/netdev.c net/net.c net/arp.c net/ipv4.c net/udp.c \
    net/dhcp.c net/tftp.c
PVBOOT_PXE = pxe/undi.c pxe/pxe_api.c pxe/pxe_block.c pxe/pxe_boot.c pxe/pxe_udp.c \
    pxe/pxe_tftp.c pxe/pxe_undi.c
SRC16 += pxe/pxe_int1a.c
SRC32FLAT += pvboot.c pxe/pxe_int1a.c hw/virtio-net.c $(PVBOOT_NET) $(PVBOOT_PXE)
