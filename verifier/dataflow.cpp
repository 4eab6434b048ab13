// The forward location dataflow over the allocated code (sets of held values per location).
#include "verifier/dataflow.h"

#include "core/ir/classes.h"
#include "verifier/abi.h"

#include <algorithm>
#include <array>
#include <span>

namespace vcr::verifier {

using namespace mir;

std::string Dataflow::valueName(uint32_t id) const {
  if (isHalf(id)) return "v" + std::to_string(vregOf(id)) + ((id - numVRegs - kNumPseudo) % 2 ? ".hi" : ".lo");
  if (!isPseudo(id)) return "v" + std::to_string(id);
  return "entry." + locName(pseudoLoc(id - numVRegs));
}

bool vfpInvolved(const Function &original, const Function &allocated, const Module &module) {
  auto vfpSig = [](const Signature *sig) {
    if (!sig) return false;
    for (const auto *ts : {&sig->params, &sig->results})
      for (ValType t : *ts)
        if (isVfpType(t)) return true;
    return false;
  };
  if (usesVfp(original) || usesVfp(allocated) || vfpSig(&original.sig)) return true;
  for (const Block &b : original.blocks)
    for (const Instr &in : b.instrs)
      if (isCall(in.op) && vfpSig(module.callSig(in))) return true;
  return false;
}

std::string locName(unsigned loc) {
  if (loc < kNumPRegs) return std::string(pregName(PReg(loc)));
  return "s" + std::to_string(loc - kNumPRegs);
}


std::string frameName(int32_t offset) {
  return offset < 0 ? "[entry" + std::to_string(offset) + "]"
                    : "[entry+" + std::to_string(offset) + "]";
}

namespace {

void erase(ValSet &s, uint32_t v) { s.erase(v); }
void insert(ValSet &s, uint32_t v) { s.insert(v); }
ValSet intersect(const ValSet &a, const ValSet &b) { return ValSet::intersect(a, b); }

/// The transfer function and its context.
struct Walker {
  const Function &orig, &alloc;
  const Module &mod;
  const Pairing &p;
  const Liveness &live;
  Dataflow &df;
  // c -> the vregs always equal to c that matter in the block being walked:
  // those its original instructions use and those live out of it. (Any
  // other constant vreg could only sit in a set until the exit prunes it.)
  std::vector<std::pair<uint32_t, uint32_t>> constVregs;  // (c, vreg), sorted
  std::vector<FrameIssue> *sink = nullptr;  // issues of the block being walked
  uint32_t block = 0;
  int32_t instr = 0;
  uint32_t stackLimit = 0;  // bytes of stack one frame may use
  std::vector<char> marked = {};  // by vreg, scratch of prune() (all 0 between calls)
  // A filter of the values some location of the walked state may hold (bit
  // v % 256; recomputed at each block entry, only ever added to during the
  // walk): a def whose bit is clear is held nowhere, so kill() has nothing
  // to scan. A wrong filter could only leave a stale claim behind, which the
  // block's exit obligation would then refute; it never makes one proved.
  std::array<uint64_t, 4> mayHold{};

  void note(uint32_t v) { mayHold[(v >> 6) & 3] |= uint64_t(1) << (v & 63); }
  void note(const ValSet &set) {
    for (uint32_t v : set) note(v);
  }
  [[nodiscard]] bool mayBeHeld(uint32_t v) const { return (mayHold[(v >> 6) & 3] >> (v & 63)) & 1; }
  void refilter(const LocState &s) {
    mayHold = {};
    for (const ValSet &r : regsOf(s)) note(r);
    for (const auto &[o, set] : s.frame) note(set);
  }

  /// The register locations in use (Dataflow::numLocs).
  std::span<ValSet> regsOf(LocState &s) const { return {s.regs.data(), df.numLocs()}; }
  std::span<const ValSet> regsOf(const LocState &s) const { return {s.regs.data(), df.numLocs()}; }

  void issue(const std::string &what) {
    if (sink) sink->push_back({block, instr, what});
  }

  /// Whether moving SP by `delta` keeps the frame within the stack limit
  /// (an issue otherwise: the code would need more stack than the target
  /// promises, and SP is left where it was).
  bool lowerSp(const LocState &s, int64_t delta) {
    const int64_t to = int64_t(s.sp) + delta;
    if (to >= -int64_t(stackLimit)) return true;
    issue("the frame needs " + std::to_string(-to) + " bytes of stack, over the limit of " +
          std::to_string(stackLimit) + " bytes (--stack-limit)");
    return false;
  }

