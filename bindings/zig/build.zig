//! bindings/zig: the `rssignal` module (rssignal.zig over a translate-c of
//! the installed rssignal.h, linked with linkSystemLibrary("rssignal"),
//! i.e. through pkg-config), and `zig build example`.
const std = @import("std");

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});

    const tc = b.addTranslateC(.{
        .root_source_file = b.path("rssignal_c.h"),
        .target = target,
        .optimize = optimize,
    });
    tc.linkSystemLibrary("rssignal", .{});

    const mod = b.addModule("rssignal", .{
        .root_source_file = b.path("rssignal.zig"),
        .target = target,
        .optimize = optimize,
        .link_libc = true,
        .imports = &.{.{ .name = "rssignal_c", .module = tc.createModule() }},
    });
    mod.linkSystemLibrary("rssignal", .{});

    const exe = b.addExecutable(.{
        .name = "usr1",
        .root_module = b.createModule(.{
            .root_source_file = b.path("examples/usr1.zig"),
            .target = target,
            .optimize = optimize,
            .link_libc = true,
            .imports = &.{.{ .name = "rssignal", .module = mod }},
        }),
    });
    b.installArtifact(exe);
    const run = b.addRunArtifact(exe);
    b.step("example", "Run examples/usr1.zig").dependOn(&run.step);
}
