// The optimal allocator's registers per class and the units (core, S) they occupy.
#include "optimal/regfile.h"

namespace vcr::optimal {

using mir::RegClass;

RegFile::RegFile(const arm::Pool &pool, bool vfp) : core_(pool.regs.list()), vfp_(vfp) {
  coreIdx_.fill(-1);
  kc_ = static_cast<int>(core_.size());
  for (int j = 0; j < kc_; ++j) coreIdx_[static_cast<size_t>(core_[static_cast<size_t>(j)])] = j;
  for (mir::PReg r : arm::callerSaved().list())
    if (int j = coreIdx_[static_cast<size_t>(r)]; j >= 0) callMask_ |= UnitMask{1} << j;
  if (vfp_) callMask_ |= UnitMask{0xffff} << kc_;  // S0-S15 (D0-D7)
}

int RegFile::k(RegClass c) const {
  switch (c) {
  case RegClass::Core: return kc_;
  case RegClass::F32: return vfp_ ? static_cast<int>(mir::kNumSRegs) : 0;
  case RegClass::F64: return vfp_ ? static_cast<int>(mir::kNumDRegs) : 0;
  }
  return 0;
}

UnitMask RegFile::units(RegClass c, int j) const {
  switch (c) {
  case RegClass::Core: return UnitMask{1} << j;
  case RegClass::F32: return UnitMask{1} << (kc_ + j);
  case RegClass::F64: return UnitMask{3} << (kc_ + 2 * j);
  }
  return 0;
}

mir::Operand RegFile::operand(RegClass c, int j) const {
  switch (c) {
  case RegClass::Core: return mir::Operand::preg(core_[static_cast<size_t>(j)]);
  case RegClass::F32: return mir::Operand::sreg(static_cast<uint32_t>(j));
  case RegClass::F64: return mir::Operand::dreg(static_cast<uint32_t>(j));
  }
  return {};
}

int RegFile::candidate(RegClass c, const mir::Operand &o) const {
  if (c == RegClass::Core && o.isPReg()) return coreIdx_[static_cast<size_t>(o.preg())];
  if (c == RegClass::F32 && o.isSReg() && vfp_) return static_cast<int>(o.value);
  if (c == RegClass::F64 && o.isDReg() && vfp_) return static_cast<int>(o.value);
  return -1;
}

int RegFile::candidateAt(RegClass c, int u) const {
  if (c == RegClass::Core) return u < kc_ ? u : -1;
  if (!vfp_ || u < kc_ || u >= numUnits()) return -1;
  return c == RegClass::F32 ? u - kc_ : (u - kc_) / 2;
}

UnitMask RegFile::unitsOf(const mir::Operand &o) const {
  if (o.isPReg()) {
    const int j = coreIdx_[static_cast<size_t>(o.preg())];
    return j >= 0 ? UnitMask{1} << j : 0;
  }
  if (!vfp_) return 0;
  if (o.isSReg()) return units(RegClass::F32, static_cast<int>(o.value));
  if (o.isDReg()) return units(RegClass::F64, static_cast<int>(o.value));
  return 0;
}

UnitMask RegFile::unitsOf(const mir::OperandList &ops) const {
  UnitMask m = 0;
  for (const mir::Operand &o : ops) m |= unitsOf(o);
  return m;
}

}  // namespace vcr::optimal