  /// Entry-relative offset of [sp+N], checking alignment and bounds.
  int32_t slot(const LocState &s, uint32_t n, bool write) {
    const int64_t o = int64_t(s.sp) + int64_t(static_cast<int32_t>(n));
    if (n % 4 != 0 || s.sp % 4 != 0)
      issue("stack access [sp+" + std::to_string(n) + "] is not word-aligned");
    if (static_cast<int32_t>(n) < 0)
      issue("stack access [sp+" + std::to_string(n) + "] is below SP");
    if (o >= int64_t(df.inArgBytes))
      issue(std::string(write ? "store to " : "load from ") + frameName(static_cast<int32_t>(o)) +
            ", outside the frame (the caller's stack)");
    return static_cast<int32_t>(o);
  }

  /// Word w (0 or 1) of operand o: a register location or a frame word.
  ValSet get(const LocState &s, const Operand &o, unsigned w = 0) {
    if (o.isStack()) {
      auto it = s.frame.find(slot(s, o.value + 4 * w, false));
      return it == s.frame.end() ? ValSet{} : it->second;
    }
    const Locs l = regLocs(o);
    return w < l.size() ? s.regs[l[w]] : ValSet{};
  }
  void set(LocState &s, const Operand &o, ValSet v, unsigned w = 0) {
    note(v);
    if (o.isStack()) {
      s.frame[slot(s, o.value + 4 * w, true)] = std::move(v);
      return;
    }
    const Locs l = regLocs(o);
    if (w < l.size()) s.regs[l[w]] = std::move(v);
  }
  /// Words of a value of vreg v: 2 for an f64, else 1.
  unsigned wordsOf(uint32_t v) const { return df.isF64(v) ? 2 : 1; }
  /// The value id word w of vreg v is held as.
  uint32_t idOf(uint32_t v, unsigned w) const { return df.isF64(v) ? df.half(v, w) : v; }
  /// Words an allocated register-side operand moves: 2 for a D register.
  static unsigned opWords(const Operand &o) { return o.isDReg() ? 2 : 1; }
  void kill(LocState &s, uint32_t v) {
    for (unsigned w = 0; w < wordsOf(v); ++w) killId(s, idOf(v, w));
  }
  void killId(LocState &s, uint32_t v) {
    if (!mayBeHeld(v)) return;
    for (ValSet &r : regsOf(s)) erase(r, v);
    for (auto &[o, set] : s.frame) erase(set, v);
  }
  /// Every location (register or frame word) whose value set contains v.
  std::vector<ValSet *> holdersOf(LocState &s, uint32_t v) {
    std::vector<ValSet *> h;
    for (ValSet &r : regsOf(s))
      if (std::binary_search(r.begin(), r.end(), v)) h.push_back(&r);
    for (auto &[o, set] : s.frame)
      if (std::binary_search(set.begin(), set.end(), v)) h.push_back(&set);
    return h;
  }
  void dropBelowSp(LocState &s) {
    s.frame.erase(s.frame.begin(), s.frame.lower_bound(s.sp));
  }
  ValSet consts(uint32_t c) {
    ValSet r;
    auto it = std::lower_bound(constVregs.begin(), constVregs.end(), std::pair<uint32_t, uint32_t>{c, 0});
    for (; it != constVregs.end() && it->first == c; ++it) r.insert(it->second);
    return r;
  }

