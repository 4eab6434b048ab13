#pragma once
/// Shared helpers of the libFuzzer targets: the bounds that keep one input's
/// work small, and a loud failure that libFuzzer records as a crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace vcr::fuzz {

/// Inputs longer than this are ignored (libFuzzer's -max_len is the usual cap;
/// this keeps a hand-passed reproducer equally bounded).
inline constexpr size_t kMaxInputBytes = 64 * 1024;
/// Functions with more MIR instructions than this are not allocated or
/// checked by the pipeline target (the work per input stays bounded).
inline constexpr size_t kMaxPipelineInstrs = 300;
/// Per solver query in the pipeline target; a timeout is "unknown".
inline constexpr unsigned kSolverTimeoutMs = 2000;

/// The input as text (no copy).
inline std::string_view asText(const uint8_t *data, size_t size) {
  return {reinterpret_cast<const char *>(data), size};
}

/// Report a broken property and abort: libFuzzer saves the input as a crash.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "vcr-fuzz: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

}  // namespace vcr::fuzz
