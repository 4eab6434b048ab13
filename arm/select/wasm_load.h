#pragma once
/// Loading WebAssembly input: .wat text or .wasm binary, parsed and validated
/// with wabt. The result is always a validated binary (text is converted with
/// its names kept in a name section), which selection and the oracle read.

#include "core/ir/diag.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::select {

/// Where an instruction of a binary converted from text stands in the text.
struct WatPlace {
  uint32_t offset = 0;            ///< byte offset of the instruction (or function body) in `bytes`
  uint32_t line = 0, column = 0;  ///< its place in the .wat
};

/// A validated wasm binary and the file it came from (for diagnostics).
struct WasmBinary {
  std::string file;
  std::vector<uint8_t> bytes;
  /// From text (watToWasm): the .wat line and column of each instruction
  /// of the defined functions, by offset (ascending); empty for a binary.
  std::vector<WatPlace> watPlaces;

  /// "FILE:LINE:COL" of the instruction at `offset` for text input, else
  /// "byte offset N": the place a message about that instruction names.
  [[nodiscard]] std::string placeOf(size_t offset) const;
};

/// Read `path` (.wat or .wasm by extension; anything else is tried as a
/// binary if it starts with the wasm magic, else as text), parse and validate
/// it. Errors go to `diags` with the file and line:column (text) or byte
/// offset (binary).
[[nodiscard]] std::optional<WasmBinary> loadWasmFile(const std::string &path, Diagnostics &diags);

/// Parse, validate and convert wat text to a binary with debug names.
/// `file` names the input in diagnostics.
[[nodiscard]] std::optional<WasmBinary> watToWasm(std::string_view text, std::string_view file,
                                                  Diagnostics &diags);

/// Parse and validate a wasm binary held in memory (never crashes on bad
/// bytes). `file` names the input in diagnostics.
[[nodiscard]] std::optional<WasmBinary> checkWasmBytes(std::vector<uint8_t> bytes,
                                                       std::string_view file, Diagnostics &diags);

}  // namespace vcr::select
