#pragma once
/// The .mir text format: printer and parser that round-trip
/// (print(parse(print(m))) == print(m)). Grammar: docs/mir.md.

#include "core/ir/diag.h"
#include "core/ir/mir.h"

#include <optional>
#include <string>
#include <string_view>

namespace vcr::mir {

[[nodiscard]] std::string printModule(const Module &m);
[[nodiscard]] std::string printFunction(const Function &f);
[[nodiscard]] std::string printInstr(const Instr &i, const Function &f);
[[nodiscard]] std::string printOperand(const Operand &o);

struct ParseResult {
  std::optional<Module> module;  ///< set iff there are no errors
  Diagnostics diags;             ///< errors name file:line:column
};

/// Parse a whole .mir file. `file` is used in diagnostics only. The result
/// is also checked with validateModule().
[[nodiscard]] ParseResult parseModule(std::string_view text, std::string_view file);

}  // namespace vcr::mir
