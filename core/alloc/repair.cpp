// Colour repair after a failed round: keep every colour, spill what must go, colour spill temps locally.
#include "core/alloc/work.h"

#include <algorithm>

namespace vcr::alloc {

namespace {

/// The state of one repair: colours, the nodes the current step added and
/// what constrains them.
class Repair {
public:
  Repair(WorkFunction &w, const FlatCode &code, const GlobalLiveness &lv, const Interference &g,
         const arm::Pool &pool, Colouring &c)
      : w_(w), lv_(lv), g_(g), pool_(pool), colour_(c.colour), code_(code) {
    for (mir::PReg r : pool.regs.list()) poolMask_ |= 1u << static_cast<unsigned>(r);
    for (int col : colour_)
      if (col >= 4 && col <= 11) usedCallee_ |= 1u << col;
  }

  /// Retry the uncoloured nodes of the round; returns the ones to spill.
  std::vector<uint32_t> retryUncoloured() {
    std::vector<uint32_t> cand, spill;
    for (uint32_t n = kVRegBase; n < g_.numNodes; ++n)
      if (g_.occurs.test(n) && colour_[n] < 0) cand.push_back(n);
    // Most valuable first: they get the free colours.
    std::stable_sort(cand.begin(), cand.end(),
                     [&](uint32_t a, uint32_t b) { return g_.weight[a] > g_.weight[b]; });
    for (uint32_t n : cand) {
      PRegMask busy = 0;
      g_.forEachNeighbour(n, [&](uint32_t m) {
        if (int col = colour_[m]; col >= 0) busy |= 1u << col;
      });
      PRegMask ok = poolMask_ & ~busy;
      int col = -1;
      g_.forEachMove(n, [&](uint32_t mi) {
        const GraphMove &m = g_.moves[mi];
        int pc = colour_[m.dst == n ? m.src : m.dst];
        if (col < 0 && pc >= 0 && (ok >> pc & 1)) col = pc;
      });
      if (col < 0 && ok) col = pickFreeColour(ok, usedCallee_);
      if (col < 0) spill.push_back(n);
      else assign(n, col);
    }
    return spill;
  }

  /// Spill `nodes` and colour their temps. False when a temp finds no
  /// colour (the caller then runs a full round).
  bool step(std::vector<uint32_t> &nodes, AllocStats &stats) {
    const uint32_t firstNew = kVRegBase + w_.numVRegs;
    blocksOf(nodes);
    // The step rewrites the code the graph was built from: the temps'
    // constraints come from per-instruction colour masks of that code.
    computeMasks();
    sites_.blockBase = &code_.blockStart;
    sites_.touches = &touches_;
    spillNodes(w_, nodes, stats, &touched_, &blocks_, &sites_);
    nodes.clear();
    const uint32_t numNodes = kVRegBase + w_.numVRegs;
    colour_.resize(numNodes, -1);
    if (numNodes == firstNew) return true;
    siteConstraints(firstNew, numNodes);
    // Greedy, in creation order (a use's temps before the def's).
    for (uint32_t t = firstNew; t < numNodes; ++t) {
      const uint32_t k = t - firstNew;
      PRegMask busy = busy_[k] | tempBusy(k);
      PRegMask ok = poolMask_ & ~busy;
      int col = -1;
      for (uint32_t i = prefStart_[k]; i < prefStart_[k + 1] && col < 0; ++i)
        if (int pc = colour_[pref_[i]]; pc >= 0 && (ok >> pc & 1)) col = pc;
      if (col < 0 && ok) col = pickFreeColour(ok, usedCallee_);
      // No free colour: a full round (rebuild and IRC over the rewritten
      // code) decides. Evicting neighbours here instead spills them over
      // their whole range, and measured worse than the legacy ladder on
      // generated code (acceptance bar, tools/tests/ladder_test.cpp).
      if (col < 0) return false;
      assign(t, col);
    }
    return true;
  }

private:
  void assign(uint32_t n, int col) {
    colour_[n] = col;
    if (col >= 4 && col <= 11) usedCallee_ |= 1u << col;
  }

  /// Colours of the temps (already coloured) that interfere with temp k.
  PRegMask tempBusy(uint32_t k) const {
    PRegMask busy = 0;
    for (uint32_t i = nbrStart_[k]; i < nbrStart_[k + 1]; ++i)
      if (int col = colour_[nbr_[i]]; col >= 0) busy |= 1u << col;
    return busy;
  }

  /// The blocks (ascending) where the old nodes `nodes` occur: the blocks
  /// of the round's flat code that mention them (spilling moves no operand
  /// of another node, so they are still there).
  /// Also flags each instruction that mentions them (`touches_`).
  void blocksOf(const std::vector<uint32_t> &nodes) {
    blocks_.clear();
    inLive_.assign(g_.numNodes, 0);
    for (uint32_t n : nodes) inLive_[n] = 1;
    auto hit = [&](uint32_t i) {
      for (uint32_t k = code_.opStart[i]; k < code_.opStart[i + 1]; ++k)
        if (code_.ops[k] < g_.numNodes && inLive_[code_.ops[k]]) return true;
      return false;
    };
    touches_.assign(code_.numDefs.size(), 0);
    for (uint32_t b = 0; b < code_.numBlocks(); ++b) {
      bool any = false;
      for (uint32_t i = code_.blockStart[b]; i < code_.blockStart[b + 1]; ++i)
        if (hit(i)) {
          any = true;
          touches_[i] = 1;
        }
      if (any) blocks_.push_back(b);
    }
    for (uint32_t n : nodes) inLive_[n] = 0;
  }

