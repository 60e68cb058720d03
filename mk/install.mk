# `make install` / `make uninstall` — install rssignal like a system C library.
#
#   make install [PREFIX=/usr/local] [DESTDIR=/tmp/stage] [LIBDIR=...] [INCLUDEDIR=...]
#   make uninstall   (same variables)
#   make install-files  (same as install, without rebuilding: copies what
#                        `make build` staged in build/lib; the consumer tests use it)
#
# Installs, under $(DESTDIR):
#   $(INSTALL_LIBDIR)/librssignal.so.$(VERSION) + .so.$(MAJOR) + .so links
#   $(INSTALL_LIBDIR)/librssignal.a
#   $(INCLUDEDIR)/rssignal.h
#   $(PKGCONFIGDIR)/rssignal.pc              from pkgconfig/rssignal.pc.in
#   $(CMAKEDIR)/rssignalConfig.cmake         from cmake/rssignalConfig.cmake.in
#   $(CMAKEDIR)/rssignalConfigVersion.cmake  from cmake/rssignalConfigVersion.cmake.in
#   $(MANDIR)/man3/*.3, $(MANDIR)/man7/rssignal.7   from man/ (`make man`)
# VERSION and MAJOR come from Cargo.toml through the top Makefile.

.PHONY: install install-files uninstall

PREFIX  ?= /usr/local
DESTDIR ?=

