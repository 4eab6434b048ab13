#pragma once
/// Helpers shared by the arm/exec tests: wrapping hand-written Thumb-2
/// bodies into functions and building images that must assemble.

#include "arm/exec/exec.h"

#include <string>
#include <string_view>

namespace vcr::exec::test {

/// A global Thumb function `name` with `body` (one instruction per line),
/// with .type and .size directives.
[[nodiscard]] std::string thumbFunction(std::string_view name, std::string_view body);

/// The assembly prologue every test source starts with.
[[nodiscard]] std::string asmHeader();

/// Build `text`; fails the current test (with the tools' message) if it does not build.
[[nodiscard]] Image mustBuild(std::string_view text, const BuildOptions &opts = {});

/// Signature from a compact spec like "ii:l" (params before ':', results
/// after; i=i32, l=i64, f=f32, d=f64).
[[nodiscard]] mir::Signature sigOf(std::string_view spec);

}  // namespace vcr::exec::test
