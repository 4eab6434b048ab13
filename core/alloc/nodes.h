#pragma once
/// Node numbering shared by the allocator's phases. In vreg form a node is a
/// vreg. In the allocator's working form (vregs mixed with the physical
/// registers of the ABI lowering) nodes 0..15 are the physical registers of
/// the pool (precoloured) and node 16 + v is vreg v; registers outside the
/// pool are not nodes. A call in the working form defines (clobbers) every
/// caller-saved register of the pool.

#include "arm/target/target.h"
#include "core/ir/mir.h"

#include <boost/dynamic_bitset.hpp>
#include <cstdint>

namespace vcr::alloc {

/// A dense bitset (one bit per vreg or node).
using Bits = boost::dynamic_bitset<uint64_t>;

/// Set bits of a word, without a library call: a build for the baseline
/// x86-64 (no POPCNT) makes __builtin_popcount a call into libgcc, which was
/// 1.5% of the allocation time (alloc_bench).
[[nodiscard]] inline uint32_t popcount64(uint64_t x) {
#if defined(__POPCNT__) || !(defined(__x86_64__) || defined(__i386__))
  return static_cast<uint32_t>(__builtin_popcountll(x));
#else
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return static_cast<uint32_t>((x * 0x0101010101010101ull) >> 56);
#endif
}
[[nodiscard]] inline uint32_t popcount32(uint32_t x) { return popcount64(x); }

/// "Not a node" (immediates, stack words, registers outside the pool).
inline constexpr uint32_t kNoNode = UINT32_MAX;
/// Number of precoloured nodes: the units of the largest register class
/// (S0-S31); core registers use the first 16.
inline constexpr uint32_t kNumUnits = 32;
/// First vreg node in the working form.
inline constexpr uint32_t kVRegBase = kNumUnits;

/// Maps operands to node numbers and enumerates an instruction's nodes.
/// The working form is allocated one register class at a time (docs/vfp.md):
/// a map of class `cls` sees the vregs of that class (per `classes`) and the
/// physical registers of that class as units: core registers of the pool;
/// for f32, S registers (a D register is its two S units); for f64, D
/// registers (an S register is the unit of the D register holding it).
struct NodeMap {
  bool working = false;  ///< false: node = vreg; true: working-form numbering
  mir::RegClass cls = mir::RegClass::Core;
  const std::vector<mir::RegClass> *classes = nullptr;  ///< per vreg (working form), or all core
  /// Working form, compact numbering: per vreg its node, or kNoNode (a
  /// vreg of another class); null: node kVRegBase + v.
  const std::vector<uint32_t> *vregNode = nullptr;
  uint32_t pool = 0;     ///< working form, core: registers that are nodes
  uint32_t clobbers = 0; ///< working form: units a call defines
  uint32_t numNodes = 0;

  /// Node numbering of a vreg-form function.
  [[nodiscard]] static NodeMap vregs(const mir::Function &f) {
    NodeMap m;
    m.numNodes = f.numVRegs();
    return m;
  }
  /// Node numbering of the working form with `numVRegs` vregs: the core
  /// class with registers `pool`, where every vreg is core.
  [[nodiscard]] static NodeMap workingForm(uint32_t numVRegs, arm::RegSet pool) {
    NodeMap m;
    m.working = true;
    m.pool = pool.mask();
    m.clobbers = (arm::callerSaved() & pool).mask();
    m.numNodes = kVRegBase + numVRegs;
    return m;
  }
  /// The working form for one class: core with pool `corePool`, or f32 / f64
  /// (every S / D register a node; calls clobber S0-S15 / D0-D7).
  /// With `vregNode` (and `numClassVRegs` its nodes), the compact
  /// numbering of WorkFunction::vregNode.
  [[nodiscard]] static NodeMap classForm(uint32_t numVRegs, mir::RegClass c, arm::RegSet corePool,
                                         const std::vector<mir::RegClass> *classes,
                                         const std::vector<uint32_t> *vregNode = nullptr,
                                         uint32_t numClassVRegs = 0) {
    NodeMap m = workingForm(vregNode ? numClassVRegs : numVRegs, corePool);
    m.cls = c;
    m.classes = classes;
    m.vregNode = vregNode;
    if (c == mir::RegClass::F32) m.pool = 0xffffffffu, m.clobbers = 0x0000ffffu;
    if (c == mir::RegClass::F64) m.pool = 0x0000ffffu, m.clobbers = 0x000000ffu;
    return m;
  }

  /// Node of an operand, or kNoNode (a D register in the f32 class is two
  /// nodes: forEachUnit).
  [[nodiscard]] uint32_t node(const mir::Operand &o) const {
    if (o.isVReg()) {
      if (!working) return o.value;
      if (vregNode) return o.value < vregNode->size() ? (*vregNode)[o.value] : kNoNode;
      if (classes && o.value < classes->size() ? (*classes)[o.value] != cls : cls != mir::RegClass::Core)
        return kNoNode;
      return kVRegBase + o.value;
    }
    if (!working) return kNoNode;
    switch (cls) {
    case mir::RegClass::Core: return o.isPReg() && (pool >> o.value & 1) ? o.value : kNoNode;
    case mir::RegClass::F32: return o.isSReg() ? o.value : kNoNode;
    case mir::RegClass::F64: return o.isDReg() ? o.value : kNoNode;
    }
    return kNoNode;
  }
  /// Calls `fn(node)` for each node an operand occupies: node(o), or the
  /// units of a physical register of the class that aliases it.
  template <class F> void forEachUnit(const mir::Operand &o, F &&fn) const {
    if (const uint32_t n = node(o); n != kNoNode) return fn(n);
    if (!working) return;
    if (cls == mir::RegClass::F32 && o.isDReg()) fn(2 * o.value), fn(2 * o.value + 1);
    if (cls == mir::RegClass::F64 && o.isSReg()) fn(o.value / 2);
  }

  /// Calls `fn(node)` for each node the instruction defines (a working-form
  /// call defines its clobbers, which include its result registers).
  template <class F> void forEachDef(const mir::Instr &i, F &&fn) const {
    bool isCall = working && mir::isCall(i.op);
    if (isCall)
      for (uint32_t m = clobbers; m; m &= m - 1) fn(static_cast<uint32_t>(__builtin_ctz(m)));
    for (const mir::Operand &o : i.defs)
      forEachUnit(o, [&](uint32_t n) {
        if (isCall && n < kVRegBase && (clobbers >> n & 1)) return;
        fn(n);
      });
  }
  /// Calls `fn(node)` for each operand node the instruction reads.
  template <class F> void forEachUse(const mir::Instr &i, F &&fn) const {
    for (const mir::Operand &o : i.uses) forEachUnit(o, fn);
  }
};

/// True for a register-to-register move between two nodes.
[[nodiscard]] inline bool isNodeMove(const mir::Instr &i, const NodeMap &m) {
  return i.op == mir::Opcode::Mov && i.defs.size() == 1 && i.uses.size() == 1 &&
         m.node(i.defs[0]) != kNoNode && m.node(i.uses[0]) != kNoNode;
}

}  // namespace vcr::alloc
