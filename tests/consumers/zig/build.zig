//! Zig 0.17 consumer of an installed rssignal: translate-c of rssignal.h
//! (addTranslateC; @cImport no longer exists) and linkSystemLibrary("rssignal"),
//! both through pkg-config, plus the Zig binding (bindings/zig) as a package.
const std = @import("std");

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});

    const tc = b.addTranslateC(.{
        .root_source_file = b.path("c.h"),
        .target = target,
        .optimize = optimize,
    });
    tc.linkSystemLibrary("rssignal", .{});

    const binding = b.dependency("rssignal", .{ .target = target, .optimize = optimize });

    const exe = b.addExecutable(.{
        .name = "consumer",
        .root_module = b.createModule(.{
            .root_source_file = b.path("main.zig"),
            .target = target,
            .optimize = optimize,
            .link_libc = true,
            .imports = &.{
                .{ .name = "c", .module = tc.createModule() },
                .{ .name = "rssignal", .module = binding.module("rssignal") },
            },
        }),
    });
    exe.root_module.linkSystemLibrary("rssignal", .{});
    b.installArtifact(exe);
}
