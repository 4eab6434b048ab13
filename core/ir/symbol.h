#pragma once
/// Symbol: an interned name (a call's callee). One pointer wide, so an
/// instruction that names its callee stays small and moves as cheaply as
/// a pointer (the allocator moves every instruction several times; a
/// std::string made it 24 bytes bigger and its move a branchy copy).
/// Equal names are the same pointer. The intern table lives for the
/// process and is shared by all threads (guarded by a mutex); names are
/// interned when code is built or parsed, never on the hot paths.

#include <string>
#include <string_view>

namespace vcr::mir {

class Symbol {
public:
  Symbol() = default;
  Symbol(std::string_view s) : p_(intern(s)) {}  // NOLINT(google-explicit-constructor): a name is a symbol
  Symbol(const std::string &s) : p_(intern(s)) {}  // NOLINT(google-explicit-constructor)
  Symbol(const char *s) : p_(intern(s)) {}         // NOLINT(google-explicit-constructor)

  [[nodiscard]] const std::string &str() const { return p_ ? *p_ : emptyString(); }
  [[nodiscard]] bool empty() const { return p_ == nullptr; }
  operator const std::string &() const { return str(); }  // NOLINT(google-explicit-constructor)
  operator std::string_view() const { return str(); }     // NOLINT(google-explicit-constructor)

  friend bool operator==(const Symbol &a, const Symbol &b) { return a.p_ == b.p_; }
  friend bool operator==(const Symbol &a, std::string_view b) { return a.str() == b; }
  friend bool operator==(const Symbol &a, const char *b) { return a.str() == b; }
  friend std::string operator+(const char *a, const Symbol &b) { return a + b.str(); }
  friend std::string operator+(const std::string &a, const Symbol &b) { return a + b.str(); }
  friend std::string operator+(std::string &&a, const Symbol &b) { return std::move(a) + b.str(); }
  friend std::string operator+(const Symbol &a, const char *b) { return a.str() + b; }
  friend std::string operator+(const Symbol &a, const std::string &b) { return a.str() + b; }

private:
  /// The table's copy of `s` (nullptr for the empty name).
  static const std::string *intern(std::string_view s);
  static const std::string &emptyString();
  const std::string *p_ = nullptr;
};

}  // namespace vcr::mir
