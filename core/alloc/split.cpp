// Live-range splitting at calls: a value passed to a call and live after it gets a copy of its own across the call.
//
// A value that is both an argument of a call and live after it needs a
// callee-saved register across the call, and its argument register at the
// call. With one register per value, it sits in the callee-saved register
// from its definition on, so a value that arrives in R0 (a parameter, a
// call result) costs a move into R4 and a move back into R0 for the
// argument, where one copy suffices: keep it in R0 up to the call and copy
// it to R4 for the rest. The ILP baseline found that in every such function
// (docs/experiments.md, experiment 1).
//
// The pass inserts `mov v, v` between the argument moves and the call for
// each such value whose definition is a move from the very register the
// argument takes (a parameter passed on in its own register, a call result
// passed in R0), with nothing writing that register in between: there the
// split surely saves a move, where in general it measured worse (a copy
// coalescing could not remove). splitWebs then makes the copy's definition a web of its
// own wherever the two definitions reach different uses, which is a split
// of the live range at the call. Where both reach one use (a join), the two
// stay one web and the copy is a self-move, which costs nothing. Coalescing
// decides the rest: it merges the two parts again when that is safe, so the
// split costs a move only where the parts need different registers, and
// then saves at least the one it costs.
#include "core/alloc/work.h"

#include <algorithm>
#include <span>
#include <tuple>

