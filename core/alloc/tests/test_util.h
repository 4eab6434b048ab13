#pragma once
/// Helpers shared by the allocator tests: building MIR by hand, running the
/// vreg and allocated forms of a module side by side in the interpreter,
/// and checking the register discipline of allocated code.

#include "arm/target/target.h"
#include "core/alloc/allocator.h"
#include "core/ir/mir.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vcr::alloc::test {

/// Instruction builder: `ins(Opcode::Add, {v(2)}, {v(0), v(1)})`.
[[nodiscard]] mir::Instr ins(mir::Opcode op, mir::OperandList defs, mir::OperandList uses,
                             mir::TargetList targets = {});
/// Shorthands for operands.
[[nodiscard]] inline mir::Operand v(uint32_t n) { return mir::Operand::vreg(n); }
[[nodiscard]] inline mir::Operand imm(uint32_t n) { return mir::Operand::imm(n); }

/// Outcome of a differential run of one function.
struct DiffOutcome {
  bool same = true;
  std::string why;  ///< first difference, for the failure message
  unsigned runs = 0;
};

/// Run function `fn` of `vregForm` and of `allocated` on up to `inputs`
/// seeded inputs of the shared harness (core/ir/diff.h: same memory image
/// and globals on both sides; inputs the vreg form cannot finish are
/// skipped) and compare status, results, trap reason, final memory and
/// globals. An interpreter Error on either side is a difference.
[[nodiscard]] DiffOutcome differential(const mir::Module &vregForm, const mir::Module &allocated,
                                       const std::string &fn, unsigned inputs, uint64_t seed);

/// Every register operand of allocated `f` is in the pool or plays an
/// ABI/frame role (R0-R3 at param/call/ret/moves, SP, LR in push/pop).
/// Returns the first offending instruction's text, or "".
[[nodiscard]] std::string checkRegisterRoles(const mir::Function &f, const arm::Pool &pool);

}  // namespace vcr::alloc::test
