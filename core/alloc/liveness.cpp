// Backward liveness dataflow over vregs or working-form nodes, the flat operand table, and peak pressure.
#include "core/alloc/liveness.h"

#include <algorithm>
#include <memory>

namespace vcr::alloc {

using mir::BlockId;
using mir::Cfg;
using mir::Function;

namespace {

/// `map` with the fields that decide how an operand maps to nodes (the
/// numbering, the class, and whether it is the compact one) made
/// compile-time constants, so that NodeMap's tests of them fold away in
/// FlatCode::build's loop for each shape of map.
template <bool Working, mir::RegClass Cls, bool Compact> NodeMap fixedShape(const NodeMap &map) {
  NodeMap m = map;
  m.working = Working;
  m.cls = Cls;
  if (!Compact) m.vregNode = nullptr;
  return m;
}

}  // namespace

// Flattened (NodeMap's operand walks inlined into the loop) and the loop
// instantiated per shape of map (fixedShape): the allocation's instructions
// executed fell 1.5-1.7% on the float-heavy row, 0.7-0.8% on the MIR row
// and 0.3-0.6% on the wasm row (alloc_bench, callgrind).
[[gnu::flatten]] void FlatCode::build(const Function &f, const NodeMap &map, bool sparse) {
  // The per-instruction arrays are sized once and written by index (a
  // push_back per array and instruction was most of this pass), and so are
  // the operands: room for an instruction's worst case is made once per
  // instruction, not checked per operand.
  size_t numInstrs = 0;
  blockStart.resize(f.blocks.size() + 1);
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    blockStart[b] = static_cast<uint32_t>(numInstrs);
    numInstrs += f.blocks[b].instrs.size();
  }
  blockStart.back() = static_cast<uint32_t>(numInstrs);
  opStart.resize(numInstrs + 1);
  numDefs.resize(numInstrs);
  move.resize(numInstrs);
  instrPos.clear();
  if (ops.size() < 64) ops.resize(64);
  uint32_t k = 0, top = 0;  // instructions and operands written
  auto fill = [&](const NodeMap m) {
    for (size_t b = 0; b < f.blocks.size(); ++b) {
      if (sparse) blockStart[b] = k;
      const auto &instrs = f.blocks[b].instrs;
      for (uint32_t pos = 0; pos < instrs.size(); ++pos) {
        const mir::Instr &i = instrs[pos];
        // At most two units per operand (a D register in the f32 class) and
        // every clobbered unit of a call.
        const size_t worst = 2 * (i.defs.size() + i.uses.size()) + kNumUnits;
        if (top + worst > ops.size()) ops.resize(2 * (top + worst));
        uint32_t *out = ops.data();
        const uint32_t start = top;
        m.forEachDef(i, [&](uint32_t n) { out[top++] = n; });
        const uint32_t nd = top - start;
        m.forEachUse(i, [&](uint32_t n) { out[top++] = n; });
        if (sparse && top == start) continue;  // no node of the class: nothing to record
        opStart[k] = start;
        numDefs[k] = static_cast<uint8_t>(nd);
        move[k] = i.op == mir::Opcode::Mov && nd == 1 && top - start == 2 && isNodeMove(i, m) ? 1 : 0;
        if (sparse) instrPos.push_back(pos);
        ++k;
      }
    }
  };
  using mir::RegClass;
  const bool compact = map.vregNode != nullptr;
  if (!map.working) fill(fixedShape<false, RegClass::Core, false>(map));
  else if (map.cls == RegClass::Core)
    compact ? fill(fixedShape<true, RegClass::Core, true>(map)) : fill(fixedShape<true, RegClass::Core, false>(map));
  else if (map.cls == RegClass::F32)
    compact ? fill(fixedShape<true, RegClass::F32, true>(map)) : fill(fixedShape<true, RegClass::F32, false>(map));
  else
    compact ? fill(fixedShape<true, RegClass::F64, true>(map)) : fill(fixedShape<true, RegClass::F64, false>(map));
  if (sparse) {
    blockStart.back() = k;
    opStart.resize(k + 1);
    numDefs.resize(k);
    move.resize(k);
  }
  opStart[k] = top;
}

