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

/// The corpus filter of the long corpus-wide differential tests: with
/// VCR_CORPUS_ONLY=TEXT they take only the corpus files whose path contains
/// TEXT (the sanitizer pass sets ".wat": the rule fixtures and hand-written
/// modules, not the compiled kernels the first pass already ran in full).
/// Count the files taken with `take` and call `done` at the end: a filter
/// that matches no file fails the test.
class CorpusFilter {
public:
  CorpusFilter() : only_(std::getenv("VCR_CORPUS_ONLY")) {}
  /// True when `path` is in the run (always, without a filter).
  bool take(const std::string &path) {
    const bool in = !only_ || path.find(only_) != std::string::npos;
    matched_ += in;
    return in;
  }
  /// Fails the current test when a filter is set and matched nothing.
  void done() const {
    if (only_) CHECK_MESSAGE(matched_ > 0, "VCR_CORPUS_ONLY=\"" << std::string(only_) << "\" matches no corpus file");
  }
  /// True when a filter is set (tests then lower their whole-corpus floors).
  [[nodiscard]] bool filtered() const { return only_ != nullptr; }

private:
  const char *only_;
  unsigned matched_ = 0;
};

}  // namespace vcr::testing
