# Packaging: the ABI check against 0.1, the Debian packages, Conan, Meson and
# the man pages (tests and scripts in tests/packaging/, tools installed by
# scripts/install-packaging-tools.sh). The test steps use what `make build`
# staged in build/lib and never rebuild it (`make test` builds first); each
# ends with "N passed, N failed, N skipped".
#
#   make abi-check     abidiff of build/lib's library, the header's C ABI and its
#                      constants against the checked-in 0.1 baseline in abi/
#   make abi-baseline  rewrite abi/ from commit 4da089d (the last 0.1 commit)
#   make man           regenerate man/man3 (and rssignal(7)'s SEE ALSO) from the header
#   make test-man      man/ is fresh, every function has a page, each renders cleanly
#   make deb           build/deb/librssignal0_*.deb and librssignal-dev_*.deb
#   make test-deb      (root) dpkg -i both, build and run consumers, dpkg -P, nothing left
#   make test-conan    conan create (shared and static) + a CMakeDeps consumer, offline
#   make test-meson    dependency('rssignal') from a Meson project, shared and static

.PHONY: abi-check abi-baseline man test-man deb test-deb test-conan test-meson install-packaging-tools

install-packaging-tools:
	scripts/install-packaging-tools.sh

abi-check:
	$(NEW_RESULT)
	$(COUNTED) tests/packaging/abi/check.sh

abi-baseline:
	tests/packaging/abi/make-baseline.sh

man:
	python3 tests/packaging/man/genman.py man

test-man:
	$(NEW_RESULT)
	$(COUNTED) tests/packaging/man/check.sh

deb: build
	tests/packaging/deb/build.sh build/deb

test-deb:
	$(NEW_RESULT)
	$(COUNTED) tests/packaging/deb/test.sh

test-conan:
	$(NEW_RESULT)
	$(COUNTED) tests/packaging/conan/test.sh

test-meson:
	$(NEW_RESULT)
	$(COUNTED) tests/packaging/meson/test.sh
