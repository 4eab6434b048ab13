#pragma once
/// Internal to the optimal allocator: the integer program over program
/// points. Every gap between two instructions of a block has two states,
/// A (after the previous instruction) and B (after the transition code of
/// the gap, before the next instruction). In each state every value live
/// there is in at most one register of its class (binary x: the pool for
/// core values, S0-S31 for f32, D0-D15 for f64; optimal/regfile.h) and/or
/// valid in its frame slot (binary m). Moving from A to B costs a move or reload per
/// value that arrives in a new register and a store per value whose slot
/// becomes valid, weighted 10^loop-depth (docs/optimal.md).

#include "arm/target/target.h"
#include "core/ir/cfg.h"
#include "core/ir/mir.h"
#include "optimal/mip.h"
#include "optimal/regfile.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vcr::optimal {

/// Where a value's "memory" copy lives.
enum class Home : uint8_t {
  Slot,   ///< its own frame slot: valid only after a store
  Remat,  ///< its only def is a `movi`: always rematerialisable
  InArg,  ///< its only def loads an incoming stack parameter: always reloadable
};

/// One value present in a state: its columns are x(base + j) for the j-th
/// register of its class and m(base + k), k = the class's register count.
struct Present {
  mir::VReg v = 0;
  int base = 0;
  int copyClass = -1;  ///< values of one class (copies of one value) may share a register here; -1: none
};

/// The values present at one program point (sorted by vreg) and the
/// register units (RegFile) that physical operands occupy.
struct State {
  std::vector<Present> vals;
  UnitMask occupied = 0;
  /// The program says here that no two values (but copies) share a
  /// register; states without such rows share their columns with one that has them.
  bool exclusive = false;
  /// The column base of `v`, or -1 when `v` is not present.
  [[nodiscard]] int find(mir::VReg v) const;
};

/// The states around one instruction: `before` (B of its gap) and `after`
/// (A of the next gap; empty for a terminator).
struct InstrStates {
  State before, after;
};

struct BlockStates {
  State entry;  ///< A of the block's first gap
  std::vector<InstrStates> instrs;
  /// A of gap i: the entry for i = 0, else the previous instruction's after.
  [[nodiscard]] const State &gapA(size_t i) const { return i == 0 ? entry : instrs[i - 1].after; }
};

/// The program and the map from it back to the function.
struct Formulation {
  RegFile file;                      ///< the registers per class (x's j-th register)
  std::vector<mir::RegClass> cls;    ///< per vreg (core where the function has no VFP values)
  std::vector<BlockStates> blocks;   ///< parallel to the function's blocks
  std::vector<Home> home;            ///< per vreg
  std::vector<mir::Instr> homeDef;   ///< per vreg: the def a Remat/InArg value is re-made from
  Mip mip;
  [[nodiscard]] mir::RegClass classOf(mir::VReg v) const { return v < cls.size() ? cls[v] : mir::RegClass::Core; }
  /// The number of registers `v` may take: its columns are base + [0, k) and its slot base + k.
  [[nodiscard]] int k(mir::VReg v) const { return file.k(classOf(v)); }
  /// Register `j` of `v`'s class as an operand.
  [[nodiscard]] mir::Operand reg(mir::VReg v, int j) const { return file.operand(classOf(v), j); }
  [[nodiscard]] UnitMask units(mir::VReg v, int j) const { return file.units(classOf(v), j); }
};

/// Build the program for working-form function `fn` (vregs mixed with the
/// ABI's physical registers, core/alloc/abi.cpp) whose vregs have classes
/// `cls` (empty: all core). `inArgReloadable`: a stack parameter may be
/// reloaded from its incoming slot (Home::InArg; not when a result returned
/// on the stack may overwrite it). False with `why` when it would exceed
/// `maxVars` variables.
bool formulate(const mir::Function &fn, const mir::Cfg &cfg, const arm::Pool &pool, size_t maxVars,
               Formulation &out, std::string &why, const std::vector<uint8_t> &noRemat = {},
               const std::vector<mir::RegClass> &cls = {}, bool inArgReloadable = true);

}  // namespace vcr::optimal
