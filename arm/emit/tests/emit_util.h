#pragma once
/// Helpers of the emitter tests: parse hand-written allocated MIR, emit it,
/// cut out one function's body and run arm-none-eabi-as on a text.

#include "arm/emit/emit.h"
#include "core/ir/mir.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::emit::test {

/// Parse allocated MIR text; a parse error fails the current test.
[[nodiscard]] mir::Module parse(std::string_view text);

/// Parse and emit `text` with `opts`.
[[nodiscard]] EmitResult emitText(std::string_view text, const EmitOptions &opts = {});

/// The instruction lines of function `name` in `asmText` (from its label to
/// its .size directive), whitespace-normalised: one "mnemonic operands" per
/// line, labels kept as "label:".
[[nodiscard]] std::string bodyOf(const std::string &asmText, std::string_view name);

/// Result of assembling a text.
struct AsResult {
  bool ok = false;
  std::string output;  ///< the assembler's messages
};

/// Write `asmText` to a temporary file and assemble it with
/// `arm-none-eabi-as -mcpu=cortex-m4 -mthumb`; with `objdump`, also
/// disassemble the object and return the listing in `output`.
[[nodiscard]] AsResult assemble(const std::string &asmText, bool objdump = false);

/// True iff arm-none-eabi-as runs (probed once per process).
[[nodiscard]] bool haveAssembler();

/// Every .wat/.wasm file of the bundled corpus (test data under tests/ excluded), sorted.
[[nodiscard]] std::vector<std::filesystem::path> corpusFiles();

}  // namespace vcr::emit::test
