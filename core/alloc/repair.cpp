// Colour repair after a failed round: keep every colour, spill what must go, colour spill temps locally.
#include "core/alloc/work.h"

#include <algorithm>
#include <tuple>

namespace vcr::alloc {

namespace {

/// The state of one repair: colours, the nodes the current step added and
/// what constrains them.
class Repair {
public:
  Repair(WorkFunction &w, const FlatCode &code, const GlobalLiveness &lv, const Interference &g,
         const ClassRegs &cr, Colouring &c)
      : w_(w), lv_(lv), g_(g), colour_(c.colour), code_(code) {
    poolMask_ = cr.pool;
    caller_ = cr.caller;
    callee_ = cr.callee;
    for (int col : colour_)
      if (col >= 0 && (callee_ >> col & 1)) usedCallee_ |= 1u << col;
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
      // Most of them are the values IRC found every colour taken around:
      // once the neighbours hold the whole pool, the rest are not looked
      // up (the colour loads were most of this loop's time; perf,
      // alloc_bench MIR 10,000).
      PRegMask busy = 0;
      g_.forEachNeighbour(n, [&](uint32_t m) {
        if ((busy & poolMask_) == poolMask_) return;
        if (int col = colour_[m]; col >= 0) busy |= 1u << col;
      });
      PRegMask ok = poolMask_ & ~busy;
      int col = -1;
      g_.forEachMove(n, [&](uint32_t mi) {
        const GraphMove &m = g_.moves[mi];
        int pc = colour_[m.dst == n ? m.src : m.dst];
        if (col < 0 && pc >= 0 && (ok >> pc & 1)) col = pc;
      });
      if (col < 0 && ok) col = pickFreeColour(ok, usedCallee_, caller_);
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
    sites_.code = &code_;
    groupStart_.assign(code_.numDefs.size(), 0);
    sites_.groupStart = &groupStart_;
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
      if (col < 0 && ok) col = pickFreeColour(ok, usedCallee_, caller_);
      // No free colour: split a value that lives through the instruction
      // (store before it, reload before the value's next use) to free its
      // register. Only
      // if none can be, a full round (rebuild and IRC over the rewritten
      // code) decides. Evicting a neighbour over its whole range instead
      // measured worse than the legacy ladder on generated code
      // (acceptance bar, tools/tests/ladder_test.cpp).
      if (col < 0) col = splitAround(k);
      if (col < 0) return false;
      assign(t, col);
    }
    applySplits(stats);
    return true;
  }

private:
  /// A value stored to its slot at position `store` of a rewritten block
  /// and reloaded at position `reload` (before its next use there).
  struct Split {
    uint32_t block, store, reload, value;
  };