LIBDIR  ?= $(PREFIX)/lib
INSTALL_LIBDIR = $(LIBDIR)
INCLUDEDIR     ?= $(PREFIX)/include
PKGCONFIGDIR   ?= $(INSTALL_LIBDIR)/pkgconfig
CMAKEDIR       ?= $(INSTALL_LIBDIR)/cmake/rssignal
MANDIR         ?= $(PREFIX)/share/man
# The checked-in pages (tests/packaging/man/genman.py writes man3; man7 is by hand).
MAN3_PAGES     := $(notdir $(wildcard man/man3/*.3))
MAN7_PAGES     := $(notdir $(wildcard man/man7/*.7))

STAGE_DIR    := $(STAGE_LIBDIR)
INSTALL      ?= install
INSTALL_DATA ?= $(INSTALL) -m 644
# Refresh the run-time linker's cache after installing into a system prefix.
LDCONFIG     ?= $(if $(filter /usr /usr/local,$(PREFIX)),ldconfig,:)

# NATIVE_STATIC_LIBS (the .pc file's Libs.private, the CMake config's link
# interface of the static target) comes from mk/native-libs.mk.

# Paths as the .pc file spells them: relative to ${prefix} when inside it.
pc_path = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
# Paths from the CMake config's own directory, for a relocatable config.
rel_from_cmakedir = $(shell realpath -m --relative-to='$(CMAKEDIR)' '$(1)')
SIZEOF_VOID_P := $(if $(filter %64,$(shell uname -m)),8,4)

define RSSIGNAL_INSTALL_RECIPE
	@for f in librssignal.so.$(VERSION) librssignal.a; do \
	    [ -f "$(STAGE_DIR)/$$f" ] || { echo "install: $(STAGE_DIR)/$$f is missing: run 'make build' first" >&2; exit 1; }; \
	done
	$(INSTALL) -d '$(DESTDIR)$(INSTALL_LIBDIR)' '$(DESTDIR)$(INCLUDEDIR)' \
	    '$(DESTDIR)$(PKGCONFIGDIR)' '$(DESTDIR)$(CMAKEDIR)'
	@# copy then rename: programs running from an older install keep theirs
	$(INSTALL) -m 755 '$(STAGE_DIR)/librssignal.so.$(VERSION)' '$(DESTDIR)$(INSTALL_LIBDIR)/.librssignal.so.$(VERSION).tmp'
	mv -f '$(DESTDIR)$(INSTALL_LIBDIR)/.librssignal.so.$(VERSION).tmp' '$(DESTDIR)$(INSTALL_LIBDIR)/librssignal.so.$(VERSION)'
	ln -sfn 'librssignal.so.$(VERSION)' '$(DESTDIR)$(INSTALL_LIBDIR)/librssignal.so.$(MAJOR)'
	ln -sfn 'librssignal.so.$(MAJOR)' '$(DESTDIR)$(INSTALL_LIBDIR)/librssignal.so'
	$(INSTALL_DATA) '$(STAGE_DIR)/librssignal.a' '$(DESTDIR)$(INSTALL_LIBDIR)/.librssignal.a.tmp'
	mv -f '$(DESTDIR)$(INSTALL_LIBDIR)/.librssignal.a.tmp' '$(DESTDIR)$(INSTALL_LIBDIR)/librssignal.a'
	$(INSTALL_DATA) include/rssignal.h '$(DESTDIR)$(INCLUDEDIR)/rssignal.h'
	sed -e 's|@prefix@|$(PREFIX)|g' \
	    -e 's|@libdir@|$(call pc_path,$(INSTALL_LIBDIR))|g' \
	    -e 's|@includedir@|$(call pc_path,$(INCLUDEDIR))|g' \
	    -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@LIBS_PRIVATE@|$(NATIVE_STATIC_LIBS)|g' \
	    pkgconfig/rssignal.pc.in > '$(DESTDIR)$(PKGCONFIGDIR)/rssignal.pc'
	chmod 644 '$(DESTDIR)$(PKGCONFIGDIR)/rssignal.pc'
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@SOVERSION@|$(MAJOR)|g' \
	    -e 's|@REL_LIBDIR@|$(call rel_from_cmakedir,$(INSTALL_LIBDIR))|g' \
	    -e 's|@REL_INCLUDEDIR@|$(call rel_from_cmakedir,$(INCLUDEDIR))|g' \
	    -e 's|@LIBS_PRIVATE@|$(NATIVE_STATIC_LIBS)|g' \
	    cmake/rssignalConfig.cmake.in > '$(DESTDIR)$(CMAKEDIR)/rssignalConfig.cmake'
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@MAJOR@|$(MAJOR)|g' \
	    -e 's|@SIZEOF_VOID_P@|$(SIZEOF_VOID_P)|g' \
	    cmake/rssignalConfigVersion.cmake.in > '$(DESTDIR)$(CMAKEDIR)/rssignalConfigVersion.cmake'
	chmod 644 '$(DESTDIR)$(CMAKEDIR)/rssignalConfig.cmake' '$(DESTDIR)$(CMAKEDIR)/rssignalConfigVersion.cmake'
	$(INSTALL) -d '$(DESTDIR)$(MANDIR)/man3' '$(DESTDIR)$(MANDIR)/man7'
	$(INSTALL_DATA) $(addprefix man/man3/,$(MAN3_PAGES)) '$(DESTDIR)$(MANDIR)/man3/'
	$(INSTALL_DATA) $(addprefix man/man7/,$(MAN7_PAGES)) '$(DESTDIR)$(MANDIR)/man7/'
	@if [ -z '$(DESTDIR)' ] && [ "$$(id -u)" = 0 ]; then $(LDCONFIG) || true; fi
	@echo 'installed rssignal $(VERSION) into $(DESTDIR)$(PREFIX)'
endef

install: build
	$(RSSIGNAL_INSTALL_RECIPE)

install-files:
	$(RSSIGNAL_INSTALL_RECIPE)

uninstall:
	rm -f '$(DESTDIR)$(INSTALL_LIBDIR)/librssignal.so.$(VERSION)' \
	      '$(DESTDIR)$(INSTALL_LIBDIR)/librssignal.so.$(MAJOR)' \
	      '$(DESTDIR)$(INSTALL_LIBDIR)/librssignal.so' \
	      '$(DESTDIR)$(INSTALL_LIBDIR)/librssignal.a' \
	      '$(DESTDIR)$(INCLUDEDIR)/rssignal.h' \
	      '$(DESTDIR)$(PKGCONFIGDIR)/rssignal.pc' \
	      '$(DESTDIR)$(CMAKEDIR)/rssignalConfig.cmake' \
	      '$(DESTDIR)$(CMAKEDIR)/rssignalConfigVersion.cmake' \
	      $(addprefix '$(DESTDIR)$(MANDIR)/man3/,$(addsuffix ',$(MAN3_PAGES))) \
	      $(addprefix '$(DESTDIR)$(MANDIR)/man7/,$(addsuffix ',$(MAN7_PAGES)))
	-rmdir '$(DESTDIR)$(CMAKEDIR)' 2>/dev/null || true
	@if [ -z '$(DESTDIR)' ] && [ "$$(id -u)" = 0 ]; then $(LDCONFIG) || true; fi
