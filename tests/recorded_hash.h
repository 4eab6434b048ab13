#pragma once
/// Recorded hashes of generated text, for the tests that pin a generator's
/// output to its seed ("recorded seeds give the recorded modules in every
/// build"): the hash, and the checked list printed so that an intended
/// change to a generator can record its new hashes.

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::testing {

/// FNV-1a (64-bit) of `text`.
[[nodiscard]] inline uint64_t fnv1a(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

/// Checks `got` against `recorded`; on a difference the message lists
/// `got` as C++ literals, ready to be recorded.
inline void checkRecorded(const std::vector<uint64_t> &got, const std::vector<uint64_t> &recorded) {
  std::string text;
  for (uint64_t h : got) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%016llxull, ", static_cast<unsigned long long>(h));
    text += buf;
  }
  CAPTURE(text);
  CHECK(got == recorded);
}

}  // namespace vcr::testing
