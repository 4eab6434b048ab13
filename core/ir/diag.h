#pragma once
/// Diagnostics as values: a level, a place (file, function, line:column or
/// byte offset) and a message, formatted in one place.

#include <cstdint>
#include <string>
#include <vector>

namespace vcr {

struct Diagnostic {
  enum class Level : uint8_t { Error, Warning, Note };
  Level level = Level::Error;
  std::string file;
  std::string function;  ///< empty when the problem is not in one function
  uint32_t line = 0;     ///< 1-based; 0 when unknown
  uint32_t column = 0;   ///< 1-based; 0 when unknown
  std::string message;
  /// The instruction the problem is at, when the producer knows it (the
  /// MIR validator and class check): block index, and index in the block.
  /// The text parser turns it into the instruction's line and column.
  int32_t block = -1, instr = -1;

  /// "file:line:col: error: in function 'f': message"
  [[nodiscard]] std::string str() const;
};

using Diagnostics = std::vector<Diagnostic>;

[[nodiscard]] inline bool hasErrors(const Diagnostics &ds) {
  for (const auto &d : ds)
    if (d.level == Diagnostic::Level::Error) return true;
  return false;
}

}  // namespace vcr
