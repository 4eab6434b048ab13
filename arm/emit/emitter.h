#pragma once
/// Private to arm/emit: the per-function emitter, its helpers and the
/// runtime-routine registry. One FnEmitter turns one allocated MIR function
/// into assembly text or declines it (DeclineError).

#include "arm/emit/emit.h"
#include "core/ir/mir.h"

#include <fmt/format.h>

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::emit::detail {

/// Thrown while emitting a function to decline it; `reason` says why.
struct DeclineError {
  std::string reason;
};

/// The private runtime routines (runtime_asm.cpp), one bit each in a mask.
enum class Routine : uint8_t {
  UDiv64, SDiv64, URem64, SRem64, Shl64, ShrU64, ShrS64, Rotl64, Rotr64,
  /// The `__vcr_fp_*` float routines (arm/emit/runtime/float_runtime.c, compiled
  /// by clang-14 at build time); AEABI soft-float calls need libgcc at link time.
  FloatRuntime,
  /// The `__vcr_memory_*` bulk-memory routines (runtime_asm.cpp), all of them.
  MemoryRuntime, Count
};

/// The float runtime's assembly text (generated at build time; "" if clang-14 was missing).
[[nodiscard]] std::string_view floatRuntimeText();

/// The `__vcr_data` table the bulk-memory routines read: per data segment of
/// `m` a length word (0 for an active segment) and the address of its bytes.
[[nodiscard]] std::string dataSegmentsText(const mir::Module &m);

/// Assembler symbol of a runtime routine ("__vcr_rt_udiv64").
[[nodiscard]] std::string routineSymbol(Routine r);

/// Assembly text of the routines whose bits are set in `mask`
/// (bit = 1 << Routine), including shared helpers; "" for 0.
[[nodiscard]] std::string runtimeText(uint32_t mask);

/// Registers (bit = 1 << PReg) live after each instruction of allocated `f`:
/// result[block][instr]. Calls clobber R0-R3, R12, LR; `ret` reads LR.
[[nodiscard]] std::vector<std::vector<uint32_t>> liveOutMasks(const mir::Function &f);
/// VFP registers (bit n = S n; a D register is its two S bits) live after
/// each instruction of allocated `f`: result[block][instr]. Calls clobber S0-S15.
[[nodiscard]] std::vector<std::vector<uint32_t>> vfpLiveOutMasks(const mir::Function &f);

/// Symbol of the function table `calli` indexes (emit_table.cpp).
inline constexpr std::string_view kTableSymbol = "__vcr_table";
/// The function table as data: per slot the callee's address (Thumb bit set;
/// 0 for null) and its signature id (kNullType, kOpaqueType). A function
/// not emitted (not in `emitted`) is an opaque slot. "" without a table.
[[nodiscard]] std::string tableText(const mir::Module &m, const std::vector<std::string> &emitted);

/// Register bit of `r` in a liveness mask.
[[nodiscard]] inline uint32_t regBit(mir::PReg r) { return 1u << static_cast<unsigned>(r); }

/// Thumb-2 condition suffix ("eq", "lo", ...) of a MIR condition.
[[nodiscard]] std::string_view condSuffix(mir::Cond c);
/// The suffix of the negated condition ("ne" for Eq, "hs" for ULt, ...).
[[nodiscard]] std::string_view invertedSuffix(mir::Cond c);

/// Emits one allocated function. Usage: construct, call run() (may throw
/// DeclineError), then read routines() and callees(). The expansion methods
/// are split by concern over emit_alu.cpp, emit_i64.cpp, emit_mem.cpp and
/// emit_control.cpp; the helpers and the driver are in emit.cpp.
class FnEmitter {
public:
  /// `m` and `f` must outlive the emitter.
  FnEmitter(const mir::Module &m, const mir::Function &f, const EmitOptions &opts);

  /// The function's assembly text (directives, body, trap stubs).
  [[nodiscard]] std::string run();
  /// Runtime routines the body calls (mask of 1 << Routine).
  [[nodiscard]] uint32_t routines() const { return routines_; }
  /// Names of the module functions (not imports) the body calls.
  [[nodiscard]] const std::set<std::string> &callees() const { return callees_; }

private:
  // ------------------------------------------------------------ helpers (emit.cpp)
  /// Append one instruction line (a tab is prepended).
  void line(std::string_view text);
  /// Append one formatted instruction line.
  template <typename... A>
  void line(fmt::format_string<A...> f, A &&...args) {
    line(std::string_view(fmt::format(f, std::forward<A>(args)...)));
  }
  /// Append a label definition.
  void label(std::string_view name);
  /// Decline the function, naming the current instruction.
  [[noreturn]] void decline(const std::string &why) const;
  /// Register name of operand `o` (r0..r12, lr); declines on anything else.
  [[nodiscard]] std::string reg(const mir::Operand &o, std::string_view role) const;
  /// True if `o` is the physical register `r`.
  [[nodiscard]] static bool isReg(const mir::Operand &o, mir::PReg r) {
    return o.isPReg() && o.preg() == r;
  }
  /// A scratch register the current expansion may write: not an operand of
  /// the instruction, not live across it, and free to clobber (R12, R0-R3,
  /// or a register the prologue saved; R12 first). Declines when there is
  /// none. With R12 in the allocation pool R12 may hold a value: then
  /// another free register serves.
  /// When every candidate holds a value, one that is not an operand is
  /// borrowed: pushed before the expansion and popped after it (not in
  /// terminators or expansions that move SP or address the stack).
  /// `avoid`: further registers (regBit) it must not return (a second
  /// scratch of the same expansion avoids the first).
  [[nodiscard]] std::string scratch(uint32_t avoid = 0);
  /// True if `r` is a def or use of `in`.
  [[nodiscard]] static bool isOperandReg(const mir::Instr &in, mir::PReg r);
  /// A temporary for the current expansion: `d` (a def the expansion writes
  /// last anyway) if it differs from every register in `live` (sources still
  /// read after the temporary is written), else scratch().
  /// `reusable`: operand registers that may serve too when they die at this
  /// instruction (not live after it) and are none of `live`.
  [[nodiscard]] std::string tempFor(const std::string &d, std::initializer_list<std::string> live,
                                    std::initializer_list<std::string> reusable = {});
  /// Load the constant `v` into register `rd` (mov/mvn/movw/movt; immediates.cpp).
  void materialize(std::string_view rd, uint32_t v);
  /// Local label of block `b`.
  [[nodiscard]] std::string blockLabel(mir::BlockId b) const;
  /// Local label of the trap stub for `r` (and record that it is needed).
  [[nodiscard]] std::string trapLabel(mir::TrapReason r);
  /// A fresh local label.
  [[nodiscard]] std::string freshLabel(std::string_view what);
  /// Record that the body calls runtime routine `r`.
  void useRoutine(Routine r) { routines_ |= 1u << static_cast<unsigned>(r); }
  /// Dispatch one instruction to its expansion.
  void emitInstr(const mir::Instr &in);

  // ------------------------------------------------------------ VFP helpers (emit_vfp.cpp)
  /// Name of the S register `o` ("s5"); declines on anything else.
  [[nodiscard]] std::string sreg(const mir::Operand &o, std::string_view role) const;
  /// Name of the D register `o` ("d3"); declines on anything else.
  [[nodiscard]] std::string dreg(const mir::Operand &o, std::string_view role) const;
  /// sreg or dreg per `dbl`.
  [[nodiscard]] std::string vreg(const mir::Operand &o, std::string_view role, bool dbl) const {
    return dbl ? dreg(o, role) : sreg(o, role);
  }
  /// A VFP scratch register (an S register, or a D register if `dbl`) that is
  /// not an operand of the current instruction, not live across it, and free
  /// to clobber (S0-S15, or S16-S31 the prologue pushed). When every one
  /// holds a value, one that is not an operand is borrowed (VPUSH before the
  /// expansion, VPOP after it); declines where scratch() would not borrow.
  [[nodiscard]] std::string vfpScratch(bool dbl);
  /// Decline unless the CPU has double-precision arithmetic (cortex-m7).
  void requireF64(std::string_view what);
  /// Load the bits of a float constant into `v` (an S or D register name):
  /// VMOV immediate when encodable (F64 only on cortex-m7), else through
  /// the core register `core` (a scratch) and VMOV, one word at a time.
  void vfpConstant(const std::string &v, uint64_t bits, bool dbl, const std::string &core);

  // ------------------------------------------------------------ expansions
  void emitAlu(const mir::Instr &in);      ///< 32-bit ALU, unary, division
  void emitCompare(const mir::Instr &in);  ///< set, sel, set64
  void emitI64(const mir::Instr &in);      ///< pair operations, runtime-routine calls
  void emitMemory(const mir::Instr &in);
  void emitGrow(const mir::Instr &in);     ///< memgrow: inline arithmetic on R10 (emit_mem.cpp)   ///< load/store, globals, memsize, stack words
  void emitFrame(const mir::Instr &in);    ///< push/pop/adjsp
  void emitControl(const mir::Instr &in);  ///< param, branches, calls, traps, ret
  void emitCallInd(const mir::Instr &in);  ///< calli: table checks, blx (emit_table.cpp)
  void emitVfp(const mir::Instr &in);      ///< float arithmetic, compare, select, constants, moves (emit_vfp.cpp)
  void emitVfpConvert(const mir::Instr &in);  ///< VCVT, trapping truncation, VRINT (emit_vfp_cvt.cpp)
  void emitVfpMemory(const mir::Instr &in);   ///< fload/fstore, lds/sts and push/pop of S/D (emit_vfp_mem.cpp)
  /// `mn d, a, #imm` for add/sub/and/orr/eor, via the best immediate form
  /// (add<->sub of the negation, addw/subw, bic/orn) or a scratch register.
  void binaryImm(std::string_view mn, const std::string &d, const std::string &a, uint32_t imm);
  /// shl/shru/shrs/rotl/rotr with an immediate or register amount.
  void emitShift(const mir::Instr &in, const std::string &d);
  /// Set the flags as `cmp a, #imm` would (cmp, cmn or via a scratch register).
  void compareWith(const std::string &a, uint32_t imm);
  /// Bounds check of an access of `bytes` at addr+offset, leaving in
  /// register `temp` the host address of ea + bytes (scratch() for stores; a
  /// load's own destination when loadTemp allows). Returns false if the
  /// access always traps (a branch to the trap stub was emitted instead).
  bool boundsCheck(const std::string &addr, uint32_t offset, unsigned bytes, const std::string &temp);
  /// The register a load of `bytes` at addr+offset into `d` computes its
  /// address in: `d` itself when that is safe, else scratch().
  [[nodiscard]] std::string loadTemp(const std::string &d, const std::string &addr, unsigned bytes,
                                     uint32_t offset);
  /// The register a store to `addr` computes the host address in: `addr`
  /// itself when the store is its last use, it is none of `values` and the
  /// end offset (offset + bytes) is an immediate; else scratch().
  [[nodiscard]] std::string storeTemp(const std::string &addr, std::initializer_list<std::string> values,
                                      uint32_t offset, unsigned bytes);
  /// `mn r, [sp, #offset]` (ldr/str), via a scratch register for large offsets.
  void stackAccess(std::string_view mn, const std::string &r, uint32_t offset);
  /// `b` to block `target` unless it is the fall-through block.
  void branchTo(mir::BlockId target);

  const mir::Module &module_;
  const mir::Function &fn_;
  const EmitOptions &opts_;
  std::string sym_;  ///< the function's symbol
  std::string out_;
  uint32_t routines_ = 0;
  std::set<std::string> callees_;
  std::set<mir::TrapReason> traps_;
  unsigned labels_ = 0;
  uint32_t curBlock_ = 0;             ///< block of the instruction being emitted
  uint32_t curIndex_ = 0;             ///< its index in the block
  uint32_t curLiveOut_ = 0;           ///< registers live after it
  std::vector<std::vector<uint32_t>> vfpLive_;  ///< vfpLiveOutMasks of the function (empty without VFP)
  uint32_t curVfpLiveOut_ = 0;        ///< S registers live after the current instruction
  uint32_t vfpSaved_ = 0;             ///< S registers the prologue pushes (VPUSH)
  std::string pendingVPop_;           ///< a VFP register vfpScratch borrowed (VPUSH/VPOP), or ""
  uint32_t saved_ = 0;                ///< registers the prologue pushes (free as scratch in the body)
  int pendingPop_ = -1;               ///< a register scratch() borrowed for this instruction (push/pop), or -1
  unsigned borrowed_ = 0;             ///< how many times scratch() borrowed a register
  const mir::Instr *next_ = nullptr;  ///< the next instruction in the block, if any
  bool skipNext_ = false;             ///< a peephole absorbed the next instruction
  unsigned marks_ = 0;                ///< origin marks made (EmitOptions::markOrigins)
};

}  // namespace vcr::emit::detail
