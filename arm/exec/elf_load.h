#pragma once
/// Internal to arm/exec: read a linked 32-bit little-endian ARM ELF
/// executable into loadable bytes and a symbol table. Every offset is
/// bounds-checked: a malformed file gives an error, never a crash.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vcr::exec::detail {

/// One symbol of the ELF symbol table.
struct ElfSymbol {
  uint32_t value = 0;  ///< as stored (Thumb functions have bit 0 set)
  uint32_t size = 0;
  bool function = false;  ///< STT_FUNC, or a global untyped symbol in an executable section
};

/// The loadable contents of an executable.
struct ElfImage {
  std::vector<uint8_t> bytes;  ///< PT_LOAD segments laid out from `base`; gaps and bss zero
  uint32_t base = 0;
  std::map<std::string, ElfSymbol> symbols;  ///< named symbols except mapping symbols ($t, $d, ...)
};

/// Largest span of loadable bytes accepted.
inline constexpr uint32_t kMaxImageBytes = 64u << 20;

/// Parse `file` (the bytes of an ELF file); on failure return false and set `error`.
[[nodiscard]] bool loadElf(const std::vector<uint8_t> &file, ElfImage &out, std::string &error);

}  // namespace vcr::exec::detail
