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

/// "Not a node" (immediates, stack words, registers outside the pool).
inline constexpr uint32_t kNoNode = UINT32_MAX;
/// First vreg node in the working form.
inline constexpr uint32_t kVRegBase = mir::kNumPRegs;

/// Maps operands to node numbers and enumerates an instruction's nodes.
struct NodeMap {
  bool working = false;  ///< false: node = vreg; true: working-form numbering
  arm::RegSet pool;      ///< working form: registers that are nodes
  arm::RegSet clobbers;  ///< working form: pool registers a call defines
  uint32_t numNodes = 0;

  /// Node numbering of a vreg-form function.
  [[nodiscard]] static NodeMap vregs(const mir::Function &f) {
    NodeMap m;
    m.numNodes = f.numVRegs();
    return m;
  }
  /// Node numbering of the working form with `numVRegs` vregs.
  [[nodiscard]] static NodeMap workingForm(uint32_t numVRegs, arm::RegSet pool) {
    NodeMap m;
    m.working = true;
    m.pool = pool;
    m.clobbers = arm::callerSaved() & pool;
    m.numNodes = kVRegBase + numVRegs;
    return m;
  }

  /// Node of an operand, or kNoNode.
  [[nodiscard]] uint32_t node(const mir::Operand &o) const {
    if (o.isVReg()) return working ? kVRegBase + o.value : o.value;
    if (o.isPReg() && working && pool.contains(o.preg())) return o.value;
    return kNoNode;
  }

  /// Calls `fn(node)` for each node the instruction defines (a working-form
  /// call defines its clobbers, which include its result registers).
  template <class F> void forEachDef(const mir::Instr &i, F &&fn) const {
    bool isCall = working && mir::isCall(i.op);
    if (isCall)
      for (uint32_t m = clobbers.mask(); m; m &= m - 1) fn(static_cast<uint32_t>(__builtin_ctz(m)));
    for (const mir::Operand &o : i.defs) {
      uint32_t n = node(o);
      if (n == kNoNode) continue;
      if (isCall && n < kVRegBase && clobbers.contains(static_cast<mir::PReg>(n))) continue;
      fn(n);
    }
  }
  /// Calls `fn(node)` for each operand node the instruction reads.
  template <class F> void forEachUse(const mir::Instr &i, F &&fn) const {
    for (const mir::Operand &o : i.uses) {
      uint32_t n = node(o);
      if (n != kNoNode) fn(n);
    }
  }
};

/// True for a register-to-register move between two nodes.
[[nodiscard]] inline bool isNodeMove(const mir::Instr &i, const NodeMap &m) {
  return i.op == mir::Opcode::Mov && i.defs.size() == 1 && i.uses.size() == 1 &&
         m.node(i.defs[0]) != kNoNode && m.node(i.uses[0]) != kNoNode;
}

}  // namespace vcr::alloc
