"""Conan 2 recipe for rssignal, built from this source tree with cargo.

    conan create . -o "rssignal/*:shared=True"     # librssignal.so (default)
    conan create . -o "rssignal/*:shared=False"    # librssignal.a

Consumers get the CMake target rssignal::rssignal through CMakeDeps
(find_package(rssignal CONFIG REQUIRED)) and rssignal.pc through
PkgConfigDeps. The version is Cargo.toml's. Needs cargo (rustup) and make on
the build machine; `make test-conan` runs it offline.
"""
import os
import re
import shutil

from conan import ConanFile
from conan.tools.files import copy, rmdir


class RssignalConan(ConanFile):
    name = "rssignal"
    license = "MIT OR Apache-2.0"
    description = "Python's signal module with CPython's deferred-dispatch semantics, as a C library"
    topics = ("signals", "posix", "c-api", "rust")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"shared": [True, False]}
    default_options = {"shared": True}
    # What `cargo build` and `make install-files` need, and nothing else.
    exports_sources = ("Cargo.toml", "Cargo.lock", "build.rs", "cbindgen.toml", "src/*", "include/*",
                       "Makefile", "mk/*", "pkgconfig/*", "cmake/*", "man/*", "CHANGELOG.md")
    # Both variants come from one cargo build (it makes the .so and the .a):
    # build in the exported sources, not in a copy per package.
    no_copy_source = True

    def set_version(self):
        with open(os.path.join(self.recipe_folder, "Cargo.toml")) as f:
            self.version = re.search(r'^version\s*=\s*"([^"]+)"', f.read(), re.M).group(1)

    def package_id(self):
        # A Rust build: the C compiler and the consumer's build type do not change it.
        del self.info.settings.compiler
        del self.info.settings.build_type

    def layout(self):
        self.folders.build = "build"

    def _target_dir(self):
        # Beside the (shared, not copied) sources: the second variant finds the
        # first one's build. CARGO_TARGET_DIR, when set, wins.
        return os.environ.get("CARGO_TARGET_DIR") or os.path.join(self.source_folder, "target")

    def build(self):
        target = self._target_dir()
        self.run("cargo build --release --lib --locked --target-dir '%s'" % target, cwd=self.source_folder)
        # Stage what `make install-files` copies, as `make build` does in build/lib.
        stage = os.path.join(self.build_folder, "stage")
        os.makedirs(stage, exist_ok=True)
        for name, dest in (("librssignal.so", "librssignal.so." + self.version), ("librssignal.a", "librssignal.a")):
            shutil.copy2(os.path.join(target, "release", name), os.path.join(stage, dest))

    def package(self):
        stage = os.path.join(self.build_folder, "stage")
        self.run("make --no-print-directory -s install-files STAGE_LIBDIR='%s' PREFIX='%s' LDCONFIG=:"
                 % (stage, self.package_folder), cwd=self.source_folder)
        lib = os.path.join(self.package_folder, "lib")
        if self.options.shared:
            os.remove(os.path.join(lib, "librssignal.a"))
        else:
            for f in os.listdir(lib):
                if f.startswith("librssignal.so"):
                    os.remove(os.path.join(lib, f))
        # Conan's generators write the CMake and pkg-config files for consumers.
        rmdir(self, os.path.join(lib, "cmake"))
        rmdir(self, os.path.join(lib, "pkgconfig"))
        copy(self, "CHANGELOG.md", self.source_folder, os.path.join(self.package_folder, "share", "doc", "rssignal"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "rssignal")
        self.cpp_info.set_property("cmake_target_name", "rssignal::rssignal")
        self.cpp_info.set_property("pkg_config_name", "rssignal")
        self.cpp_info.libs = ["rssignal"]
        if not self.options.shared and self.settings.os in ("Linux", "FreeBSD"):
            # rustc --print native-static-libs (libc and libgcc_s come with the driver)
            self.cpp_info.system_libs = ["pthread", "dl", "m", "rt", "util", "gcc_s"]