  /// Free a register for the boxed-in temp k by splitting the values that
  /// live through its instruction in that register. Returns the colour, or
  /// -1 when no register can be freed that way: the instruction ends its
  /// block (no room for the reload), or every busy colour belongs to a
  /// physical register, an operand of the instruction, a spill temp or a
  /// value the instruction defines.
  int splitAround(uint32_t k) {
    const uint32_t i = sites_.instr[k];
    const uint8_t kind = sites_.kind[k];
    const uint32_t b = static_cast<uint32_t>(
        std::upper_bound(code_.blockStart.begin(), code_.blockStart.end(), i) - code_.blockStart.begin() - 1);
    if (i + 1 == code_.blockStart[b + 1]) return -1;  // a terminator: nowhere to reload
    // The nodes live after instruction i (exact: block-local values never
    // cross a block boundary, global ones are in the live-out set).
    seen_.clear();
    auto insert = [&](uint32_t n) {
      if (!inLive_[n]) {
        inLive_[n] = 1;
        seen_.push_back(n);
      }
    };
    lv_.forEachIn(lv_.liveOut(b), insert);
    for (uint32_t j = code_.blockStart[b + 1]; j-- > i + 1;) {
      const uint32_t *op = code_.ops.data() + code_.opStart[j];
      const uint32_t nd = code_.numDefs[j], n = code_.opStart[j + 1] - code_.opStart[j];
      for (uint32_t q = 0; q < nd; ++q) inLive_[op[q]] = 0;
      for (uint32_t q = nd; q < n; ++q) insert(op[q]);
    }
    const uint32_t *op = code_.ops.data() + code_.opStart[i];
    const uint32_t nd = code_.numDefs[i], n = code_.opStart[i + 1] - code_.opStart[i];
    const bool useSide = kind & SpillSites::kUse, defSide = kind & SpillSites::kDef;
    // Colours no split can free: the temps k meets, the operands of i on
    // k's side (uses before i, defs after it), and every value live on
    // k's side that cannot be split: a physical register, an operand of i
    // or a spill temp. A move's source may share a register with a
    // def-side temp (as in computeMasks), so it constrains only the use side.
    constexpr uint8_t kUseOp = 2, kDefOp = 4;
    PRegMask fixed = tempBusy(k), movable = 0;
    for (uint32_t q = 0; q < n; ++q) {
      const bool def = q < nd;
      inLive_[op[q]] |= def ? kDefOp : kUseOp;
      if (int c = colour_[op[q]]; c >= 0 && (def ? defSide : useSide)) fixed |= 1u << c;
    }
    const uint32_t moveSrc = code_.move[i] ? op[1] : kNoNode;
    for (uint32_t m : seen_) {
      const uint8_t f = inLive_[m];
      const int c = colour_[m];
      if (!(f & 1) || c < 0) continue;      // not live after i, or uncoloured
      if (useSide && !defSide && (f & kDefOp) && !(f & kUseOp)) continue;  // born at i
      if (defSide && !useSide && m == moveSrc) continue;
      const bool through = !(f & (kUseOp | kDefOp));
      const bool splittable = through && m >= kVRegBase && !w_.noSpill[m - kVRegBase];
      (splittable ? movable : fixed) |= 1u << c;
    }
    PRegMask ok = poolMask_ & movable & ~fixed;
    // Of several colours, free the one whose values are cheapest to split:
    // one already split before the same reload costs nothing more (the
    // splits merge, addSplit), one that refills without a slot (a constant,
    // a stack parameter) its refill alone, any other a store and a reload.
    if (ok & (ok - 1)) {
      unsigned best = UINT32_MAX;
      PRegMask cheapest = 0;
      auto splitCost = [&](uint32_t m) -> unsigned {
        const uint32_t reload = reloadAt(m, i, b), v = m - kVRegBase;
        for (const Split &o : splits_)
          if (o.block == b && o.reload == reload && o.value == v) return 0;
        return refillsCheaply(v) ? 1 : 2;
      };
      for (PRegMask left = ok; left; left &= left - 1) {
        const int c = __builtin_ctz(left);
        unsigned cost = 0;
        for (uint32_t m : seen_)
          if (inLive_[m] == 1 && colour_[m] == c) cost += splitCost(m);
        if (cost < best) best = cost, cheapest = 0;
        if (cost == best) cheapest |= 1u << c;
      }
      ok = cheapest;
    }
    int col = ok ? pickFreeColour(ok, usedCallee_, caller_) : -1;
    if (col >= 0) {
      for (uint32_t m : seen_)
        if (inLive_[m] == 1 && colour_[m] == col) addSplit({b, groupStart_[i], reloadAt(m, i, b), m - kVRegBase});
    }
    for (uint32_t m : seen_) inLive_[m] = 0;
    for (uint32_t q = 0; q < n; ++q) inLive_[op[q]] = 0;
    return col;
  }

  /// Whether vreg v (a value of the round, not a temp) is refilled by
  /// repeating its one definition, without a slot (refillsWithoutSlot).
  bool refillsCheaply(mir::VReg v) {
    findDefs();
    if (v >= defs_.size() || defs_[v].count != 1 || w_.noSpill[v]) return false;
    const mir::Instr *def = definition(v);
    return def && refillsWithoutSlot(w_, v, 1, *def);
  }

  /// Per vreg of the round, its definitions, counted from the round's flat
  /// code on first use (a walk of the 120-byte instructions was a fifth of
  /// repairColouring's own time; perf, alloc_bench MIR 10,000). spillNodes
  /// leaves the definitions of a value it does not spill as they were, one
  /// per instruction that defined it.
  void findDefs() {
    if (defs_.empty()) code_.countVRegDefs(g_.numNodes, defs_);
  }