  void original(LocState &s, const Instr &a, const Instr &v) {
    if (v.op == Opcode::Param) {
      if (s.sp != 0) issue("`param` is not at the entry SP");
      auto homes = abi::paramHomes(orig.sig);
      for (const Operand &d : v.defs)
        if (d.isVReg()) kill(s, d.value);
      for (size_t k = 0; k < v.defs.size() && k < homes.size(); ++k)
        if (v.defs[k].isVReg())
          for (unsigned w = 0; w < wordsOf(v.defs[k].value); ++w)
            set(s, abi::homeOperand(homes[k]), {idOf(v.defs[k].value, w)}, w);
      return;
    }
    if (mir::isCall(v.op)) {
      const Signature *sig = mod.callSig(v);
      const uint32_t argBytes = sig ? abi::areaBytes(*sig) : 0;
      for (unsigned r = 0; r < kNumPRegs; ++r)
        if (abi::has(abi::kCallerSaved, static_cast<PReg>(r))) s.regs[r].clear();
      for (unsigned r = 0; r < kNumSRegs; ++r)
        if ((abi::kVfpCallerSaved >> r) & 1u) s.regs[sLoc(r)].clear();
      dropBelowSp(s);
      s.frame.erase(s.frame.lower_bound(s.sp), s.frame.lower_bound(s.sp + int32_t(argBytes)));
      for (const Operand &d : v.defs)
        if (d.isVReg()) kill(s, d.value);
      auto homes = sig ? abi::resultHomes(*sig) : std::vector<abi::WordHome>{};
      for (size_t k = 0; k < v.defs.size() && k < homes.size(); ++k)
        if (v.defs[k].isVReg())  // a register, or [sp+N] of the outgoing area
          for (unsigned w = 0; w < wordsOf(v.defs[k].value); ++w)
            set(s, abi::homeOperand(homes[k]), {idOf(v.defs[k].value, w)}, w);
      return;
    }
    if (v.op == Opcode::MemGrow) s.regs[unsigned(PReg::R10)].clear();  // it rewrites R10 (then d)
    if (hasF64(v)) return originalF64(s, a, v);
    ValSet extra;
    if (v.op == Opcode::Mov && !a.uses.empty()) extra = get(s, a.uses[0]);
    if (v.op == Opcode::MovI) extra = consts(v.imm);
    // After `mov d, u` every location that held u holds d too, whichever
    // allocated move the greedy pairing chose (a coalesced `mov d, u` may be
    // paired with a self-move that really implements a later `mov e, d`).
    const bool copy = v.op == Opcode::Mov && v.defs.size() == 1 && v.defs[0].isVReg() &&
                      !v.uses.empty() && v.uses[0].isVReg();
    // (d == u: the kill below empties the holders' u, so remember them first)
    std::vector<ValSet *> holders;
    if (copy && v.defs[0].value == v.uses[0].value) holders = holdersOf(s, v.uses[0].value);
    // A copy's target holds d only if its source provably holds u; else the
    // pairing matched the wrong move and the target keeps just the source's values.
    const bool defHeld = !copy || std::binary_search(extra.begin(), extra.end(), v.uses[0].value);
    for (const Operand &d : v.defs)
      if (d.isVReg()) {
        kill(s, d.value);
        erase(extra, d.value);
      }
    if (copy) note(v.defs[0].value);
    if (copy && v.defs[0].value != v.uses[0].value) {  // kill(d) left every holder of u as it was
      for (ValSet &r : regsOf(s))
        if (r.contains(v.uses[0].value)) insert(r, v.defs[0].value);
      for (auto &[o, set] : s.frame)
        if (set.contains(v.uses[0].value)) insert(set, v.defs[0].value);
    }
    for (ValSet *h : holders) insert(*h, v.defs[0].value);
    for (size_t k = 0; k < v.defs.size() && k < a.defs.size(); ++k) {
      if (!v.defs[k].isVReg()) continue;
      ValSet nv = v.defs.size() == 1 ? extra : ValSet{};
      if (defHeld) insert(nv, v.defs[k].value);
      set(s, a.defs[k], std::move(nv));
    }
  }

  /// Every location holding id u holds id d too.
  void alsoHolds(LocState &s, uint32_t u, uint32_t d) {
    note(d);
    for (ValSet &r : regsOf(s))
      if (std::binary_search(r.begin(), r.end(), u)) insert(r, d);
    for (auto &[o, set] : s.frame)
      if (std::binary_search(set.begin(), set.end(), u)) insert(set, d);
  }

  /// Whether an original instruction defines an f64 vreg.
  bool hasF64(const Instr &v) const {
    for (const Operand &d : v.defs)
      if (d.isVReg() && df.isF64(d.value)) return true;
    return false;
  }

