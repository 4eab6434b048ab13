#pragma once
/// The contract between emitted Thumb-2 code (arm/emit) and the machine that
/// runs it (arm/exec): symbol names, trap encoding and what the reserved
/// registers hold at every function entry. Both sides include this header and
/// nothing else of each other.
///
/// At entry to every emitted function:
///   R9  = address of the globals table (one 32-bit word per wasm global)
///   R10 = linear-memory size in bytes (bounds checks compare against it)
///   R11 = linear-memory base address
///   R12 = scratch, never holds a value across an instruction boundary
///   SP  = 8-byte aligned (AAPCS), LR = return address (Thumb bit set)
/// A trap executes `udf #trapCode(reason)`; the runner decodes the imm8.

#include "core/ir/mir.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vcr::arm::rt {

/// Injective mangling of MIR names ([A-Za-z0-9_.$-]+) into assembler
/// symbols: letters and digits stay, '_' becomes "__", any other byte
/// becomes '_' plus two lowercase hex digits.
[[nodiscard]] inline std::string mangle(std::string_view name) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (c == '_') {
      out += "__";
    } else {
      out += '_';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

/// Symbol of a module function (MIR name without '@').
[[nodiscard]] inline std::string functionSymbol(std::string_view name) {
  return "vcr_fn_" + mangle(name);
}

/// Symbol of an imported function (MIR import name, e.g. "env.log"). The
/// runner binds it to a host stub.
[[nodiscard]] inline std::string importSymbol(std::string_view name) {
  return "vcr_imp_" + mangle(name);
}

/// UDF immediate for a trap reason: 0x10 + the enum value.
[[nodiscard]] inline uint8_t trapCode(mir::TrapReason r) {
  return static_cast<uint8_t>(0x10 + static_cast<unsigned>(r));
}

/// Inverse of trapCode; nullopt for any other immediate.
[[nodiscard]] inline std::optional<mir::TrapReason> trapFromCode(uint8_t code) {
  if (code < 0x10 || code > 0x10 + static_cast<unsigned>(mir::kLastTrapReason))
    return std::nullopt;
  return static_cast<mir::TrapReason>(code - 0x10);
}

/// Options every assembler invocation uses.
inline constexpr std::string_view kAsFlags = "-mcpu=cortex-m4 -mthumb";

}  // namespace vcr::arm::rt
