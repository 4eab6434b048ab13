#pragma once
/// A test that needs an external tool (z3, cvc5, arm-none-eabi-as, clang-14,
/// ...) asks here first. A missing tool fails the test when CI is set, and is
/// otherwise reported to ctest as a skip: every doctest_discover_tests call
/// sets SKIP_REGULAR_EXPRESSION "VCR-SKIP:" (see the top CMakeLists.txt).

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace vcr::testing {

/// True iff the environment says this is a CI run (CI set, not "", "0" or "false").
inline bool inCi() {
  const char *ci = std::getenv("CI");
  if (!ci) return false;
  const std::string_view v(ci);
  return !v.empty() && v != "0" && v != "false";
}

/// True iff an executable file named `tool` is in a directory of PATH.
inline bool onPath(std::string_view tool) {
  const char *path = std::getenv("PATH");
  if (!path || tool.empty()) return false;
  std::string_view rest(path);
  while (true) {
    const size_t colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    const std::string file = (dir.empty() ? std::string(".") : dir) + "/" + std::string(tool);
    std::error_code ec;
    if (std::filesystem::is_regular_file(file, ec) && ::access(file.c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) return false;
    rest.remove_prefix(colon + 1);
  }
}

/// `present`, or else report the missing `tool`: under CI a failed check
/// naming it; otherwise a line "VCR-SKIP: <tool> not found" on stdout, which
/// makes ctest report the test as skipped. The caller returns when false.
inline bool toolAvailable(std::string_view tool, bool present) {
  if (present) return true;
  if (inCi()) {
    FAIL_CHECK(std::string(tool) << " not found, and CI is set: a CI run must have every tool");
  } else {
    std::cout << "VCR-SKIP: " << tool << " not found" << std::endl;
  }
  return false;
}

/// toolAvailable(tool, onPath(tool)).
inline bool toolAvailable(std::string_view tool) { return toolAvailable(tool, onPath(tool)); }

/// For a test whose main checks ran and only an extra step needs `tool`:
/// true if present; under CI a failed check; otherwise a note (no skip: the
/// test did check something) and false.
inline bool toolForExtraStep(std::string_view tool, bool present) {
  if (present) return true;
  if (inCi()) FAIL_CHECK(std::string(tool) << " not found, and CI is set: a CI run must have every tool");
  else MESSAGE(std::string(tool) << " not found: the step that needs it was not run");
  return false;
}

}  // namespace vcr::testing
