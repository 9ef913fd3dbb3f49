# ptscope: page-table inspection module + CLI.
#
#   make                    module (for KVER) + CLI
#   make module             module/ptscope.ko against $(KDIR); W=1 / C=2 pass through
#   make cli                userspace/ptscope (STATIC=1: libnl and glibc linked in)
#   make install            install the CLI (PREFIX, DESTDIR passed on)
#   make module-install     install the module into /lib/modules/$(KVER) + depmod
#   make dkms-install       register with DKMS, build and install for $(KVER)
#   make style              checkpatch.pl --strict on module/ (not on generated files)
#   make spec               render the UAPI header and the module's policies from
#                           module/uapi/ptscope.yaml (ynl-gen-c; tests/check-spec.sh)
#   make sparse             make module C=2 (with scripts/sparse.sh's sparse)
#   make demo               boot the newest kernel of the matrix (5-level paging)
#                           in a VM and show ptscope at work
#   make check              everything: builds, unit tests, VM tests on every
#                           series of scripts/kernels.list (SERIES="7.3" for some),
#                           and on the oldest and newest of scripts/kernels-arm64.list
#                           (ARM64_SERIES="6.12" for others, "none" for none)
#   make check-all          make check with every arm64 series (ARM64_SERIES=all)
#   make check-debug        VM suite on a KASAN/lockdep/kmemleak kernel built from
#                           the newest Debian source (DEBUG_SERIES=6.12 for 6.12)
#   make bench              ptscope vs pagemap/smaps timings in a VM per kernel (docs/performance.md)
#   make bench-tracking     what tracking costs a fault storm and a shootdown storm, per kernel
#   make setup              install build/test dependencies (root, Debian 12)
#   make clean              build products (clean-module: module/ only)
#
# Building for another kernel: make module KVER=6.1.0-57-cloud-amd64
# The test matrix is scripts/kernels.list: kernel series, each resolved to
# Debian's newest release by scripts/kernels.sh at setup time.

KVER     ?= $(shell uname -r)
KDIR     ?= /lib/modules/$(KVER)/build
SERIES   ?=
DEMO_SERIES := $(lastword $(shell sed -e 's/\#.*//' -e '/^[[:space:]]*$$/d' \
		-e 's/[[:space:]].*//' scripts/kernels.list))
KSRC     := .cache/linux-source-6.12
CHECKPATCH := $(KSRC)/scripts/checkpatch.pl

.PHONY: all module cli install module-install dkms-install dkms-remove \
	style spec sparse setup demo check check-all check-debug clean clean-module kdir-check bench bench-tracking

all: module cli

module: kdir-check
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

kdir-check:
	@test -d $(KDIR)/ || { echo "No kernel build tree at $(KDIR):" \
		"install linux-headers-$(KVER), or pass KVER=... or KDIR=..." >&2; exit 1; }

cli:
	$(MAKE) -C userspace

install: cli
	$(MAKE) -C userspace install

module-install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(KVER)

dkms-install:
	scripts/dkms.sh install $(KVER)

dkms-remove:
	scripts/dkms.sh remove

style:
	@test -x $(CHECKPATCH) || scripts/setup.sh
	$(CHECKPATCH) --strict --no-tree --show-types --color=never \
		-f $(filter-out %.mod.c,$(wildcard module/*.c)) \
		$(filter-out %_gen.h,$(wildcard module/*.h))

spec:
	@test -e $(KSRC)/tools/net/ynl/ynl-gen-c.py || scripts/setup.sh
	scripts/ynl-gen.sh write

# Debian's sparse cannot parse 6.15+ headers: scripts/sparse.sh builds one
# that can (make setup does), and KBUILD_CHECKSRC=2 overrides kbuild's
# checker test, whose script Debian's headers lack.
SPARSE := $(wildcard $(CURDIR)/.cache/tools/bin/sparse)
sparse:
	$(MAKE) module C=2 $(if $(SPARSE),CHECK=$(SPARSE) KBUILD_CHECKSRC=2)

setup:
	scripts/setup.sh

demo:
	scripts/setup.sh $(DEMO_SERIES)
	k=$$(scripts/kernels.sh release $(DEMO_SERIES)) && \
	scripts/kernels.sh run $$k $(MAKE) module KVER=$$k && \
	$(MAKE) cli && \
	{ [ ! -f tests/Makefile ] || $(MAKE) -C tests || true; } && \
	scripts/demo.sh $$k module/ptscope.ko

check:
	$(if $(ARM64_SERIES),ARM64_SERIES="$(ARM64_SERIES)") scripts/check.sh $(SERIES)

check-all:
	ARM64_SERIES=all scripts/check.sh $(SERIES)

# Not kbuild's "clean": for M= builds it deletes every *.ko, *.o, *.a, *.s...
# below this directory, which includes the kernel images in .cache/.
clean-module:
	rm -f module/*.o module/*.ko module/*.mod module/*.mod.c module/.*.cmd \
		module/modules.order modules.order Module.symvers .*.cmd .*.o
	rm -rf .tmp_versions

clean: clean-module
	if [ -f userspace/Makefile ]; then $(MAKE) -C userspace clean; fi
	if [ -f tests/Makefile ]; then $(MAKE) -C tests clean; fi
	rm -rf build

check-debug:
	scripts/debug-kernel.sh

bench:
	scripts/bench.sh $(SERIES)

bench-tracking:
	scripts/bench-tracking.sh $(SERIES)
