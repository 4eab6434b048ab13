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
  if (code < 0x10 || code > 0x10 + static_cast<unsigned>(mir::TrapReason::OutOfBounds))
    return std::nullopt;
  return static_cast<mir::TrapReason>(code - 0x10);
}

/// Options every assembler invocation uses.
inline constexpr std::string_view kAsFlags = "-mcpu=cortex-m4 -mthumb";

/// Origin marks (EmitOptions::markOrigins): the expansion of the k-th
/// allocator-inserted instruction of function symbol `sym` lies between the
/// local labels originBeginSymbol(origin, k, sym) and originEndSymbol(k, sym),
/// so that the runner can count executed instructions by origin (spill,
/// reload, move, ...). Labels emit no bytes: marked code is the same code.
[[nodiscard]] inline std::string originBeginSymbol(mir::Origin o, unsigned k, std::string_view sym) {
  return "__vcr_ob_" + std::to_string(static_cast<unsigned>(o)) + "_" + std::to_string(k) + "_" +
         std::string(sym);
}
/// End label of an origin mark (see originBeginSymbol).
[[nodiscard]] inline std::string originEndSymbol(unsigned k, std::string_view sym) {
  return "__vcr_oe_" + std::to_string(k) + "_" + std::string(sym);
}
/// A parsed origin mark label: begin labels carry the origin; `key` pairs a
/// begin with its end.
struct OriginMark {
  bool begin = false;
  unsigned origin = 0;
  std::string key;
};
/// Parse a label made by originBeginSymbol/originEndSymbol; nullopt otherwise.
[[nodiscard]] inline std::optional<OriginMark> parseOriginMark(std::string_view s) {
  OriginMark m;
  if (s.starts_with("__vcr_oe_")) {
    m.key = std::string(s.substr(9));
    return m;
  }
  if (!s.starts_with("__vcr_ob_")) return std::nullopt;
  s.remove_prefix(9);
  const size_t us = s.find('_');
  if (us == 0 || us == std::string_view::npos || us > 2) return std::nullopt;
  for (char c : s.substr(0, us))
    if (c < '0' || c > '9') return std::nullopt;
  m.begin = true;
  m.origin = static_cast<unsigned>(std::stoul(std::string(s.substr(0, us))));
  m.key = std::string(s.substr(us + 1));
  return m;
}

}  // namespace vcr::arm::rt