  /// An original instruction defining an f64 vreg, word by word: the
  /// allocated def's words hold the halves; after `mov d, u` (f64) every
  /// location holding a half of u holds that half of d, and the target holds
  /// what the source held.
  void originalF64(LocState &s, const Instr &a, const Instr &v) {
    const bool copy = v.op == Opcode::Mov && v.defs.size() == 1 && !v.uses.empty() &&
                      v.uses[0].isVReg() && !a.uses.empty() && !a.defs.empty();
    if (!copy) {
      for (const Operand &d : v.defs)
        if (d.isVReg()) kill(s, d.value);
      for (size_t k = 0; k < v.defs.size() && k < a.defs.size(); ++k)
        if (v.defs[k].isVReg())
          for (unsigned w = 0; w < wordsOf(v.defs[k].value); ++w)
            set(s, a.defs[k], {idOf(v.defs[k].value, w)}, w);
      return;
    }
    const uint32_t d = v.defs[0].value, u = v.uses[0].value;
    std::array<ValSet, 2> extra{get(s, a.uses[0], 0), get(s, a.uses[0], 1)};
    if (d == u) {  // the holders keep u; the target holds what the source held
      for (unsigned w = 0; w < 2; ++w) set(s, a.defs[0], std::move(extra[w]), w);
      return;
    }
    bool defHeld = df.isF64(u);
    for (unsigned w = 0; w < 2 && defHeld; ++w) defHeld = extra[w].contains(idOf(u, w));
    kill(s, d);
    for (unsigned w = 0; w < 2; ++w) {
      erase(extra[w], idOf(d, w));
      if (df.isF64(u)) alsoHolds(s, idOf(u, w), idOf(d, w));
    }
    for (unsigned w = 0; w < 2; ++w) {
      if (defHeld) insert(extra[w], idOf(d, w));
      set(s, a.defs[0], std::move(extra[w]), w);
    }
  }

  /// A pure original instruction the allocator removed: its defs are held
  /// nowhere, except that after `mov d, u` every location holding u holds d.
  void elidedInstr(LocState &s, const Instr &v) {
    if (v.op != Opcode::Mov || !v.uses[0].isVReg()) {
      for (const Operand &d : v.defs) kill(s, d.value);
      return;
    }
    const uint32_t d = v.defs[0].value, u = v.uses[0].value;
    if (d == u) return;
    kill(s, d);
    for (unsigned w = 0; w < wordsOf(d) && wordsOf(d) == wordsOf(u); ++w) alsoHolds(s, idOf(u, w), idOf(d, w));
  }

  void inserted(LocState &s, const Instr &a) {
    switch (a.op) {
    case Opcode::Mov: case Opcode::Lds: case Opcode::Sts: {
      const unsigned n = std::max(opWords(a.defs[0]), opWords(a.uses[0]));
      std::array<ValSet, 2> w;  // read every word before writing any (mov d1, d1)
      for (unsigned k = 0; k < n; ++k) w[k] = get(s, a.uses[0], k);
      for (unsigned k = 0; k < n; ++k) set(s, a.defs[0], std::move(w[k]), k);
      break;
    }
    case Opcode::MovI: set(s, a.defs[0], consts(a.imm)); break;
    case Opcode::FConst32: case Opcode::FConst64:  // rematerialised: the words of the constant
      for (unsigned w = 0; w < a.uses.size() && w < 2; ++w) set(s, a.defs[0], consts(a.uses[w].value), w);
      break;
    case Opcode::Push: {
      std::vector<unsigned> locs;  // the words, lowest address first
      for (const Operand &o : a.uses)
        for (unsigned l : regLocs(o)) locs.push_back(l);
      lowerSp(s, -4 * int64_t(locs.size()));
      const int32_t base = s.sp - 4 * int32_t(locs.size());
      for (size_t i = 0; i < locs.size(); ++i) {
        ValSet held = s.regs[locs[i]];
        note(held);
        s.frame[base + 4 * int32_t(i)] = std::move(held);
      }
      s.sp = base;
      break;
    }
    case Opcode::Pop: {
      std::vector<unsigned> locs;
      for (const Operand &o : a.defs)
        for (unsigned l : regLocs(o)) locs.push_back(l);
      for (size_t i = 0; i < locs.size(); ++i) {
        auto it = s.frame.find(s.sp + 4 * int32_t(i));
        ValSet v = it == s.frame.end() ? ValSet{} : it->second;
        note(v);
        s.regs[locs[i]] = std::move(v);
      }
      s.sp += 4 * int32_t(locs.size());
      if (s.sp > 0) issue("pop raises SP above the entry SP");
      dropBelowSp(s);
      break;
    }
    case Opcode::AdjSp: {
      const int32_t n = static_cast<int32_t>(a.imm);
      if (n % 4 != 0) issue("adjsp by " + std::to_string(n) + " is not a multiple of 4");
      if (!lowerSp(s, n)) break;
      if (int64_t(s.sp) + n > 0) {
        issue("adjsp raises SP above the entry SP");
        break;
      }
      s.sp += n;
      if (s.sp > 0) issue("adjsp raises SP above the entry SP");
      if (n > 0) dropBelowSp(s);
      break;
    }
    default: break;
    }
  }

