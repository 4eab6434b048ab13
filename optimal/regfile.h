#pragma once
/// Internal to the optimal allocator: the registers its program chooses
/// from, per register class. Core values take the pool's registers, f32
/// values S0-S31, f64 values D0-D15. Interference is counted in *units*:
/// a core or S register is one unit, a D register the two S units it
/// aliases (Dn = S2n:S2n+1), so an f64 value in D1 excludes f32 values from
/// S2 and S3 exactly as the ABI's i64 pairs and vcr-ra's classes do
/// (docs/vfp.md). Unit masks: bits [0, kc) are the pool in order, bits
/// [kc, kc + 32) are S0-S31 (present only when the function has VFP values).

#include "arm/target/target.h"
#include "core/ir/mir.h"

#include <array>
#include <cstdint>
#include <vector>

namespace vcr::optimal {

using UnitMask = uint64_t;

class RegFile {
public:
  /// `vfp`: the function has f32 or f64 values (else only the pool's units exist).
  RegFile(const arm::Pool &pool, bool vfp);
  RegFile() = default;

  /// Registers a value of class `c` may take (its candidates 0..k-1).
  [[nodiscard]] int k(mir::RegClass c) const;
  /// The units candidate `j` of class `c` occupies.
  [[nodiscard]] UnitMask units(mir::RegClass c, int j) const;
  /// Candidate `j` of class `c` as an operand: a pool register, S or D register.
  [[nodiscard]] mir::Operand operand(mir::RegClass c, int j) const;
  /// The candidate of class `c` that physical operand `o` is, or -1.
  [[nodiscard]] int candidate(mir::RegClass c, const mir::Operand &o) const;
  /// The candidate of class `c` that occupies unit `u`, or -1.
  [[nodiscard]] int candidateAt(mir::RegClass c, int u) const;
  /// The units of a physical operand (0: a core register outside the pool, or no register).
  [[nodiscard]] UnitMask unitsOf(const mir::Operand &o) const;
  /// The units of `ops`' physical operands.
  [[nodiscard]] UnitMask unitsOf(const mir::OperandList &ops) const;
  /// Units a call clobbers: the pool's caller-saved registers and S0-S15 (AAPCS-VFP).
  [[nodiscard]] UnitMask callClobbered() const { return callMask_; }
  [[nodiscard]] int numUnits() const { return kc_ + (vfp_ ? static_cast<int>(mir::kNumSRegs) : 0); }
  [[nodiscard]] const std::vector<mir::PReg> &pool() const { return core_; }

private:
  std::vector<mir::PReg> core_;
  std::array<int, mir::kNumPRegs> coreIdx_{};
  int kc_ = 0;
  bool vfp_ = false;
  UnitMask callMask_ = 0;
};

}  // namespace vcr::optimal
