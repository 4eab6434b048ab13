#pragma once
/// Size variables of the property tests (VCR_CHECK_GENERATED=150 ...) with a
/// floor: a count too small to keep a test meaningful fails the test rather
/// than shrinking it to nothing.

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

namespace vcr::testing {

/// The count in environment variable `name`, or `dflt` when it is unset.
/// A value that is not a whole number, or is below `floor` (the smallest
/// count at which the test still checks what its name says), fails the
/// current test; the floor is then returned so the test still runs.
inline unsigned envCount(const char *name, unsigned dflt, unsigned floor) {
  const char *s = std::getenv(name);
  if (!s) return dflt;
  const std::string var(name), text(s);  // doctest prints a char pointer as an address
  char *end = nullptr;
  const unsigned long v = std::strtoul(s, &end, 10);
  if (end == s || *end != '\0') {
    FAIL_CHECK(var << "=\"" << text << "\" is not a count");
    return floor;
  }
  if (v < floor) {
    FAIL_CHECK(var << "=" << v << " is below " << floor << ", the smallest count that keeps this test meaningful");
    return floor;
  }
  return static_cast<unsigned>(v);
}

}  // namespace vcr::testing
