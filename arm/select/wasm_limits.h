#pragma once
/// Limits on wasm input checked before wabt builds its IR: block nesting
/// (wabt's text parser, its IR destructors and vcr-ra's selector recurse once
/// per level, so a deep input would overflow the stack) and the number of
/// locals of a function (a binary may declare four billion in a few bytes,
/// and selection makes a vreg for each). Also refused: a block in a constant
/// expression, on which wabt 1.0.32's IR reader aborts (found by fuzz_wasm),
/// and a function body that does not end with the `end` closing it (one
/// wabt 1.0.32 accepts when its last `end` closes an inner block). An input over a
/// limit is rejected with an error naming the function or line and the place.

#include "core/ir/diag.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace vcr::select {

/// Deepest block/loop/if (or, in text, parenthesis) nesting accepted.
inline constexpr uint32_t kMaxNesting = 1000;
/// Most locals (parameters excluded) one function may declare.
inline constexpr uint64_t kMaxLocals = 50000;

/// The first limit a wasm binary exceeds, as an error diagnostic for `file`
/// ("function 3: block nesting deeper than 1000 (at byte offset 0x1f4)"), or
/// nullopt. Malformed bytes are not reported here: wabt reports them.
[[nodiscard]] std::optional<Diagnostic> checkBinaryLimits(const std::vector<uint8_t> &bytes,
                                                          std::string_view file);

/// The first place where wat text nests deeper than kMaxNesting (open
/// parentheses plus unclosed flat block/loop/if), as an error diagnostic with
/// line:column, or nullopt. Comments and strings are skipped.
[[nodiscard]] std::optional<Diagnostic> checkTextLimits(std::string_view text, std::string_view file);

}  // namespace vcr::select