namespace vcr::alloc {

namespace {

/// Whether v's definition before position `use` of the block is a move
/// from physical register r (a parameter or a call result arriving in r),
/// with nothing between writing r: then v can stay in r up to `use`.
bool arrivesIn(const std::vector<mir::Instr> &is, size_t use, mir::VReg v, mir::PReg r) {
  for (size_t j = use; j-- > 0;) {
    const mir::Instr &i = is[j];
    for (const mir::Operand &d : i.defs) {
      if (d.isVReg() && d.value == v)
        return i.op == mir::Opcode::Mov && i.uses[0].isPReg() && i.uses[0].preg() == r;
      if (d.isPReg() && d.preg() == r) return false;
    }
    if (mir::isCall(i.op)) return false;
  }
  return false;
}

/// Calls fn(j, v) for each argument move `mov r, v` at position j of the
/// marshalling just before the call at position k of `is`: inserted moves
/// into registers and stores of outgoing stack words.
template <class F> void forEachArgMove(const std::vector<mir::Instr> &is, size_t k, F &&fn) {
  for (size_t j = k; j-- > 0;) {
    const mir::Instr &a = is[j];
    const bool marshal = a.inserted() && ((a.op == mir::Opcode::Mov && a.defs[0].isPReg()) ||
                                          (a.op == mir::Opcode::MovI && a.defs[0].isPReg()) ||
                                          (a.op == mir::Opcode::Sts && a.origin == mir::Origin::OutArg));
    if (!marshal) break;
    if (a.op == mir::Opcode::Mov && a.uses[0].isVReg()) fn(j, a.uses[0].value);
  }
}

/// Per vreg, where a move from a physical register defines it (the only
/// definition arrivesIn says yes to): its block, or one of these.
constexpr uint32_t kNoMoveIn = UINT32_MAX, kMovesInSeveral = UINT32_MAX - 1;

/// splitAtCalls' candidates: arguments that arrive in their own register
/// (`cand`, per vreg), and the blocks of their calls (`blocks`). With
/// `movedIn` (per vreg, as above), an argument with no such definition in
/// the call's block is not looked at further (most are not).
void callCandidates(const WorkFunction &w, std::vector<uint8_t> &cand, std::vector<uint32_t> &blocks,
                    const std::vector<uint32_t> *movedIn = nullptr) {
  const uint32_t n = w.numVRegs;
  cand.assign(n, 0);
  blocks.clear();
  for (const uint32_t bi : w.callBlocks) {
    const mir::Block &b = w.fn.blocks[bi];
    for (size_t k = 0; k < b.instrs.size(); ++k)
      if (mir::isCall(b.instrs[k].op))
        forEachArgMove(b.instrs, k, [&](size_t j, mir::VReg v) {
          const bool blockKnown = !blocks.empty() && blocks.back() == bi;
          if (v >= n || (blockKnown && cand[v])) return;
          if (movedIn && (*movedIn)[v] != bi && (*movedIn)[v] != kMovesInSeveral) return;
          if (!arrivesIn(b.instrs, j, v, b.instrs[j].defs[0].preg())) return;
          cand[v] = 1;
          if (!blockKnown) blocks.push_back(static_cast<uint32_t>(bi));
        });
  }
}

/// The copies between two vregs in loop blocks (splitAtLoopExits looks at
/// no other instruction of a loop).
void loopCopiesOf(const WorkFunction &w, const mir::Cfg &cfg, std::vector<PrePassLiveness::LoopCopy> &out) {
  const uint32_t n = w.numVRegs;
  out.clear();
  for (mir::BlockId b = 0; b < w.fn.blocks.size(); ++b) {
    if (b >= cfg.loopDepth.size() || cfg.loopDepth[b] == 0) continue;
    for (const mir::Instr &i : w.fn.blocks[b].instrs)
      if (i.op == mir::Opcode::Mov && i.defs.size() == 1 && i.defs[0].isVReg() && i.defs[0].value < n &&
          i.uses[0].isVReg() && i.uses[0].value < n && i.uses[0].value != i.defs[0].value)
        out.push_back({b, i.defs[0].value, i.uses[0].value});
  }
}

bool anyLoop(const mir::Cfg &cfg) {
  return std::find(cfg.loopHeader.begin(), cfg.loopHeader.end(), true) != cfg.loopHeader.end();
}

}  // namespace

void computePrePassLiveness(const WorkFunction &w, const mir::Cfg &cfg, bool callSplits, bool loopExitSplits,
                            bool webs, PrePassLiveness &out) {
  const uint32_t n = w.numVRegs;
  out.inserted.clear();
  out.built = false;
  out.forCalls = callSplits, out.forLoopExits = loopExitSplits, out.forWebs = webs;
  out.defs.assign(n, 0);
  std::vector<uint32_t> movedIn(callSplits ? n : 0, kNoMoveIn);  // (callCandidates' filter, on the way)
  for (uint32_t b = 0; b < w.fn.blocks.size(); ++b)
    for (const mir::Instr &i : w.fn.blocks[b].instrs)
      for (const mir::Operand &d : i.defs)
        if (d.isVReg() && d.value < n) {
          ++out.defs[d.value];
          if (callSplits && i.op == mir::Opcode::Mov && i.uses[0].isPReg()) {
            uint32_t &m = movedIn[d.value];
            m = m == kNoMoveIn || m == b ? b : kMovesInSeveral;
          }
        }
  if (callSplits) callCandidates(w, out.callCand, out.callCandBlocks, &movedIn);
  else out.callCand.assign(n, 0), out.callCandBlocks.clear();
  out.loopCopies.clear();
  if (loopExitSplits && anyLoop(cfg)) loopCopiesOf(w, cfg, out.loopCopies);
  std::vector<uint8_t> pick(n, 0);
  bool any = false;
  for (uint32_t v = 0; v < n; ++v) {
    pick[v] = (webs && out.defs[v] > 1) || out.callCand[v];
    any |= pick[v] != 0;
  }
  for (const auto &c : out.loopCopies) pick[c.v] = 1, any = true;
  if (!any) return;  // no pass will ask
  out.lv = GlobalLiveness::computeSome(w.fn, cfg, pick, &out.flat);
  out.built = true;
}

unsigned splitAtCalls(WorkFunction &w, const mir::Cfg &cfg, PrePassLiveness *pre) {
  const uint32_t n = w.numVRegs;
  // (The shared liveness is read only if it was built for this pass; the
  // copies are recorded in it whenever it is given.)
  const bool shared = pre && pre->forCalls;
  // The candidates: arguments that arrive in their own register. Only
  // their liveness is needed (none at all without one).
  std::vector<uint8_t> ownCand;
  std::vector<uint32_t> ownBlocks;
  if (!shared) callCandidates(w, ownCand, ownBlocks);
  const std::vector<uint8_t> &cand = shared ? pre->callCand : ownCand;
  // The blocks with a candidate's call: the only ones walked below.
  const std::vector<uint32_t> &candBlocks = shared ? pre->callCandBlocks : ownBlocks;
  if (candBlocks.empty()) return 0;
  GlobalLiveness ownLive;
  if (!shared) ownLive = GlobalLiveness::computeSome(w.fn, cfg, cand);
  const GlobalLiveness &lv = shared ? pre->lv : ownLive;
  std::vector<uint8_t> live(n, 0);
  std::vector<uint32_t> touched;
  unsigned copies = 0;
  for (uint32_t b : candBlocks) {
    auto &is = w.fn.blocks[b].instrs;
    // Backwards: `live` is what is live after instruction k, over the
    // candidates (every value the test below can ask about is one: the
    // same test picked them).
    lv.forEachIn(lv.liveOut(b), [&](uint32_t v) {
      if (v < n && !live[v]) live[v] = 1, touched.push_back(v);
    });
    std::vector<std::pair<size_t, mir::VReg>> at;  // (call position, value) to copy before the call
    for (size_t k = is.size(); k-- > 0;) {
      const mir::Instr &i = is[k];
      if (mir::isCall(i.op))
        forEachArgMove(is, k, [&](size_t j, mir::VReg v) {
          if (v < n && live[v] && arrivesIn(is, j, v, is[j].defs[0].preg()) &&
              std::none_of(at.begin(), at.end(), [&](auto &p) { return p.first == k && p.second == v; }))
            at.push_back({k, v});
        });
      for (const mir::Operand &d : i.defs)
        if (d.isVReg() && d.value < n) live[d.value] = 0;
      for (const mir::Operand &u : i.uses)
        if (u.isVReg() && u.value < n && cand[u.value] && !live[u.value]) live[u.value] = 1, touched.push_back(u.value);
    }
    for (uint32_t v : touched) live[v] = 0;
    touched.clear();
    if (at.empty()) continue;
    // Insert from the back so that earlier positions stay valid.
    std::sort(at.begin(), at.end(), [](auto &x, auto &y) { return x.first > y.first; });
    for (auto [pos, v] : at) {
      is.insert(is.begin() + static_cast<long>(pos),
                makeInstr(mir::Opcode::Mov, {mir::Operand::vreg(v)}, {mir::Operand::vreg(v)}, mir::Origin::Move));
      ++copies;
    }
    // The code before this pass had no copy: `pos` is a position in it. Of
    // two copies at one position the later inserted stands first, so the
    // code order is `at` backwards.
    if (pre)
      for (auto it = at.rbegin(); it != at.rend(); ++it) {
        ++pre->defs[it->second];
        pre->inserted.push_back({b, static_cast<uint32_t>(it->first), it->second});
      }
  }
  return copies;
}

}  // namespace vcr::alloc

