#pragma once
/// Small open-addressing tables of the per-block symbolic execution
/// (symexec.cpp): vreg terms of the original side and input-name counts.

#include "verifier/smt/smt.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vcr::verifier::detail {

/// Terms of the original side by vreg: open addressing, one allocation per
/// block (a block touches few vregs of a function that may have many).
class VRegTerms {
public:
  /// The term slot of vreg v (invalid until assigned).
  smt::Term &operator[](uint32_t v) {
    if (2 * (used_ + 1) > keys_.size()) grow();
    const size_t mask = keys_.size() - 1;
    for (size_t i = (v * 0x9E3779B1u) & mask;; i = (i + 1) & mask) {
      if (keys_[i] == v + 1) return vals_[i];
      if (keys_[i] == 0) {
        keys_[i] = v + 1;
        ++used_;
        return vals_[i];
      }
    }
  }

private:
  void grow() {
    std::vector<uint32_t> keys(std::max<size_t>(64, keys_.size() * 2), 0);
    std::vector<smt::Term> vals(keys.size());
    const size_t mask = keys.size() - 1;
    for (size_t k = 0; k < keys_.size(); ++k)
      if (keys_[k] != 0) {
        size_t i = ((keys_[k] - 1) * 0x9E3779B1u) & mask;
        while (keys[i] != 0) i = (i + 1) & mask;
        keys[i] = keys_[k];
        vals[i] = vals_[k];
      }
    keys_.swap(keys);
    vals_.swap(vals);
  }
  std::vector<uint32_t> keys_;  // vreg + 1; 0: empty
  std::vector<smt::Term> vals_;
  size_t used_ = 0;
};

/// How many times each input name was made: open addressing over the names
/// (no allocation per name; short names stay inside their strings).
class NameCounts {
public:
  /// The count of `name` (0 when new); valid until the next call.
  unsigned &operator[](const std::string &name) {
    if (2 * (names_.size() + 1) > slots_.size()) grow();
    const size_t h = std::hash<std::string>{}(name), mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == 0) {
        names_.push_back({name, h, 0});
        slots_[i] = uint32_t(names_.size());
        return names_.back().count;
      }
      Entry &e = names_[slots_[i] - 1];
      if (e.hash == h && e.name == name) return e.count;
    }
  }

private:
  struct Entry {
    std::string name;
    size_t hash;
    unsigned count;
  };
  void grow() {
    slots_.assign(std::max<size_t>(64, slots_.size() * 2), 0);
    const size_t mask = slots_.size() - 1;
    for (uint32_t k = 0; k < names_.size(); ++k) {
      size_t i = names_[k].hash & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = k + 1;
    }
  }
  std::vector<Entry> names_;
  std::vector<uint32_t> slots_;  // index into names_ + 1; 0: empty
};

}  // namespace vcr::verifier::detail
