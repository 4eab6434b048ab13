#pragma once
/// The checker's own statement of the AAPCS (Procedure Call Standard for the
/// Arm Architecture) as it applies to vcr-ra's MIR, written independently of
/// arm/target so that a mistake there is not inherited here:
///  - parameter words go to R0, R1, R2, R3 in order; an i64 takes an even
///    register pair (R0:R1 or R2:R3, skipping R1 or R3 when needed); a pair
///    never straddles R3 and the stack;
///  - once a parameter is placed on the stack, all later ones are too (no
///    back-filling); stack words are at [sp+0], [sp+4], ... of the caller's
///    SP at the call; an i64 on the stack is 8-byte aligned;
///  - results: an i32 in R0, an i64 in R0:R1 (lo in R0);
///  - a call clobbers R0-R3, R12 and LR; R4-R11 and SP survive it;
///  - reserved by the wasm runtime: R9 globals base, R10 memory size,
///    R11 memory base, R12 scratch; SP, LR, PC are never allocated.
/// AAPCS-VFP (hard float, docs/vfp.md), for f32/f64 values:
///  - an f32 takes the lowest free of S0-S15, an f64 the lowest free even
///    pair D0-D7 (Dn = S2n:S2n+1), so an f32 back-fills an S register left
///    free below an f64; core values are placed in R0-R3 independently;
///  - once a VFP value does not fit, it and every later VFP value go to the
///    stack, which core and VFP values share in argument order (an f64 is
///    8-byte aligned there);
///  - results: an f32 in S0, an f64 in D0;
///  - a call clobbers S0-S15; S16-S31 (D8-D15) survive it.

#include "core/ir/mir.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace vcr::verifier::abi {

/// A 16-bit set of physical registers, bit i = PReg i.
using RegMask = uint16_t;

/// Bit of one register.
[[nodiscard]] constexpr RegMask bit(mir::PReg r) {
  return static_cast<RegMask>(1u << static_cast<unsigned>(r));
}
/// Whether `m` contains `r`.
[[nodiscard]] constexpr bool has(RegMask m, mir::PReg r) { return (m & bit(r)) != 0; }

/// R0-R3: argument and result registers.
inline constexpr RegMask kArgRegs = 0x000F;
/// R0-R3, R12, LR: clobbered by a call.
inline constexpr RegMask kCallerSaved = 0x000F | (1u << 12) | (1u << 14);
/// R4-R11: preserved by a call.
inline constexpr RegMask kCalleeSaved = 0x0FF0;
/// R9, R10, R11, R12, SP, LR, PC: never in a pool by default.
inline constexpr RegMask kReserved = 0xFE00;
/// R9, R10, R11, SP, PC: registers with a fixed role that no pool may
/// contain (R12 and LR may: their uses are checked like any register's).
inline constexpr RegMask kNeverAllocatable =
    (1u << 9) | (1u << 10) | (1u << 11) | (1u << 13) | (1u << 15);
/// The fixed role of a register of kNeverAllocatable ("memory size" for
/// R10), or "" for any other register.
[[nodiscard]] std::string_view reservedRole(mir::PReg r);
/// The legacy allocator's pool, R0-R8.
inline constexpr RegMask kLegacyPool = 0x01FF;

/// S0-S15 (bit i = S i): clobbered by a call, the VFP argument registers.
inline constexpr uint32_t kVfpCallerSaved = 0x0000FFFFu;
/// S16-S31 (bit i = S i): preserved by a call.
inline constexpr uint32_t kVfpCalleeSaved = 0xFFFF0000u;

/// Where one parameter or result operand crosses a call boundary: a core
/// word, an S register (f32), a D register (f64) or the stack (4 or 8 bytes).
struct WordHome {
  /// The register file of a register home.
  enum class Vfp : uint8_t { None, S, D };
  bool onStack = false;
  mir::PReg reg = mir::PReg::R0;  ///< when !onStack and vfp == None
  uint32_t offset = 0;            ///< when onStack: bytes above SP at the call
  Vfp vfp = Vfp::None;            ///< when !onStack: an S or D register
  uint8_t vfpReg = 0;             ///< its number
  uint8_t bytes = 4;              ///< 8 for an f64, else 4
  friend bool operator==(const WordHome &, const WordHome &) = default;
};

/// Homes of all parameter operands of `sig` (an i64 gives lo then hi, an
/// f32 or f64 one home each).
[[nodiscard]] std::vector<WordHome> paramHomes(const mir::Signature &sig);
/// Bytes of the caller's stack that the parameters of `sig` occupy.
[[nodiscard]] uint32_t stackParamBytes(const mir::Signature &sig);
/// Homes of the result operands of `sig`, placed as a parameter list of the
/// result types would be: one result in R0, R0:R1 (i64), S0 (f32) or D0
/// (f64), as AAPCS says; several (wasm multi-value, vcr-ra's convention,
/// docs/mir.md "Several results") in R0-R3 and S0-S15 / D0-D7 with
/// back-filling, and the rest on the stack: `[sp+N]` of the caller's
/// outgoing area at the call, which the callee writes at entry SP + N.
[[nodiscard]] std::vector<WordHome> resultHomes(const mir::Signature &sig);
/// Bytes of the caller's area the stack results of `sig` take.
[[nodiscard]] uint32_t stackResultBytes(const mir::Signature &sig);
/// The callee's area of the caller's stack (it may write all of it):
/// max(stackParamBytes, stackResultBytes).
[[nodiscard]] uint32_t areaBytes(const mir::Signature &sig);
/// The operand that names a home in allocated MIR (`r2`, `s1`, `d0` or `[sp+8]`).
[[nodiscard]] mir::Operand homeOperand(const WordHome &h);

}  // namespace vcr::verifier::abi
