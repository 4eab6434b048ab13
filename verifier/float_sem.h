#pragma once
/// The checker's statement of the float opcodes (docs/vfp.md "Checker"):
/// data movement is exact (fconst is its bit pattern, fmovtoint/fmovfromint
/// reinterpret the bits, fsel selects), and every float computation is an
/// uninterpreted function of its opcode, condition and operand values, so a
/// proof holds whatever the operation computes (proofs/obligations.md,
/// "Floats"). A trapping truncation's trap condition is an uninterpreted
/// predicate of its operand, the same on both sides. Float values are
/// bit-vectors: an f32 32 bits, an f64 64 bits (high word = bits 63..32).
/// The opcode lists here are the checker's own, not core/ir's table.

#include "core/ir/mir.h"
#include "verifier/semantics.h"
#include "verifier/smt/smt.h"

#include <functional>
#include <optional>
#include <vector>

namespace vcr::verifier {

/// The uninterpreted function `tag` (opcode, condition, result or trap)
/// applied to `args`, `bits` wide: equal tags and equal argument terms must
/// give the same term (the caller memoises), anything else a fresh value.
using ApplyFn = std::function<smt::Term(uint32_t tag, unsigned bits, const std::vector<smt::Term> &args)>;

/// True for every float opcode (the checker's own list).
[[nodiscard]] bool isFloatOpcode(mir::Opcode op);
/// A float opcode that reads or writes linear memory (fload, fstore).
[[nodiscard]] bool isFloatMemOp(mir::Opcode op);
/// A float computation the checker leaves uninterpreted (arithmetic,
/// rounding, conversions, fset, the truncations), as opposed to data
/// movement (fconst, fmovtoint/fmovfromint, fsel) and memory (fload/fstore).
[[nodiscard]] bool isUninterpretedFloatOp(mir::Opcode op);
/// A float-to-integer truncation that traps (ftrunc.<int>.<float>).
[[nodiscard]] bool isTrappingFloatOp(mir::Opcode op);

/// Result words of a float opcode that touches neither memory nor traps
/// (one term per def: 32 bits for an f32 or core word, 64 for an f64),
/// given its use terms (immediates as 32-bit constants). nullopt for any
/// other opcode.
[[nodiscard]] std::optional<Words> evalFloat(smt::Context &c, const mir::Instr &in,
                                             const std::vector<smt::Term> &uses, const ApplyFn &apply);

/// The result words of a trapping truncation and, in `trap`, its trap
/// condition (a 1-bit term, 1: traps).
[[nodiscard]] Words truncWithTrap(smt::Context &c, const mir::Instr &in,
                                  const std::vector<smt::Term> &uses, const ApplyFn &apply,
                                  smt::Term &trap);

}  // namespace vcr::verifier