Liveness Liveness::compute(const Function &f, const Cfg &cfg) {
  return computeNodes(f, cfg, NodeMap::vregs(f));
}

GlobalLiveness GlobalLiveness::compute(const Function &f, const Cfg &cfg, const NodeMap &map) {
  FlatCode code;
  code.build(f, map);
  GlobalLiveness lv;
  lv.compute(code, cfg, map.numNodes);
  return lv;
}

GlobalLiveness GlobalLiveness::computeSome(const Function &f, const Cfg &cfg, const std::vector<uint8_t> &pick,
                                           FlatCode *flat) {
  const auto n = static_cast<uint32_t>(pick.size());
  auto picked = [&](const mir::Operand &o) { return o.isVReg() && o.value < n && pick[o.value]; };
  // The flat code holds only the instructions with a picked operand: the
  // others add nothing to any block's sets, and the callers pick a few
  // vregs (the multiply-defined ones at most).
  FlatCode code;
  code.blockStart.reserve(f.blocks.size() + 1);  // (growing it was a sizeable share of the allocator's mallocs)
  // Room for every instruction (a bound) and two operands each (a guess,
  // grown past if need be), so that the lists are not reallocated and
  // copied as they grow (about 0.2% of the allocation at 10k instructions,
  // alloc_bench).
  size_t numInstrs = 0;
  for (const mir::Block &b : f.blocks) numInstrs += b.instrs.size();
  code.opStart.reserve(numInstrs + 1);
  code.instrPos.reserve(numInstrs);
  code.numDefs.reserve(numInstrs);
  code.ops.reserve(2 * numInstrs);
  uint32_t start = 0;
  for (const mir::Block &b : f.blocks) {
    code.blockStart.push_back(static_cast<uint32_t>(code.opStart.size()));
    for (uint32_t pos = 0; pos < b.instrs.size(); ++pos) {
      const mir::Instr &i = b.instrs[pos];
      for (const mir::Operand &d : i.defs)
        if (picked(d)) code.ops.push_back(d.value);
      const auto nd = static_cast<uint32_t>(code.ops.size()) - start;
      for (const mir::Operand &u : i.uses)
        if (picked(u)) code.ops.push_back(u.value);
      if (code.ops.size() == start) continue;
      code.opStart.push_back(start);
      code.instrPos.push_back(pos);
      code.numDefs.push_back(static_cast<uint8_t>(nd));
      start = static_cast<uint32_t>(code.ops.size());
    }
  }
  code.blockStart.push_back(static_cast<uint32_t>(code.opStart.size()));
  code.opStart.push_back(static_cast<uint32_t>(code.ops.size()));
  GlobalLiveness lv;
  lv.compute(code, cfg, n);
  if (flat) *flat = std::move(code);
  return lv;
}