namespace vcr::alloc {

unsigned spillArgumentOnlyStackParams(WorkFunction &w, const mir::Cfg &cfg, AllocStats &stats) {
  const uint32_t n = w.numVRegs;
  if (w.inArgsWritten || w.fn.blocks.empty()) return 0;  // (a stack result may overwrite the incoming slot)
  // Stack parameters are loaded in the entry block (lowerAbi): without
  // such a load, nothing to do and no pass over the function.
  const auto &entry = w.fn.blocks[0].instrs;
  if (std::none_of(entry.begin(), entry.end(), [](const mir::Instr &i) {
        return i.op == mir::Opcode::Lds && i.origin == mir::Origin::InArg;
      }))
    return 0;
  // Candidates: one definition, the load from the incoming area, and every
  // use an argument move into a register. Only the vregs of the entry
  // block's loads can be one, so the walk keeps counts for those few, not
  // four arrays over every vreg written at every operand (20 instructions
  // executed per input instruction at mir 10000, callgrind).
  struct Param {
    mir::VReg v;
    uint32_t defs = 0;
    bool lastDefLoads = false, used = false, otherUse = false;
  };
  std::vector<Param> params;
  std::vector<uint8_t> isParam(n, 0);
  for (const mir::Instr &i : entry)
    if (i.op == mir::Opcode::Lds && i.origin == mir::Origin::InArg)
      for (const mir::Operand &d : i.defs)
        if (d.isVReg() && d.value < n && !isParam[d.value]) isParam[d.value] = 1, params.push_back({d.value});
  auto param = [&](mir::VReg v) -> Param & {
    return *std::find_if(params.begin(), params.end(), [v](const Param &p) { return p.v == v; });
  };
  for (const mir::Block &b : w.fn.blocks)
    for (const mir::Instr &i : b.instrs) {
      for (const mir::Operand &d : i.defs)
        if (d.isVReg() && d.value < n && isParam[d.value]) {
          Param &p = param(d.value);
          ++p.defs;
          p.lastDefLoads = i.op == mir::Opcode::Lds && i.origin == mir::Origin::InArg;
        }
      for (const mir::Operand &u : i.uses)
        if (u.isVReg() && u.value < n && isParam[u.value]) {
          Param &p = param(u.value);
          p.used = true;
          p.otherUse |= !(i.inserted() && i.op == mir::Opcode::Mov && i.defs[0].isPReg());  // not an argument move
        }
    }
  // A stack parameter nothing reads (over webs: its one definition reaches
  // no use) is not loaded at all: the load would cost an instruction per
  // call for nothing.
  auto &entryCode = w.fn.blocks[0].instrs;
  entryCode.erase(std::remove_if(entryCode.begin(), entryCode.end(),
                                 [&](const mir::Instr &i) {
                                   if (i.op != mir::Opcode::Lds || i.origin != mir::Origin::InArg ||
                                       i.defs.size() != 1 || !i.defs[0].isVReg() || i.defs[0].value >= n)
                                     return false;
                                   const Param &p = param(i.defs[0].value);
                                   return p.defs == 1 && !p.used;
                                 }),
                  entryCode.end());
  if (!w.hasCalls) return 0;  // (lowerAbi sets it for every call, and no pass inserts one)
  std::vector<uint8_t> cand(n, 0);
  bool any = false;  // most functions have no candidate, and need no liveness
  for (const Param &p : params)
    if (p.defs == 1 && p.lastDefLoads && !p.otherUse) cand[p.v] = 1, any = true;
  if (!any) return 0;
  // Live across a call (the candidates' liveness is all that is asked).
  const GlobalLiveness lv = GlobalLiveness::computeSome(w.fn, cfg, cand);
  std::vector<uint8_t> live(n, 0), across(n, 0);
  std::vector<uint32_t> touched;
  for (size_t b = 0; b < w.fn.blocks.size(); ++b) {
    lv.forEachIn(lv.liveOut(b), [&](uint32_t v) {
      if (v < n && !live[v]) live[v] = 1, touched.push_back(v);
    });
    const auto &is = w.fn.blocks[b].instrs;
    for (size_t k = is.size(); k-- > 0;) {
      const mir::Instr &i = is[k];
      for (const mir::Operand &d : i.defs)
        if (d.isVReg() && d.value < n) live[d.value] = 0;
      if (mir::isCall(i.op))
        for (uint32_t v : touched)
          if (live[v]) across[v] = 1;
      for (const mir::Operand &u : i.uses)
        if (u.isVReg() && u.value < n && cand[u.value] && !live[u.value]) live[u.value] = 1, touched.push_back(u.value);
    }
    for (uint32_t v : touched) live[v] = 0;
    touched.clear();
  }
  std::vector<uint32_t> nodes;
  for (uint32_t v = 0; v < n; ++v)
    if (cand[v] && across[v]) nodes.push_back(kVRegBase + v);
  if (!nodes.empty()) spillNodes(w, nodes, stats);
  return static_cast<unsigned>(nodes.size());
}

}  // namespace vcr::alloc