  /// The instruction that defines v once (defs_), in the code as spillNodes
  /// left it, or null if that is not one that defines v alone. A rewritten
  /// block has it at the start of its group (groupStart_): a constant or a
  /// stack parameter load mentions no spilled value, so no reload comes
  /// before it; an instruction with one does (or defines more), and is no
  /// such definition. The pointer holds until applySplits rewrites blocks.
  const mir::Instr *definition(mir::VReg v) const {
    const uint32_t i = defs_[v].instr, b = defs_[v].block;
    const bool rewritten = std::binary_search(blocks_.begin(), blocks_.end(), b);
    const uint32_t pos = rewritten ? groupStart_[i] : code_.position(b, i);
    const std::vector<mir::Instr> &instrs = w_.fn.blocks[b].instrs;
    if (pos >= instrs.size()) return nullptr;
    const mir::Instr &in = instrs[pos];
    return in.defs.size() == 1 && in.defs[0].isVReg() && in.defs[0].value == v ? &in : nullptr;
  }

  /// Where a value split at instruction i of block b is reloaded: at the
  /// start of the group of its next use in the block, else before the
  /// terminator (it is live out). In between its register is free.
  uint32_t reloadAt(uint32_t m, uint32_t i, uint32_t b) const {
    const uint32_t last = code_.blockStart[b + 1] - 1;
    for (uint32_t j = i + 1; j < last; ++j)
      for (uint32_t q = code_.opStart[j] + code_.numDefs[j]; q < code_.opStart[j + 1]; ++q)
        if (code_.ops[q] == m) return groupStart_[j];
    return groupStart_[last];
  }

  /// Record a split; two splits of one value before the same reload share
  /// it (and the earlier store).
  void addSplit(const Split &s) {
    for (Split &o : splits_)
      if (o.block == s.block && o.reload == s.reload && o.value == s.value) {
        o.store = std::min(o.store, s.store);
        return;
      }
    splits_.push_back(s);
  }

  /// Insert the stores and reloads of the splits: one merge per block,
  /// where at one position a reload (the end of a group) comes before a
  /// store (the start of the next).
  void applySplits(AllocStats &stats) {
    struct Event {
      uint32_t block, pos;
      bool store;
      uint32_t value;
    };
    std::vector<Event> ev;
    findRefills();
    for (const Split &s : splits_) {
      // A constant or an incoming stack parameter needs no store: the
      // refill repeats its definition (as spillNodes does).
      if (!refill(s.value)) ev.push_back({s.block, s.store, true, s.value});
      ev.push_back({s.block, s.reload, false, s.value});
      if (!w_.everSpilled[s.value]) ++stats.spilledVRegs;
      w_.everSpilled[s.value] = true;
    }
    std::sort(ev.begin(), ev.end(), [](const Event &a, const Event &b) {
      return std::tie(a.block, a.pos, a.store) < std::tie(b.block, b.pos, b.store);
    });
    for (size_t e = 0; e < ev.size();) {
      auto &instrs = w_.fn.blocks[ev[e].block].instrs;
      std::vector<mir::Instr> &out = w_.scratch;
      out.clear();
      out.reserve(instrs.size() + 2 * splits_.size());
      uint32_t pos = 0;
      const uint32_t block = ev[e].block;
      for (; e < ev.size() && ev[e].block == block; ++e) {
        for (; pos < ev[e].pos; ++pos) out.push_back(std::move(instrs[pos]));
        const mir::Operand v = mir::Operand::vreg(ev[e].value), slot = mir::Operand::stack(ev[e].value);
        if (const mir::Instr *def = refill(ev[e].value); def && !ev[e].store) {
          mir::Instr again = *def;
          again.defs = {v};
          if (isRematDef(again.op)) again.origin = mir::Origin::Remat;
          out.push_back(std::move(again));
          continue;
        }
        out.push_back(ev[e].store ? makeInstr(mir::Opcode::Sts, {slot}, {v}, mir::Origin::Spill)
                                  : makeInstr(mir::Opcode::Lds, {v}, {slot}, mir::Origin::Reload));
      }
      for (; pos < instrs.size(); ++pos) out.push_back(std::move(instrs[pos]));
      std::swap(instrs, out);  // (as in spillNodes: no second move of the block)
    }
    splits_.clear();
  }

  /// Per split value: the definition its refill repeats, or null (a slot).
  struct Refill {
    mir::VReg v;
    const mir::Instr *def;
  };
  std::vector<Refill> refills_;  ///< by value
  std::vector<mir::Instr> refillDefs_;  ///< copies: applySplits moves instructions

