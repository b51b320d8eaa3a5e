# pvboot: a legacy BIOS for VMs, built as an overlay on SeaBIOS.
#   make          build out/bios.bin (QEMU) and out/xen/bios.bin (Xen HVM)
#   make run      install what is missing, build, PXE-boot Linux in QEMU
#   make check    install what is missing, build, run every test
#   make unit / make fuzz   only the host unit tests / the fuzzers
# Variables: SEABIOS_SRC=DIR builds against an existing SeaBIOS tree;
# PVBOOT_KVM=1 runs QEMU tests with KVM instead of TCG.

BUILD := build
OUT := out

.PHONY: all deps run check unit fuzz clean distclean images
all: images

images:
	@src="$${SEABIOS_SRC:-$$(scripts/fetch-seabios.sh $(BUILD))}" && \
	scripts/build-image.sh qemu "$$src" $(BUILD)/qemu $(OUT)/bios.bin && \
	scripts/build-image.sh xen "$$src" $(BUILD)/xen $(OUT)/xen/bios.bin

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory images
	@tests/lib/demo.py

check: deps
	@$(MAKE) --no-print-directory images
	@tests/run.py

unit: deps
	@tests/run.py -k '^unit/'

fuzz: deps      # FUZZ_SECONDS=N per target (default 20)
	@tests/run.py -k '^fuzz/'

clean:
	rm -rf $(BUILD)/qemu $(BUILD)/xen $(BUILD)/unit $(BUILD)/fuzz $(BUILD)/test-logs $(OUT)

distclean:
	rm -rf $(BUILD) $(OUT)
