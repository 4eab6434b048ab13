#pragma once
/// Thumb-2 emitter: allocated MIR -> GNU as assembly text for Cortex-M4
/// (`.syntax unified`, `.cpu cortex-m4`, `.thumb`, section `.text`),
/// assemblable with `arm-none-eabi-as -mcpu=cortex-m4 -mthumb`.
///
/// Register conventions (arm/target/runtime.h is the contract with arm/exec):
///   R9  globals-table base (gget/gset: `ldr/str d, [r9, #4*index]`)
///   R10 linear-memory size in bytes (bounds checks compare against it)
///   R11 linear-memory base
///   Scratch: an expansion that needs a temporary register first uses its own
///       def register where it can (register shifts, srem/urem, set64
///       orders, loads' address, mul64 when nothing aliases). Otherwise it
///       takes a scratch register that is neither one of its operands nor
///       live across it, in the order R12, R3-R0 (caller-saved), then a
///       register the prologue pushed (R4-R8, LR). With R12 and LR in the
///       allocation pool every one of them may hold a value: then a register
///       that is not an operand is borrowed, `push {r}` before the expansion
///       and `pop {r}` after it (never in a terminator, nor where the
///       expansion moves SP or addresses the stack: those decline).
///   SP, PC are never data registers (declined); LR may be (widened pool).
/// Every MIR instruction reads all of its uses before it writes any def; the
/// expansions order halves or go through a scratch so that defs may alias uses.
///
/// Memory accesses: T = addr + (offset + bytes) with a carry check (`adds`,
/// `bcs trap`), then `cmp T, r10; bhi trap`, `add T, T, r11`, and the access
/// `[T, #-bytes]`. T is a scratch for stores; a load computes T in its own
/// destination register (dead until the load) so loads rarely need one.
/// Traps branch to per-function stubs `udf #rt::trapCode(reason)`.
///
/// VFP (EmitOptions::cpu cortex-m4f / cortex-m7; docs/vfp.md "Emission:
/// built"): float opcodes become VFP instructions (.F64 arithmetic, VRINT
/// and VSEL only on cortex-m7); fset is VCMP + VMRS APSR_nzcv + IT; the
/// trapping truncations compare against their exact bounds before VCVT;
/// fload/fstore go through core registers (LDR/STR + VMOV, since VLDR/VSTR
/// fault on unaligned addresses); spill slots use VLDR/VSTR [sp, #off] and
/// callee-saved S lists VPUSH/VPOP. A VFP scratch is an S/D register not
/// live across the instruction (S0-S15, or S16-S31 the prologue saved),
/// borrowed with VPUSH/VPOP when there is none.
///
/// Runtime routines (64-bit divide/remainder and register-amount 64-bit
/// shifts/rotates) are private, local Thumb functions `__vcr_rt_<op>` emitted
/// once per module when used. Their convention: the caller lowers SP by 24,
/// stores the operand words at [sp+0] (a lo), [sp+4] (a hi), [sp+8] (b lo or
/// the shift amount), [sp+12] (b hi) and LR at [sp+16], `bl`s the routine,
/// reloads LR, loads the result words from [sp+0] (lo) and [sp+4] (hi) and
/// raises SP by 24. The routine preserves every register (R0-R12) and leaves
/// the flags undefined; it needs no SP alignment. The temporary SP change
/// stays inside one MIR instruction, and the call needs no scratch register.

#include "arm/target/cpu.h"
#include "core/ir/mir.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vcr::emit {

/// A function that was not emitted, and why.
struct Declined {
  std::string function;  ///< MIR name
  std::string reason;
};

/// The result of emitting a module.
struct EmitResult {
  std::string asmText;                 ///< the whole module: header, functions, runtime helpers
  std::vector<std::string> emitted;    ///< MIR names of the functions emitted
  std::vector<Declined> declined;      ///< functions not emitted, with the reason
};

/// Knobs of the emitter.
struct EmitOptions {
  bool elideSelfMoves = true;  ///< drop `mov r, r` (else it is emitted as a no-op move)
  /// Wrap each allocator-inserted instruction's expansion in origin-mark
  /// labels (arm/target/runtime.h) so that exec counts executed instructions
  /// by origin. Labels only: the instructions are the same.
  bool markOrigins = false;
  /// Target CPU. cortex-m4 has no FPU: a function holding a float opcode or
  /// an S/D register is declined. cortex-m4f (FPv4-SP-D16) emits single
  /// precision and the data movement of D registers (VMOV, VLDR/VSTR,
  /// VPUSH/VPOP, abs/neg/copysign as bit operations on the halves) and
  /// declines f64 arithmetic; cortex-m7 (FPv5-D16) adds double precision,
  /// VRINT and VSEL (docs/vfp.md "Emission").
  arm::Cpu cpu = arm::Cpu::CortexM4;
};

/// Emit every allocated function of `allocated`. A function that cannot be
/// encoded (or is not in allocated form, or calls a declined function) is
/// declined with a reason; the rest are emitted. Never throws on bad input.
[[nodiscard]] EmitResult emitModule(const mir::Module &allocated, const EmitOptions &opts = {});

/// True iff `v` is a Thumb-2 modified immediate (ThumbExpandImm): 0x000000XY,
/// 0x00XY00XY, 0xXY00XY00, 0xXYXYXYXY, or an 8-bit value 1bcdefgh rotated
/// right by 8..31.
[[nodiscard]] bool isModifiedImmediate(uint32_t v);

}  // namespace vcr::emit
