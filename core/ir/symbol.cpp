// The intern table of Symbol (core/ir/symbol.h).
#include "core/ir/symbol.h"

#include <mutex>
#include <unordered_set>

namespace vcr::mir {

namespace {

/// Heterogeneous lookup: find a string_view without building a string.
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

const std::string *Symbol::intern(std::string_view s) {
  if (s.empty()) return nullptr;
  static std::mutex lock;
  static std::unordered_set<std::string, NameHash, std::equal_to<>> table;  // nodes never move
  std::lock_guard<std::mutex> guard(lock);
  auto it = table.find(s);
  if (it == table.end()) it = table.emplace(s).first;
  return &*it;
}

const std::string &Symbol::emptyString() {
  static const std::string empty;
  return empty;
}

}  // namespace vcr::mir