namespace vcr::alloc {

namespace {

/// Appends the blocks of the natural loop of header h to `blocks`: h and
/// every block that reaches one of its back edges' tails without passing
/// h. Marks them with `epoch` in `stamp`.
void naturalLoop(const mir::Cfg &cfg, mir::BlockId h, std::vector<uint32_t> &stamp, uint32_t epoch,
                 std::vector<mir::BlockId> &blocks) {
  const size_t first = blocks.size();
  blocks.push_back(h);
  stamp[h] = epoch;
  for (mir::BlockId t : cfg.preds[h])
    if (stamp[t] != epoch && cfg.dominates(h, t)) stamp[t] = epoch, blocks.push_back(t);
  for (size_t k = first + 1; k < blocks.size(); ++k)
    for (mir::BlockId p : cfg.preds[blocks[k]])
      if (stamp[p] != epoch && p < cfg.reachable.size() && cfg.reachable[p]) stamp[p] = epoch, blocks.push_back(p);
}

}  // namespace

unsigned splitAtLoopExits(WorkFunction &w, const mir::Cfg &cfg, PrePassLiveness *pre) {
  const uint32_t n = w.numVRegs;
  const bool shared = pre && pre->forLoopExits;  // (as in splitAtCalls)
  const size_t nb = w.fn.blocks.size();
  if (!anyLoop(cfg)) return 0;
  // Per loop: its blocks and exits (blocks outside it with one
  // predecessor, in it), and the values it defines exactly once, by a copy
  // of a vreg it never defines (an invariant): each may leave by an exit.
  // (A function has a loop per few blocks: the loops' blocks and exits
  // are ranges of two shared lists, not two lists per loop.)
  std::vector<mir::BlockId> loopBlocks, loopExits;
  struct Loop {
    mir::BlockId header;
    uint32_t blocksBegin, blocksEnd, exitsBegin, exitsEnd;  // in loopBlocks, loopExits
  };
  auto blocksOf = [&](const Loop &l) {
    return std::span<const mir::BlockId>(loopBlocks.data() + l.blocksBegin, l.blocksEnd - l.blocksBegin);
  };
  auto exitsOf = [&](const Loop &l) {
    return std::span<const mir::BlockId>(loopExits.data() + l.exitsBegin, l.exitsEnd - l.exitsBegin);
  };
  struct Site {
    uint32_t loop;
    mir::VReg v;
  };
  std::vector<Loop> loops;
  std::vector<Site> sites;
  std::vector<uint8_t> cand(n, 0);
  std::vector<uint32_t> stamp(nb, 0);
  uint32_t epoch = 0;
  // One pass over the code: the copies (mov v, u between two vregs) in
  // loops. A loop then looks at its copies only, not at every instruction
  // of its body (nested loops would see each instruction once per
  // enclosing loop). (splitAtCalls' copies are `mov v, v`: the list of the
  // shared liveness is the same after them.)
  using Copy = PrePassLiveness::LoopCopy;
  std::vector<Copy> ownCopies;
  if (!shared) loopCopiesOf(w, cfg, ownCopies);
  const std::vector<Copy> &loopCopies = shared ? pre->loopCopies : ownCopies;
  if (loopCopies.empty()) return 0;
  // The blocks defining each vreg a loop copy mentions (CSR by vreg, in
  // block order): a second pass, made only when there is a loop copy.
  std::vector<uint8_t> asked(n, 0);
  for (const Copy &c : loopCopies) asked[c.v] = asked[c.u] = 1;
  // (One walk over the code collects the (vreg, block) pairs; the
  // grouping then works on those, not on the instructions again.)
  // Only the blocks of some loop: defsInLoop counts definitions in a
  // loop's blocks, and every block of a natural loop has a loop depth.
  std::vector<std::pair<mir::VReg, mir::BlockId>> defPairs;
  for (mir::BlockId b = 0; b < nb; ++b)
    if (b < cfg.loopDepth.size() && cfg.loopDepth[b] > 0)
      for (const mir::Instr &i : w.fn.blocks[b].instrs)
        for (const mir::Operand &d : i.defs)
          if (d.isVReg() && d.value < n && asked[d.value]) defPairs.push_back({d.value, b});
  std::vector<uint32_t> defStart(n + 1, 0), defBlock(defPairs.size());
  for (const auto &pr : defPairs) ++defStart[pr.first + 1];
  for (uint32_t v = 0; v < n; ++v) defStart[v + 1] += defStart[v];
  {
    std::vector<uint32_t> fill(defStart.begin(), defStart.end() - 1);
    for (const auto &[v, b] : defPairs) defBlock[fill[v]++] = b;
  }
  std::vector<uint32_t> copyStart(nb + 1, 0);  // loopCopies grouped by block (CSR)
  for (const Copy &c : loopCopies) ++copyStart[c.block + 1];
  for (size_t b = 0; b < nb; ++b) copyStart[b + 1] += copyStart[b];
  auto defsInLoop = [&](mir::VReg v) {
    unsigned k = 0;
    for (uint32_t j = defStart[v]; j < defStart[v + 1]; ++j) k += stamp[defBlock[j]] == epoch;
    return k;
  };
  for (mir::BlockId h = 0; h < nb && h < cfg.loopHeader.size(); ++h) {
    if (!cfg.loopHeader[h]) continue;
    Loop loop{h, static_cast<uint32_t>(loopBlocks.size()), 0, static_cast<uint32_t>(loopExits.size()), 0};
    naturalLoop(cfg, h, stamp, ++epoch, loopBlocks);
    loop.blocksEnd = static_cast<uint32_t>(loopBlocks.size());
    for (mir::BlockId b : blocksOf(loop))
      for (mir::BlockId t : cfg.succs[b])
        if (stamp[t] != epoch && cfg.preds[t].size() == 1) loopExits.push_back(t);
    loop.exitsEnd = static_cast<uint32_t>(loopExits.size());
    if (loop.exitsBegin == loop.exitsEnd) {
      loopBlocks.resize(loop.blocksBegin);  // (a loop without an exit is not kept)
      continue;
    }
    for (mir::BlockId b : blocksOf(loop))
      for (uint32_t k = copyStart[b]; k < copyStart[b + 1]; ++k) {
        const Copy &c = loopCopies[k];
        if (defsInLoop(c.v) == 1 && defsInLoop(c.u) == 0)  // one definition in the loop, the copy
          sites.push_back({static_cast<uint32_t>(loops.size()), c.v}), cand[c.v] = 1;
      }
    loops.push_back(loop);
  }
  if (sites.empty()) return 0;
  // Only where the value is live out by an exit and not carried around the
  // loop (live into its header).
  // (The shared liveness covers every loop copy's target.)
  GlobalLiveness ownLive;
  if (!shared) ownLive = GlobalLiveness::computeSome(w.fn, cfg, cand);
  const GlobalLiveness &lv = shared ? pre->lv : ownLive;
  auto liveIn = [&](mir::BlockId b, mir::VReg v) {
    const uint32_t c = lv.compact[v];
    return c != kNoNode && testBit(lv.liveIn(b), c);
  };
  // A split pays only where the value after the loop is joined with
  // another definition of the vreg (a path that bypasses the loop): then
  // one web holds both, and the copy in the loop cannot coalesce with its
  // invariant when the other definition interferes with it. Without a join
  // the loop's definition is a web of its own already, and the split would
  // only add a copy. A join shows as a block outside the loop, not
  // dominated by an exit where the value is live, into which it is live.
  std::vector<std::pair<mir::BlockId, mir::VReg>> copies;  // (exit, value)
  std::vector<mir::BlockId> exits;
  for (const Site &s : sites) {
    const Loop &loop = loops[s.loop];
    exits.clear();
    for (mir::BlockId e : exitsOf(loop))
      if (liveIn(e, s.v)) exits.push_back(e);
    if (exits.empty() || liveIn(loop.header, s.v)) continue;
    ++epoch;
    for (mir::BlockId b : blocksOf(loop)) stamp[b] = epoch;
    bool joined = false;
    for (mir::BlockId b = 0; b < nb && !joined; ++b)
      joined = stamp[b] != epoch && liveIn(b, s.v) &&
               std::none_of(exits.begin(), exits.end(), [&](mir::BlockId e) { return cfg.dominates(e, b); });
    if (joined)
      for (mir::BlockId e : exits) copies.push_back({e, s.v});
  }
  std::sort(copies.begin(), copies.end());
  copies.erase(std::unique(copies.begin(), copies.end()), copies.end());
  for (auto [exit, v] : copies) {
    auto &is = w.fn.blocks[exit].instrs;
    is.insert(is.begin(), makeInstr(mir::Opcode::Mov, {mir::Operand::vreg(v)}, {mir::Operand::vreg(v)},
                                    mir::Origin::Move));
  }
  // Each copy stands before the block's first instruction of the code
  // before any split (splitAtCalls' copies stand before calls, after their
  // argument moves); of one block's, the later inserted first.
  if (pre)
    for (auto it = copies.rbegin(); it != copies.rend(); ++it) {
      ++pre->defs[it->second];
      pre->inserted.push_back({it->first, 0, it->second});
    }
  return static_cast<unsigned>(copies.size());
}

}  // namespace vcr::alloc