  /// Keep only pseudo-values and the vregs live at the block entry (`in`) or exit.
  /// Mark the vregs live at the entry (`in`) or exit of block b, so that
  /// keep() tests a held value in O(1); unmark() undoes it (linear in the
  /// live set, not in the function's vregs).
  void mark(uint32_t b, bool in) {
    if (marked.size() < df.numVRegs) marked.assign(df.numVRegs, 0);
    for (uint32_t v : in ? live.liveIn[b] : live.liveOut[b]) marked[v] = 1;
  }
  void unmark(uint32_t b, bool in) {
    for (uint32_t v : in ? live.liveIn[b] : live.liveOut[b]) marked[v] = 0;
  }
  [[nodiscard]] bool keep(uint32_t v) const { return df.isPseudo(v) || marked[df.vregOf(v)]; }

  /// Keep only pseudo-values and the vregs live at the block entry (`in`) or exit.
  void prune(LocState &s, uint32_t b, bool in) {
    mark(b, in);
    auto drop = [&](uint32_t v) { return !keep(v); };
    for (ValSet &r : regsOf(s)) r.removeIf(drop);
    s.frame.removeIf([&](std::pair<int32_t, ValSet> &e) {
      e.second.removeIf(drop);
      return e.second.empty();
    });
    unmark(b, in);
  }

  /// `o` restricted to what prune(_, b, true) keeps, into `m` (whose storage is reused).
  void assignPruned(LocState &m, const LocState &o) {
    m.reached = o.reached;
    m.sp = o.sp;
    auto filtered = [&](ValSet &to, const ValSet &from) {
      to.clear();
      for (uint32_t v : from)
        if (keep(v)) to.pushBackSorted(v);
    };
    for (size_t r = 0; r < df.numLocs(); ++r) filtered(m.regs[r], o.regs[r]);
    m.frame.clear();
    ValSet tmp;
    for (const auto &[off, set] : o.frame) {
      filtered(tmp, set);
      if (!tmp.empty()) m.frame.pushBack(off, tmp);
    }
  }

  void blockConstants(uint32_t b) {
    constVregs.clear();
    auto note = [&](uint32_t v) {
      if (v < p.constOf.size() && p.constOf[v]) constVregs.push_back({uint32_t(*p.constOf[v]), v});
      if (v < p.const64Of.size() && p.const64Of[v])  // an f64 constant, word by word
        for (unsigned w = 0; w < 2; ++w) constVregs.push_back({uint32_t(*p.const64Of[v] >> (32 * w)), df.half(v, w)});
    };
    if (b < p.numOrigBlocks)
      for (const Instr &v : orig.blocks[b].instrs)
        for (const Operand &u : v.uses)
          if (u.isVReg()) note(u.value);
    live.forEachOut(b, note);
    std::sort(constVregs.begin(), constVregs.end());
  }

