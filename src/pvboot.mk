# pvboot's additions to SeaBIOS's source lists (included by the SeaBIOS
# Makefile through patches/build-hooks.patch).
SRC32FLAT += pvboot.c