  /// Fill `refills_` for the values of `splits_`.
  void findRefills() {
    refills_.clear();
    for (const Split &s : splits_) refills_.push_back({s.value, nullptr});
    std::sort(refills_.begin(), refills_.end(), [](const Refill &a, const Refill &b) { return a.v < b.v; });
    refills_.erase(std::unique(refills_.begin(), refills_.end(), [](const Refill &a, const Refill &b) { return a.v == b.v; }),
                   refills_.end());
    refillDefs_.clear();
    refillDefs_.reserve(refills_.size());  // (no reallocation: the pointers to the copies hold)
    for (Refill &r : refills_)
      if (refillsCheaply(r.v)) r.def = &refillDefs_.emplace_back(*definition(r.v));
  }

  /// The definition a split value's refill repeats, or null (a slot).
  const mir::Instr *refill(mir::VReg v) const {
    auto it = std::lower_bound(refills_.begin(), refills_.end(), v, [](const Refill &r, mir::VReg x) { return r.v < x; });
    return it != refills_.end() && it->v == v ? it->def : nullptr;
  }

  void assign(uint32_t n, int col) {
    colour_[n] = col;
    if (col >= 0 && (callee_ >> col & 1)) usedCallee_ |= 1u << col;
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
  /// Also flags each instruction that mentions them (`touches_`) and
  /// notes the first one of each block (`firstTouch_`, by blocks_).
  /// Sizes `inLive_`, which every user leaves all zero again.
  void blocksOf(const std::vector<uint32_t> &nodes) {
    blocks_.clear();
    firstTouch_.clear();
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
          if (!any) firstTouch_.push_back(i);
          any = true;
          touches_[i] = 1;
        }
      if (any) blocks_.push_back(b);
    }
    for (uint32_t n : nodes) inLive_[n] = 0;
  }

  /// Per instruction of the candidate blocks of the flat code that
  /// mentions a spilled node (`touches_`: only theirs are read, by
  /// siteConstraints): the colours live before it (`inMask_`), and those
  /// live after it, its move source aside, plus those of its defs
  /// (`outMask_`). The others' entries are left as they are, and a block's
  /// walk back from its live-out set stops at its first such instruction.
  void computeMasks() {
    const size_t ni = code_.numDefs.size();
    inMask_.resize(ni);
    outMask_.resize(ni);
    for (size_t k = 0; k < blocks_.size(); ++k) {
      const uint32_t b = blocks_[k];
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
      for (uint32_t i = code_.blockStart[b + 1]; i-- > firstTouch_[k];) {
        const uint32_t *op = code_.ops.data() + code_.opStart[i];
        const uint32_t nd = code_.numDefs[i], n = code_.opStart[i + 1] - code_.opStart[i];
        if (code_.move[i]) erase(op[1]);
        if (touches_[i]) {
          PRegMask defColours = 0;
          for (uint32_t k = 0; k < nd; ++k)
            if (int c = colour_[op[k]]; c >= 0) defColours |= 1u << c;
          outMask_[i] = liveColours | defColours;
        }
        for (uint32_t k = 0; k < nd; ++k) erase(op[k]);
        for (uint32_t k = nd; k < n; ++k) insert(op[k]);
        if (touches_[i]) inMask_[i] = liveColours;
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
  std::vector<int> &colour_;
  PRegMask poolMask_ = 0, usedCallee_ = 0, caller_ = 0, callee_ = 0;
  const FlatCode &code_;
  std::vector<uint32_t> touched_, blocks_, firstTouch_, seen_, nbrStart_, nbr_, prefStart_, pref_;
  std::vector<PRegMask> busy_;       ///< per new node: colours of old nodes it interferes with
  std::vector<PRegMask> inMask_, outMask_;  ///< per flat instruction (first step)
  SpillSites sites_;
  std::vector<Split> splits_;
  std::vector<uint32_t> groupStart_;  ///< see SpillSites::groupStart
  std::vector<uint8_t> inLive_, touches_;
  std::vector<FlatCode::VRegDefs> defs_;  ///< per vreg of the round (findDefs); empty until then
  std::vector<std::pair<uint32_t, uint32_t>> pairs_, prefs_;
};

}  // namespace

bool repairColouring(WorkFunction &w, const FlatCode &code, const GlobalLiveness &lv,
                     const Interference &g, const ClassRegs &cr, Colouring &c, AllocStats &stats) {
  Repair r(w, code, lv, g, cr, c);
  std::vector<uint32_t> nodes = r.retryUncoloured();
  if (!nodes.empty()) {
    ++stats.rounds;
    if (!r.step(nodes, stats)) return false;
  }
  c.spilled.clear();
  return true;
}

}  // namespace vcr::alloc