  /// Walk block b from entry state `s`, leaving its exit state in `s`.
  void runBlock(uint32_t b, LocState &s, std::vector<FrameIssue> &issues) {
    block = b;
    blockConstants(b);
    refilter(s);
    issues.clear();
    sink = &issues;
    const auto &is = alloc.blocks[b].instrs;
    size_t el = 0;
    for (size_t i = 0; i < is.size(); ++i) {
      instr = static_cast<int32_t>(i);
      for (; el < p.elided[b].size() && p.elided[b][el].first == i; ++el)
        elidedInstr(s, orig.blocks[b].instrs[p.elided[b][el].second]);
      const Instr &a = is[i];
      if (const Instr *v = p.origInstr(orig, b, static_cast<uint32_t>(i))) {
        original(s, a, *v);
      } else if (a.inserted()) {
        inserted(s, a);
      }
      for (const Operand &o : a.uses)  // bounds/alignment of stack reads (call args)
        if (o.isStack() && mir::isCall(a.op)) (void)slot(s, o.value, false);
    }
    prune(s, b, false);
  }
};

}  // namespace

/// Reverse post-order of the blocks reachable from block 0 along `succs`
/// (the checker's own, not core/ir's CFG: every block it omits would go
/// unchecked, so it is derived here from the terminators alone).
std::vector<BlockId> reversePostOrder(const std::vector<std::vector<BlockId>> &succs) {
  std::vector<BlockId> post;
  if (succs.empty()) return post;
  std::vector<char> seen(succs.size(), 0);
  std::vector<std::pair<BlockId, size_t>> stack{{0, 0}};
  seen[0] = 1;
  while (!stack.empty()) {
    auto &[b, next] = stack.back();
    if (next < succs[b].size()) {
      const BlockId s = succs[b][next++];
      if (!seen[s]) {
        seen[s] = 1;
        stack.push_back({s, 0});
      }
      continue;
    }
    post.push_back(b);
    stack.pop_back();
  }
  return {post.rbegin(), post.rend()};
}

Dataflow computeDataflow(const Function &original, const Function &allocated,
                         const Module &module, const Pairing &p, const Liveness &live,
                         uint32_t stackLimit) {
  Dataflow df;
  df.numVRegs = live.numVRegs;
  df.vfp = vfpInvolved(original, allocated, module);
  if (df.vfp) {
    df.numPseudo = kNumPseudo;
    df.classes = vregClasses(original, &module);  // else all core
  }
  // the caller's area: stack parameters, and the stack results `ret` writes
  df.inArgBytes = abi::areaBytes(original.sig);
  Walker w{original, allocated, module, p, live, df, {}, nullptr, 0, 0, stackLimit};
  const size_t nb = allocated.blocks.size();
  df.in.assign(nb, {});
  df.out.assign(nb, {});
  LocState entry;
  entry.reached = true;
  // Growable memory: R10 is the memory size, which changes at a grow and a
  // call; the checker states it itself (symexec.cpp), so no value is in it.
  for (uint32_t k = 0; k < df.numPseudo; ++k)
    if (!(module.memoryMax && pseudoLoc(k) == unsigned(PReg::R10))) entry.regs[pseudoLoc(k)] = {df.pseudo(k)};
  std::vector<std::vector<BlockId>> preds(nb);
  auto &succs = df.succs;
  succs.assign(nb, {});
  for (uint32_t b = 0; b < nb; ++b) {
    succs[b] = allocSuccs(allocated, b);
    for (BlockId s : succs[b]) preds[s].push_back(b);
  }
  const std::vector<BlockId> rpo = reversePostOrder(succs);

  // The meet of b's reached predecessors into `m` (whose storage is reused:
  // the fixpoint loop works in two scratch states and copies into df.in/out
  // only what changed, so a visit allocates nothing in the common case).
  auto meet = [&](uint32_t b, bool report, LocState &m) {
    if (b == 0) {
      m = entry;
      return;
    }
    m.reached = false;
    w.mark(b, true);  // the first reached predecessor is copied pruned; the meet only shrinks it
    for (BlockId q : preds[b]) {
      const LocState &o = df.out[q];
      if (!o.reached) continue;
      if (!m.reached) {
        w.assignPruned(m, o);
        continue;
      }
      if (o.sp != m.sp && report)
        df.issues.push_back({b, -1, "SP differs at the join: " + std::to_string(m.sp) +
                                        " from one predecessor, " + std::to_string(o.sp) +
                                        " from bb" + std::to_string(q)});
      for (size_t r = 0; r < df.numLocs(); ++r) m.regs[r] = intersect(m.regs[r], o.regs[r]);
      m.frame.removeIf([&](std::pair<int32_t, ValSet> &e) {
        auto jt = o.frame.find(e.first);
        if (jt == o.frame.end()) return true;
        e.second = intersect(e.second, jt->second);
        return e.second.empty();
      });
    }
    w.unmark(b, true);
  };

  // Each block's issues are those of its last walk, i.e. from its fixpoint entry state.
  std::vector<std::vector<FrameIssue>> blockIssues(nb);
  std::vector<char> dirty(nb, 1);  // a predecessor's exit changed since the last visit
  LocState state;
  for (bool changed = true; changed;) {
    changed = false;
    for (BlockId b : rpo) {
      if (!dirty[b]) continue;
      dirty[b] = 0;
      meet(b, false, state);
      if (!state.reached) continue;
      if (state == df.in[b] && df.out[b].reached) continue;
      df.in[b] = state;
      w.runBlock(b, state, blockIssues[b]);
      if (!(state == df.out[b])) {
        df.out[b] = state;
        changed = true;
        for (BlockId s : succs[b]) dirty[s] = 1;
      }
    }
  }
  // Report in block order: the join's issues, then the block's.
  for (BlockId b : rpo) {
    if (!df.in[b].reached) continue;
    if (preds[b].size() > 1) meet(b, true, state);
    for (FrameIssue &fi : blockIssues[b]) df.issues.push_back(std::move(fi));
  }
  return df;
}

}  // namespace vcr::verifier
