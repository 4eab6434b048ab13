#pragma once
// Checks a wasm module (WAT text or binary) with wabt: parse, validate, and
// report every construct outside the scalar MVP subset the selector supports
// (i32, i64, f32, f64).

#include <cstdint>
#include <string>
#include <vector>

namespace vcr::gen {

/// Outcome of checkWat / checkWasm / checkWasmFile.
struct WasmCheck {
  /// True when the module parsed, validated and stayed inside the subset.
  bool ok = false;
  /// Parse/validation errors and subset violations, each naming the file and,
  /// where known, the function ("file: function $f: f32.add is outside ...").
  std::vector<std::string> errors;
  /// Names of the defined (non-imported) functions, in index order, e.g.
  /// "$crc32"; an unnamed function appears as "#<index>".
  std::vector<std::string> functions;
  /// Number of defined functions without a name ($name or name section).
  unsigned unnamedFunctions = 0;
};

/// Parses and validates WAT text; `filename` only labels the diagnostics.
WasmCheck checkWat(const std::string &text, const std::string &filename);

/// Reads (with the name section) and validates a binary module.
WasmCheck checkWasm(const std::vector<uint8_t> &bytes, const std::string &filename);

/// Reads `path` and dispatches on its extension (.wat: text, otherwise binary).
/// A missing or unreadable file yields ok = false with an error naming it.
WasmCheck checkWasmFile(const std::string &path);

}  // namespace vcr::gen
