// Live-range splitting for callee-saved pressure: where more values that cross calls are live at once than
// there are callee-saved registers, the cheapest of them gets a copy of its own across each call it crosses.
//
// A value live across a call needs a callee-saved register at the call.
// With one register per value it holds that register over its whole live
// range, so at a point where more such values are live than the pool has
// callee-saved registers, one of them must spill, even if at every call
// they fit (issue 16: `gen-116:gen`, peak 9 in 9 registers, spilled a
// three-definition value where the optimum spills nothing). The optimum
// keeps one of those values in a caller-saved register and copies it into a
// callee-saved one that is free at its call only.
//
// This pass makes that possible: for such a point it picks the value whose
// calls are cheapest to split around (2 x 10^depth per call), replaces its
// range across each call it crosses by a fresh vreg (`mov s, v` just before
// the call, `mov v, s` just after), and repeats until no such point is left
// or only values that cost more to split than to spill remain. The value
// itself then crosses no call and may take any register; each piece across
// a call needs a callee-saved register at that call alone. Coalescing
// decides the rest: where a piece can share the value's register it merges
// again and the copies go.
#include "core/alloc/work.h"

#include <algorithm>

namespace vcr::alloc {

namespace {

/// A call a value lives across: block and index of the call.
struct Crossing {
  mir::VReg v;
  uint32_t block, index;
};

/// Live vregs of a backward scan: a byte per vreg and the list of members.
class LiveSet {
public:
  explicit LiveSet(uint32_t n) : in_(n, 0) {}
  void insert(uint32_t v) {
    if (!in_[v]) in_[v] = 1, members_.push_back(v);
  }
  void erase(uint32_t v) { in_[v] = 0; }
  [[nodiscard]] bool contains(uint32_t v) const { return in_[v]; }
  /// Calls fn(v) for each member (dropping erased ones from the list).
  template <class F> void forEach(F &&fn) {
    size_t out = 0;
    for (uint32_t v : members_)
      if (in_[v]) members_[out++] = v, fn(v);
    members_.resize(out);
  }
  void clear() {
    for (uint32_t v : members_) in_[v] = 0;
    members_.clear();
  }

private:
  std::vector<uint8_t> in_;
  std::vector<uint32_t> members_;
};

}  // namespace

unsigned splitForCalleePressure(WorkFunction &w, const mir::Cfg &cfg, unsigned calleeRegs, unsigned poolRegs) {
  const uint32_t n = w.numVRegs;
  const size_t nb = w.fn.blocks.size();
  if (calleeRegs == 0 || n == 0 || !w.hasCalls) return 0;
  // Core values only (the VFP classes have 16 callee-saved S registers).
  std::vector<uint8_t> core(n, 0);
  for (uint32_t v = 0; v < n; ++v)
    core[v] = w.classOf(v) == mir::RegClass::Core && !(v < w.noSpill.size() && w.noSpill[v]);
  const GlobalLiveness lv = GlobalLiveness::computeSome(w.fn, cfg, core);
  auto isCore = [&](const mir::Operand &o) { return o.isVReg() && o.value < n && core[o.value]; };

  // Pass 1: the calls each value lives across, and its spill weight
  // (10^depth per definition and use).
  std::vector<Crossing> crossings;
  std::vector<double> weight(n, 0.0), defWeight(n, 0.0), splitCost(n, 0.0);
  std::vector<uint32_t> defs(n, 0);
  std::vector<const mir::Instr *> lastDef(n, nullptr);
  LiveSet live(n);
  auto scanBlock = [&](size_t b, auto &&atPoint) {
    live.clear();
    lv.forEachIn(lv.liveOut(b), [&](uint32_t v) { live.insert(v); });
    const auto &is = w.fn.blocks[b].instrs;
    for (size_t k = is.size(); k-- > 0;) {
      atPoint(k, /*after=*/true);
      for (const mir::Operand &d : is[k].defs)
        if (isCore(d)) live.erase(d.value);
      for (const mir::Operand &u : is[k].uses)
        if (isCore(u)) live.insert(u.value);
      atPoint(k, /*after=*/false);
    }
  };
  for (size_t b = 0; b < nb; ++b) {
    const auto &is = w.fn.blocks[b].instrs;
    const double wt = depthWeight(cfg, b);
    for (const mir::Instr &i : is) {
      for (const mir::Operand &d : i.defs)
        if (isCore(d)) defWeight[d.value] += wt, ++defs[d.value], lastDef[d.value] = &i;
      for (const mir::Operand &u : i.uses)
        if (isCore(u)) weight[u.value] += wt;
    }
    scanBlock(b, [&](size_t k, bool after) {
      if (!after || !mir::isCall(is[k].op)) return;
      live.forEach([&](uint32_t v) {
        crossings.push_back({v, static_cast<uint32_t>(b), static_cast<uint32_t>(k)});
        splitCost[v] += 2 * wt;
      });
    });
  }
  if (crossings.empty()) return 0;
  // What spilling a value would cost: a reload per use, and a store per
  // definition unless its one definition is refilled without a slot (a
  // constant, a stack parameter).
  for (uint32_t v = 0; v < n; ++v)
    if (!lastDef[v] || !refillsWithoutSlot(w, v, defs[v], *lastDef[v])) weight[v] += defWeight[v];

  // Pass 2: the points (away from a call) where more values that cross
  // calls are live than there are callee-saved registers; each point's
  // values, flattened.
  std::vector<uint32_t> pointStart, pointVals;
  std::vector<uint32_t> crossers;
  for (size_t b = 0; b < nb; ++b) {
    const auto &is = w.fn.blocks[b].instrs;
    scanBlock(b, [&](size_t k, bool) {
      if (mir::isCall(is[k].op)) return;  // live after or before a call: splitting cannot help there
      crossers.clear();
      uint32_t total = 0;
      live.forEach([&](uint32_t v) {
        ++total;
        if (splitCost[v] > 0) crossers.push_back(v);
      });
      // Where more values are live than there are registers, a spill comes
      // anyway and may take one of them: only the callee-saved registers
      // running out where the rest fit is this pass's to mend.
      if (crossers.size() <= calleeRegs || total > poolRegs) return;
      std::sort(crossers.begin(), crossers.end());
      // Consecutive points often hold the same values: keep one.
      if (!pointStart.empty() && pointVals.size() - pointStart.back() == crossers.size() &&
          std::equal(crossers.begin(), crossers.end(), pointVals.begin() + pointStart.back()))
        return;
      pointStart.push_back(static_cast<uint32_t>(pointVals.size()));
      pointVals.insert(pointVals.end(), crossers.begin(), crossers.end());
    });
  }
  if (pointStart.empty()) return 0;
  pointStart.push_back(static_cast<uint32_t>(pointVals.size()));

  // Greedy: at each point still over, split the value cheapest to split
  // (then the one at most points, then the heaviest) among those that cost
  // less to split than to spill.
  const size_t np = pointStart.size() - 1;
  std::vector<uint32_t> points(n, 0);  // per value: points it is at
  for (uint32_t v : pointVals) ++points[v];
  std::vector<uint8_t> chosen(n, 0);
  std::vector<uint32_t> over(np);
  for (size_t p = 0; p < np; ++p) over[p] = pointStart[p + 1] - pointStart[p] - calleeRegs;
  // Per value: the points it is at (CSR), to lower their excess.
  std::vector<uint32_t> atStart(n + 1, 0), atPoint(pointVals.size());
  for (uint32_t v : pointVals) ++atStart[v + 1];
  for (uint32_t v = 0; v < n; ++v) atStart[v + 1] += atStart[v];
  {
    std::vector<uint32_t> fill(atStart.begin(), atStart.end() - 1);
    for (size_t p = 0; p < np; ++p)
      for (uint32_t k = pointStart[p]; k < pointStart[p + 1]; ++k) atPoint[fill[pointVals[k]]++] = uint32_t(p);
  }
  bool any = false;
  for (size_t p = 0; p < np; ++p)
    while (over[p] > 0) {
      uint32_t best = kNoNode;
      for (uint32_t k = pointStart[p]; k < pointStart[p + 1]; ++k) {
        const uint32_t v = pointVals[k];
        if (chosen[v] || splitCost[v] >= weight[v]) continue;
        if (best == kNoNode || splitCost[v] < splitCost[best] ||
            (splitCost[v] == splitCost[best] &&
             (points[v] > points[best] || (points[v] == points[best] && weight[v] > weight[best]))))
          best = v;
      }
      if (best == kNoNode) break;  // only values cheaper to spill: leave it to the colouring
      chosen[best] = 1, any = true;
      for (uint32_t k = atStart[best]; k < atStart[best + 1]; ++k)
        if (over[atPoint[k]] > 0) --over[atPoint[k]];
    }
  if (!any) return 0;

  // Insert the copies, from the back of each block so that earlier
  // positions stay valid; per call, the copies after it first (the call
  // keeps its index), then those before it.
  std::sort(crossings.begin(), crossings.end(), [](const Crossing &a, const Crossing &b) {
    return a.block != b.block ? a.block < b.block : a.index > b.index;
  });
  unsigned copies = 0;
  std::vector<std::pair<mir::VReg, mir::VReg>> pieces;  // (value, its piece) at one call
  for (size_t i = 0; i < crossings.size();) {
    const Crossing &c = crossings[i];
    pieces.clear();
    for (; i < crossings.size() && crossings[i].block == c.block && crossings[i].index == c.index; ++i)
      if (chosen[crossings[i].v]) pieces.push_back({crossings[i].v, w.freshVReg(false, mir::RegClass::Core)});
    auto &is = w.fn.blocks[c.block].instrs;
    for (auto [v, s] : pieces)
      is.insert(is.begin() + c.index + 1,
                makeInstr(mir::Opcode::Mov, {mir::Operand::vreg(v)}, {mir::Operand::vreg(s)}, mir::Origin::Move));
    for (auto [v, s] : pieces)
      is.insert(is.begin() + c.index,
                makeInstr(mir::Opcode::Mov, {mir::Operand::vreg(s)}, {mir::Operand::vreg(v)}, mir::Origin::Move));
    copies += 2 * static_cast<unsigned>(pieces.size());
  }
  // A value that gains a definition is no longer a single `movi` or
  // stack-parameter load: spilling it stores it (refillsWithoutSlot counts
  // definitions), and it is never rematerialised.
  for (uint32_t v = 0; v < n; ++v)
    if (chosen[v] && v < w.multiDefWeb.size()) w.multiDefWeb[v] = 1;
  return copies;
}

}  // namespace vcr::alloc