namespace {

/// Words [lo, hi) of a row: a superset of its nonzero words (empty: lo >= hi).
struct WordRange {
  uint32_t lo = UINT32_MAX, hi = 0;
  /// From the first to the last nonzero word of `row`.
  static WordRange of(const uint64_t *row, uint32_t words) {
    WordRange r;
    for (uint32_t w = 0; w < words; ++w)
      if (row[w]) r.lo = std::min(r.lo, w), r.hi = w + 1;
    return r;
  }
  void join(WordRange r) { lo = std::min(lo, r.lo), hi = std::max(hi, r.hi); }
};

/// The dataflow to the fixpoint, from `in` holding each block's
/// upward-exposed uses and `out` zero; `Banded`: per block the range of its
/// in row's nonzero words is in `inRange` (else every word is visited).
/// A worklist, first in post-order (successors first) and then the
/// unreachable blocks: a block is visited again only when the live-in set
/// of a successor grew, not in whole sweeps until one changes nothing.
/// in = use | (out & ~def), and the sets only grow: OR-ing out & ~def
/// into in (which starts as use) is the same without a row of uses, and
/// only in the words of out that the successors' rows reach (the rest went
/// into in on an earlier visit).
template <bool Banded>
void solve(const Cfg &cfg, uint32_t nb, uint32_t words, uint64_t *in, uint64_t *out, const uint64_t *def,
           WordRange *inRange) {
  std::vector<BlockId> work;
  work.reserve(nb);
  for (uint32_t b = nb; b-- > 0;)
    if (b >= cfg.reachable.size() || !cfg.reachable[b]) work.push_back(b);
  work.insert(work.end(), cfg.rpo.begin(), cfg.rpo.end());  // popped from the back: post-order first
  std::vector<uint8_t> queued(nb, 1);
  auto rangeOf = [&](BlockId b) { return Banded ? inRange[b] : WordRange{0, words}; };
  while (!work.empty()) {
    const BlockId b = work.back();
    work.pop_back();
    queued[b] = 0;
    uint64_t *o = out + size_t(b) * words, *li = in + size_t(b) * words;
    const uint64_t *d = def + size_t(b) * words;
    WordRange reached;  // words of out the successors' rows reach
    for (BlockId s : cfg.succs[b]) {
      const uint64_t *si = in + size_t(s) * words;
      const WordRange r = rangeOf(s);
      for (uint32_t w = r.lo; w < r.hi; ++w) o[w] |= si[w];
      if constexpr (Banded) reached.join(r);
    }
    if constexpr (!Banded) reached = {0, words};
    bool grew = false;
    for (uint32_t w = reached.lo; w < reached.hi; ++w) {
      const uint64_t x = li[w] | (o[w] & ~d[w]);
      grew |= x != li[w];
      li[w] = x;
    }
    if (!grew) continue;
    if constexpr (Banded) inRange[b].join(reached);
    for (BlockId p : cfg.preds[b])
      if (!queued[p]) queued[p] = 1, work.push_back(p);
  }
}

}  // namespace

void GlobalLiveness::compute(const FlatCode &code, const Cfg &cfg, uint32_t numNodes) {
  const uint32_t nb = code.numBlocks();
  constexpr uint32_t kNone = UINT32_MAX;
  // One pass over the operands: the upward-exposed uses decide which nodes
  // are global, and each block's upward-exposed uses (compact indices) and
  // defs (nodes, once each: which are global is known only at the end) are
  // listed for the rows, which must wait for the row width `words`: the
  // lists are shorter than the operands, which a second pass used to read.
  // A node's defining block and compact index sit side by side (one cache
  // line per operand, not two; `compact` is filled from `nodes` after).
  nodes.clear();
  struct NodeState {
    uint32_t defBlock, compact;
  };
  std::vector<NodeState> state(numNodes, NodeState{kNone, kNone});
  const uint32_t numOps = code.opStart.back();
  const auto exposed = std::make_unique_for_overwrite<uint32_t[]>(numOps);
  const auto defined = std::make_unique_for_overwrite<uint32_t[]>(numOps);
  std::vector<uint32_t> exposedEnd(nb), definedEnd(nb);  // per block: end of its part of the list
  uint32_t ne = 0, nd = 0;
  for (uint32_t b = 0; b < nb; ++b) {
    for (uint32_t i = code.blockStart[b]; i < code.blockStart[b + 1]; ++i) {
      const uint32_t *op = code.ops.data() + code.opStart[i];
      const uint32_t numDefs = code.numDefs[i], n = code.opStart[i + 1] - code.opStart[i];
      for (uint32_t k = numDefs; k < n; ++k) {
        NodeState &x = state[op[k]];
        if (x.defBlock == b) continue;  // defined above in the block
        if (x.compact == kNone) {
          x.compact = static_cast<uint32_t>(nodes.size());
          nodes.push_back(op[k]);
        }
        exposed[ne++] = x.compact;
      }
      for (uint32_t k = 0; k < numDefs; ++k)
        if (NodeState &x = state[op[k]]; x.defBlock != b) {
          x.defBlock = b;
          defined[nd++] = op[k];
        }
    }
    exposedEnd[b] = ne;
    definedEnd[b] = nd;
  }
  compact.assign(numNodes, kNone);
  for (uint32_t c = 0; c < nodes.size(); ++c) compact[nodes[c]] = c;
  words = static_cast<uint32_t>((nodes.size() + 63) / 64);
  const size_t total = size_t(nb) * words;
  in.assign(total, 0);
  out.assign(total, 0);
  if (words == 0) return;
  // The rows: upward-exposed uses straight into the live-in rows, and the
  // defs of global nodes.
  std::vector<uint64_t> def(total, 0);
  // The nodes of a block mostly have compact indices near each other
  // (numbered in the order of their first upward-exposed use): in wide
  // rows, the dataflow reads and writes a row only from its first to its
  // last nonzero word (on the MIR generator's 10k-instruction functions
  // those ranges hold 7% of the rows' words). Rows of fewer words are
  // walked whole: finding the ranges cost more than it saved at 1k
  // instructions, and on the wasm generator's functions, whose rows of
  // 3-8 words are dense (callgrind, alloc_bench).
  std::vector<WordRange> inRange(words >= 8 ? nb : 0);
  for (uint32_t b = 0, e = 0, d = 0; b < nb; ++b) {
    uint64_t *inRow = in.data() + size_t(b) * words, *defRow = def.data() + size_t(b) * words;
    for (; e < exposedEnd[b]; ++e) inRow[exposed[e] >> 6] |= 1ull << (exposed[e] & 63);
    if (!inRange.empty()) inRange[b] = WordRange::of(inRow, words);
    for (; d < definedEnd[b]; ++d)
      if (const uint32_t c = compact[defined[d]]; c != kNone) defRow[c >> 6] |= 1ull << (c & 63);
  }
  if (inRange.empty()) solve<false>(cfg, nb, words, in.data(), out.data(), def.data(), nullptr);
  else solve<true>(cfg, nb, words, in.data(), out.data(), def.data(), inRange.data());
}

