#pragma once
/// The selection differential, as a library for the tests: select a module,
/// then run every selected function in the wabt oracle and in the MIR
/// interpreter on the same random arguments, memory image and globals, and
/// compare status, results, trap reason, final memory and globals.

#include "arm/select/select.h"
#include "arm/select/wasm_load.h"

#include <cstdint>
#include <string>

namespace vcr::select::test {

/// Totals of a differential run.
struct DiffStats {
  size_t modules = 0;
  size_t functions = 0;     ///< selected functions exercised
  size_t declined = 0;      ///< functions selection declined
  size_t runs = 0;          ///< inputs compared
  size_t skipped = 0;       ///< inputs without a verdict (fuel or call depth ran out)
  size_t disagreements = 0;
  size_t invalid = 0;       ///< selected functions the MIR validator rejects
  std::string firstFailure; ///< a readable report of the first problem

  void add(const DiffStats &o);
  [[nodiscard]] std::string summary() const;
};

/// Options of one differential run.
struct DiffOptions {
  unsigned inputsPerFunction = 20;
  uint64_t seed = 1;
  uint64_t fuel = 1'000'000;   ///< MIR instructions per run before "no verdict"
  SelectOptions select;
  bool validate = true;        ///< also run mir::validateFunction on each function
  bool stopAtFirst = false;    ///< stop at the first disagreement
};

/// Select `bin` and compare oracle and MIR interpreter on every selected
/// function. Load/selection failures count as a failure with a report.
[[nodiscard]] DiffStats diffModule(const WasmBinary &bin, const DiffOptions &opt);

}  // namespace vcr::select::test