  /// Per instruction of the candidate blocks of the flat code: the colours
  /// live before it (`inMask_`), and those live after it, its move source
  /// aside, plus those of its defs (`outMask_`).
  void computeMasks() {
    const size_t ni = code_.numDefs.size();
    inMask_.assign(ni, 0);
    outMask_.assign(ni, 0);
    inLive_.assign(g_.numNodes, 0);
    for (uint32_t b : blocks_) {
      unsigned count[32] = {};
      PRegMask liveColours = 0;
      seen_.clear();
      auto insert = [&](uint32_t n) {
        if (inLive_[n]) return;
        inLive_[n] = 1;
        seen_.push_back(n);
        if (int c = colour_[n]; c >= 0 && count[c]++ == 0) liveColours |= 1u << c;
      };
      auto erase = [&](uint32_t n) {
        if (!inLive_[n]) return;
        inLive_[n] = 0;
        if (int c = colour_[n]; c >= 0 && --count[c] == 0) liveColours &= ~(1u << c);
      };
      lv_.forEachIn(lv_.liveOut(b), insert);
      for (uint32_t i = code_.blockStart[b + 1]; i-- > code_.blockStart[b];) {
        const uint32_t *op = code_.ops.data() + code_.opStart[i];
        const uint32_t nd = code_.numDefs[i], n = code_.opStart[i + 1] - code_.opStart[i];
        if (code_.move[i]) erase(op[1]);
        PRegMask defColours = 0;
        for (uint32_t k = 0; k < nd; ++k)
          if (int c = colour_[op[k]]; c >= 0) defColours |= 1u << c;
        outMask_[i] = liveColours | defColours;
        for (uint32_t k = 0; k < nd; ++k) erase(op[k]);
        for (uint32_t k = nd; k < n; ++k) insert(op[k]);
        inMask_[i] = liveColours;
      }
      for (uint32_t n : seen_) inLive_[n] = 0;
    }
  }

  /// Constraints of the first step's temps from the masks: a temp loaded
  /// before instruction i meets the colours live before i, one stored after
  /// it those live after it; two temps of one instruction interfere when
  /// both are loaded or both stored. A temp of a move prefers the colour of
  /// the other side.
  void siteConstraints(uint32_t firstNew, uint32_t numNodes) {
    const uint32_t nt = numNodes - firstNew;
    pairs_.clear();
    prefs_.clear();
    busy_.assign(nt, 0);
    for (uint32_t k = 0; k < nt; ++k) {
      const uint32_t i = sites_.instr[k];
      const uint8_t kind = sites_.kind[k];
      if (kind & SpillSites::kUse) busy_[k] |= inMask_[i];
      if (kind & SpillSites::kDef) busy_[k] |= outMask_[i];
      for (uint32_t j = k; j-- > 0 && sites_.instr[j] == i;)
        if ((kind & sites_.kind[j]) != 0) {
          pairs_.push_back({firstNew + k, firstNew + j});
          pairs_.push_back({firstNew + j, firstNew + k});
        }
      if (code_.move[i] && (kind == SpillSites::kUse || kind == SpillSites::kDef)) {
        const uint32_t *op = code_.ops.data() + code_.opStart[i];
        prefs_.push_back({firstNew + k, kind == SpillSites::kUse ? op[0] : op[1]});
      }
    }
    group(pairs_, firstNew, numNodes, nbrStart_, nbr_);
    group(prefs_, firstNew, numNodes, prefStart_, pref_);
  }

  /// Counting sort of (new node, other) pairs into CSR arrays.
  static void group(const std::vector<std::pair<uint32_t, uint32_t>> &pairs, uint32_t firstNew,
                    uint32_t numNodes, std::vector<uint32_t> &start, std::vector<uint32_t> &items) {
    start.assign(numNodes - firstNew + 1, 0);
    for (const auto &[n, o] : pairs) ++start[n - firstNew + 1];
    for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    items.resize(pairs.size());
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (const auto &[n, o] : pairs) items[fill[n - firstNew]++] = o;
  }

  WorkFunction &w_;
  const GlobalLiveness &lv_;
  const Interference &g_;
  const arm::Pool &pool_;
  std::vector<int> &colour_;
  PRegMask poolMask_ = 0, usedCallee_ = 0;
  const FlatCode &code_;
  std::vector<uint32_t> touched_, blocks_, seen_, nbrStart_, nbr_, prefStart_, pref_;
  std::vector<PRegMask> busy_;       ///< per new node: colours of old nodes it interferes with
  std::vector<PRegMask> inMask_, outMask_;  ///< per flat instruction (first step)
  SpillSites sites_;
  std::vector<uint8_t> inLive_, touches_;
  std::vector<std::pair<uint32_t, uint32_t>> pairs_, prefs_;
};

}  // namespace

bool repairColouring(WorkFunction &w, const FlatCode &code, const GlobalLiveness &lv,
                     const Interference &g, const arm::Pool &pool, Colouring &c, AllocStats &stats) {
  Repair r(w, code, lv, g, pool, c);
  std::vector<uint32_t> nodes = r.retryUncoloured();
  if (!nodes.empty()) {
    ++stats.rounds;
    if (!r.step(nodes, stats)) return false;
  }
  c.spilled.clear();
  return true;
}

}  // namespace vcr::alloc