Liveness Liveness::computeNodes(const Function &f, const Cfg &cfg, const NodeMap &map) {
  GlobalLiveness g = GlobalLiveness::compute(f, cfg, map);
  Liveness lv;
  const size_t nb = f.blocks.size();
  lv.liveIn.assign(nb, Bits(map.numNodes));
  lv.liveOut.assign(nb, Bits(map.numNodes));
  for (size_t b = 0; b < nb; ++b) {
    g.forEachIn(g.liveIn(b), [&](uint32_t n) { lv.liveIn[b].set(n); });
    g.forEachIn(g.liveOut(b), [&](uint32_t n) { lv.liveOut[b].set(n); });
  }
  return lv;
}

unsigned peakPressure(const Function &f) { return peakPressure(f, std::vector<unsigned>(f.numVRegs(), 1)); }

unsigned peakPressure(const Function &f, const std::vector<unsigned> &weight) {
  Cfg cfg = Cfg::build(f);
  NodeMap map = NodeMap::vregs(f);
  Liveness lv = Liveness::compute(f, cfg);
  auto w = [&](uint32_t n) { return n < weight.size() ? weight[n] : 0u; };
  auto total = [&](const Bits &b) {
    unsigned t = 0;
    for (uint32_t n = 0; n < b.size(); ++n)
      if (b.test(n)) t += w(n);
    return t;
  };
  unsigned peak = 0;
  std::vector<uint32_t> defs;
  for (size_t b = 0; b < f.blocks.size(); ++b) {
    Bits live = lv.liveOut[b];
    unsigned count = total(live);
    peak = std::max(peak, count);
    const auto &is = f.blocks[b].instrs;
    for (auto it = is.rbegin(); it != is.rend(); ++it) {
      // After the instruction: live-after plus its (possibly dead) defs.
      defs.clear();
      map.forEachDef(*it, [&](uint32_t n) {
        if (std::find(defs.begin(), defs.end(), n) == defs.end()) defs.push_back(n);
      });
      unsigned after = count;
      for (uint32_t n : defs)
        if (!live.test(n)) after += w(n);
      peak = std::max(peak, after);
      // Before it: (live-after minus defs) plus uses.
      for (uint32_t n : defs)
        if (live.test(n)) {
          live.reset(n);
          count -= w(n);
        }
      map.forEachUse(*it, [&](uint32_t n) {
        if (!live.test(n)) {
          live.set(n);
          count += w(n);
        }
      });
      peak = std::max(peak, count);
    }
  }
  return peak;
}

}  // namespace vcr::alloc
