#pragma once
/// The Thumb-2 Cortex-M register file and the AAPCS calling convention, as
/// the compiler side (selection, allocators, emitter) sees them. The checker
/// keeps its own, independently written statement (verifier/abi.h); a test
/// holds the two against each other.

#include "core/ir/mir.h"

#include <bitset>
#include <initializer_list>
#include <string>
#include <vector>

namespace vcr::arm {

using mir::PReg;

/// A set of physical registers.
class RegSet {
public:
  RegSet() = default;
  RegSet(std::initializer_list<PReg> rs) {
    for (PReg r : rs) add(r);
  }
  static RegSet range(PReg lo, PReg hi);  ///< lo..hi inclusive
  void add(PReg r) { bits_.set(static_cast<size_t>(r)); }
  void remove(PReg r) { bits_.reset(static_cast<size_t>(r)); }
  [[nodiscard]] bool contains(PReg r) const { return bits_.test(static_cast<size_t>(r)); }
  [[nodiscard]] unsigned size() const { return static_cast<unsigned>(bits_.count()); }
  [[nodiscard]] bool empty() const { return bits_.none(); }
  [[nodiscard]] std::vector<PReg> list() const;  ///< ascending
  /// The set as a bit mask (bit i = r_i): for loops that must not allocate.
  [[nodiscard]] uint32_t mask() const { return static_cast<uint32_t>(bits_.to_ulong()); }
  [[nodiscard]] std::string str() const;         ///< "{r0, r1, lr}"
  RegSet operator|(RegSet o) const { return RegSet(bits_ | o.bits_); }
  RegSet operator&(RegSet o) const { return RegSet(bits_ & o.bits_); }
  RegSet operator-(RegSet o) const { return RegSet(bits_ & ~o.bits_); }
  friend bool operator==(const RegSet &, const RegSet &) = default;

private:
  explicit RegSet(std::bitset<mir::kNumPRegs> b) : bits_(b) {}
  std::bitset<mir::kNumPRegs> bits_;
};

/// Registers by role (AAPCS plus the wasm runtime's reservations).
RegSet callerSaved();   ///< R0-R3, R12, LR (and the flags): clobbered by a call
RegSet calleeSaved();   ///< R4-R11: preserved by a call
RegSet reserved();      ///< R9 globals base, R10 memory size, R11 memory base, R12 scratch, SP, LR, PC
RegSet argRegs();       ///< R0-R3
inline constexpr PReg kGlobalsBase = PReg::R9;
inline constexpr PReg kMemSize = PReg::R10;
inline constexpr PReg kMemBase = PReg::R11;
inline constexpr PReg kScratch = PReg::R12;

/// The fixed role of R9 ("globals base"), R10, R11, SP or PC, which no pool
/// may contain; "" for every other register.
[[nodiscard]] std::string_view fixedRole(PReg r);

/// The allocatable pool. Default: R0-R8, the legacy allocator's 9 registers,
/// so comparisons are fair. Experiments may widen it (R12, LR once saved).
struct Pool {
  RegSet regs = RegSet::range(PReg::R0, PReg::R8);
  [[nodiscard]] static Pool legacy() { return {}; }
  /// Parse "r0-r8", "r0-r8,r12,lr"; throws std::invalid_argument, naming
  /// the register and its role for R9-R11, SP and PC.
  [[nodiscard]] static Pool parse(const std::string &spec);
  /// The fewest registers verify-alloc's --pool accepts. With four, every
  /// pool register can be an ABI register pinned at one instruction (a
  /// return of five results with r0-r3), and the colouring does not
  /// converge; every pool of five measured allocates (the corpus, 1,640
  /// functions of C compiled by clang at every -O level, 320 functions
  /// passing and returning permuted mixed-type values, in the shapes
  /// r0-r4, r4-r8, r2-r6, r0-r3+r12 and r0-r1+r4-r6). The library takes
  /// smaller pools (tests use them on functions that fit); a colouring
  /// that does not converge ends with an error, not an endless spill.
  static constexpr unsigned kMinRegisters = 5;
};

/// Where one argument, parameter or result operand lives at a call boundary:
/// a core register, an S or D register (AAPCS-VFP, cortex-m4f/m7), or the
/// stack. An i32 or f32 is one operand of 4 bytes, an i64 two (lo, hi), an
/// f64 one of 8 bytes (one D register or one 8-byte stack slot).
struct WordLoc {
  enum class Vfp : uint8_t { None, S, D };
  bool onStack = false;
  PReg reg = PReg::R0;    ///< when !onStack and vfp == None
  uint32_t offset = 0;    ///< when onStack: bytes above SP at the call
  Vfp vfp = Vfp::None;    ///< when !onStack: an S or D register
  uint8_t vfpReg = 0;     ///< its number (S0-S15 / D0-D7)
  uint8_t bytes = 4;      ///< size: 8 for an f64, else 4
  friend bool operator==(const WordLoc &, const WordLoc &) = default;
  [[nodiscard]] bool inVfp() const { return !onStack && vfp != Vfp::None; }
};

/// The MIR operand of a location: a core, S or D register, or [sp+offset].
[[nodiscard]] mir::Operand locOperand(const WordLoc &l);

/// AAPCS locations of every parameter operand, in order (an i64 gives lo
/// then hi). Core values: an i32 in the next of R0-R3; an i64 in an even
/// pair R0:R1/R2:R3 (skipping R1/R3 if needed); once a core value goes to
/// the stack every later core value does (8-byte aligned for i64).
/// AAPCS-VFP for f32/f64 (they occur only on cortex-m4f/m7): an f32 takes
/// the lowest free of S0-S15, an f64 the lowest free D0-D7 (so an f32
/// back-fills an S register left free below an f64); once a VFP value does
/// not fit, it and every later VFP value go to the stack (an f64 8-byte
/// aligned). Core and VFP values are placed independently and share the
/// stack area in argument order.
[[nodiscard]] std::vector<WordLoc> paramLocations(const mir::Signature &sig);
/// Bytes of stack the arguments of `sig` take (a multiple of 8 is not implied).
[[nodiscard]] uint32_t stackArgBytes(const mir::Signature &sig);
/// Result operands, placed exactly as paramLocations would place a parameter
/// list of the result types: one result is AAPCS's R0 (i32), R0:R1 (i64), S0
/// (f32) or D0 (f64); several results (wasm multi-value) take R0-R3 (i64 in
/// an even pair) and S0-S15 / D0-D7 with back-filling, in order, and those
/// that do not fit go to the stack: `[sp+N]` at the call, in the caller's
/// outgoing area (the area the stack arguments use; the callee writes them
/// at its entry SP + N before it returns).
[[nodiscard]] std::vector<WordLoc> resultLocations(const mir::Signature &sig);
/// Bytes of the caller's outgoing area the stack results of `sig` take.
[[nodiscard]] uint32_t stackResultBytes(const mir::Signature &sig);
/// The callee's area of the caller's stack: max(stackArgBytes, stackResultBytes).
[[nodiscard]] uint32_t calleeAreaBytes(const mir::Signature &sig);

}  // namespace vcr::arm
