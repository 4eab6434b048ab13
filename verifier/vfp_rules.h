#pragma once
/// The structure rules for VFP registers in instructions an allocator
/// inserts (docs/vfp.md "Checker"): `mov` of one VFP class (S to S, D to
/// D), `lds`/`sts` of an S or D register and a stack slot, VPUSH/VPOP of
/// S16-S31 / D8-D15 only, in ascending S order without overlap, and a
/// rematerialised `fconst` of an S (f32) or D (f64) register.

#include "core/ir/mir.h"

#include <string>

namespace vcr::verifier {

/// True when inserted instruction `in` names an S or D register; `why` is
/// then empty if it obeys the rules and says what is wrong otherwise.
/// False (and `why` untouched) for an instruction of core registers only.
[[nodiscard]] bool vfpInsertedRule(const mir::Instr &in, std::string &why);

}  // namespace vcr::verifier
