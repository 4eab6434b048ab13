// Side-by-side symbolic execution of an original block and its allocated block.
#include "verifier/symexec.h"

#include "core/ir/text.h"
#include "verifier/abi.h"
#include "verifier/float_sem.h"
#include "verifier/semantics.h"
#include "verifier/symexec_tables.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <span>
#include <tuple>

namespace vcr::verifier {

using namespace mir;
using smt::Term;
using B = smt::Context::BinOp;
using P = smt::Context::Pred;

namespace {

/// An observable event of one side: a memory access, a trap check.
struct Event {
  std::string label;
  Term term;  ///< the observed value
};

/// Linear memory, globals and the event log of one side.
struct World {
  Term mem, glob;
  Term size;  ///< growable memory, vreg side: the size in bytes (the allocated side's is R10)
  std::vector<Event> events;
};

using detail::NameCounts;
using detail::VRegTerms;

std::string ops(const mir::OperandList &os) {
  std::string s;
  for (const Operand &o : os) s += (s.empty() ? "" : ", ") + printOperand(o);
  return s;
}

struct Builder {
  const SymInput &in;
  const uint32_t b;
  smt::Context &c;
  BlockQueries q;
  const std::string tag;  // "@bbK"
  VRegTerms env;  // original side, by vreg (invalid: not yet defined)
  std::array<Term, kNumPseudo> pseudo{};  // entry.rK variables, made on first use
  World vw, aw;
  std::array<Term, kNumLocs> regs{};  // allocated side, R0-R15 then S0-S31 (invalid: unknown, see reg())
  std::array<unsigned, kNumLocs> unknownSince{};  // 0: block entry, k: clobbered by call k
  std::map<std::vector<uint32_t>, Term> applied;  // uninterpreted float applications (tag, bits, args)
  OffsetMap<Term> frame;  // entry-SP-relative offset -> content (allocated side)
  int32_t sp = 0;
  unsigned calls = 0;
  std::vector<PendingObligation> tail;  // ret/preserve/branch, appended last
  const bool text;  // build labels and the trace (only needed to report a failure)
  const bool stated;  // In*(b) as hypotheses over own variables (EntryForm::Stated)
  const bool grow;  // the module's memory can grow: its size is state (vw.size, R10), not a constant
  PendingObligation reserved;  // R9-R11 at every site that depends on them (3 goals per site; named at the first)
  NameCounts inputUses;  // input name -> times made (text only)
  uint32_t nextInput = 0;  // key of the next block input
  std::vector<Term> scratchV, scratchA;  // operand terms of the instruction being paired
  std::vector<Term> args;  // the argument words (entry block)
  static constexpr uint32_t kPseudoKey = 0xFFFF0000u;  // keys of entry.rK, above any input's

  Builder(const SymInput &i, uint32_t blk, smt::Context &ctx, bool withText, EntryForm form)
      : in(i), b(blk), c(ctx), tag("@bb" + std::to_string(blk)), text(withText),
        stated(form == EntryForm::Stated), grow(i.module.memoryMax.has_value()) {}

  /// `f()` when building text, else "" (labels cost more than the terms).
  template <class F> std::string say(F f) const { return text ? f() : std::string(); }
  /// Record a (name, term) pair of a trace step.
  void show(BlockTrace::Step &step, const Operand &o, Term t) const {
    if (text) step.values.push_back({printOperand(o), t});
  }

  const std::string &fn() const { return in.allocated.name; }
  std::string bb() const { return "bb" + std::to_string(b); }

  /// A fresh block input. Every call makes a new variable, even for a name
  /// asked before (a frame word dropped twice is two unknown words, never
  /// one). Inputs are keyed by their order of creation, which is the same
  /// with or without text, so the two builds of a block share their terms;
  /// `name()` is called only with text, and a repeated name gets "#k".
  template <class F> Term input(F name, unsigned bits = 32) {
    Term t = c.input(nextInput++, bits);
    if (text) {
      const std::string n = name();
      unsigned &k = inputUses[n];
      const std::string unique = k++ ? n + "#" + std::to_string(k - 1) : n;
      c.name(t, unique + tag);
      q.trace.inputs.push_back({unique, t});
    }
    return t;
  }
  Term &envAt(uint32_t v) { return env[v]; }
  /// Entry value of R4-R11/LR (pseudo k): keyed after every block input.
  Term pseudoVar(uint32_t k) {
    if (pseudo[k].valid()) return pseudo[k];
    pseudo[k] = c.input(kPseudoKey + k, 32);
    if (text) c.name(pseudo[k], "entry." + locName(pseudoLoc(k)));
    return pseudo[k];
  }
  /// Memory and globals at the block entry (n = 0) or after call n.
  std::pair<Term, Term> world(unsigned n) {
    std::pair<Term, Term> w{c.memoryInput(n), c.globalsInput(n)};
    if (text) {
      const std::string at = n ? "call" + std::to_string(n) + "." : "";
      c.name(w.first, at + "memory" + tag);
      c.name(w.second, at + "globals" + tag);
    }
    return w;
  }
  /// Growable memory: a memory size in bytes of `pages` pages, a fresh
  /// 16-bit input (every size is a whole number of pages below 65536).
  template <class F> Term freshSize(F name) { return c.concat(input(name, 16), c.bv(0, 16)); }
  static constexpr unsigned kR10 = unsigned(PReg::R10);
  Term frameAt(int32_t o) {
    auto it = frame.find(o);
    if (it != frame.end()) return it->second;
    return frame[o] = input([o] { return frameName(o); });
  }
  Term vread(const Operand &o) {
    if (o.isImm()) return c.bv(o.value, 32);
    Term &t = envAt(o.value);
    if (t.valid()) return t;
    return t = input([&o] { return "v" + std::to_string(o.value) + ".undefined"; }, in.df.isF64(o.value) ? 64 : 32);
  }
  /// The term of value id v: a vreg's, a pseudo-value's, a word of an f64 vreg.
  Term valueOf(uint32_t v) {
    if (in.df.isPseudo(v)) return pseudoVar(v - in.df.numVRegs);
    if (!in.df.isHalf(v)) return vread(Operand::vreg(v));
    const unsigned h = (v - in.df.numVRegs - kNumPseudo) % 2;
    return c.extract(vread(Operand::vreg(in.df.vregOf(v))), 32 * h + 31, 32 * h);
  }
  /// An allocated operand's value: a D register (or, with bits 64, a stack
  /// operand) is the high word's bits above the low word's.
  Term aread(const Operand &o, unsigned bits = 32) {
    if (o.isImm()) return c.bv(o.value, 32);
    if (o.isStack()) {
      const int32_t off = sp + static_cast<int32_t>(o.value);
      return bits == 64 ? c.concat(frameAt(off + 4), frameAt(off)) : frameAt(off);
    }
    const Locs l = regLocs(o);
    if (l.size() == 2) return c.concat(reg(l[1]), reg(l[0]));
    if (l.size() == 1) return reg(l[0]);
    return input([] { return std::string("bad-operand"); }, bits);
  }
  /// The memoised uninterpreted application (float_sem.h).
  Term apply(uint32_t tag, unsigned bits, const std::vector<Term> &args) {
    std::vector<uint32_t> key{tag, bits};
    for (Term t : args) key.push_back(t.id);
    auto it = applied.find(key);
    if (it != applied.end()) return it->second;
    Term t = input([&] { return std::string(info(Opcode(tag >> 8)).mnemonic) + ((tag & 1) ? ".traps" : ".result"); }, bits);
    applied.emplace(std::move(key), t);
    return t;
  }
  /// Result words of a pure integer or float opcode (nullopt: not pure).
  std::optional<Words> pure(const Instr &i, const std::vector<Term> &u) {
    if (auto w = evalPure(c, i, u)) return w;
    return evalFloat(c, i, u, [this](uint32_t t, unsigned bits, const std::vector<Term> &a) { return apply(t, bits, a); });
  }
  /// Register r's content; an unknown content becomes a fresh input on first read.
  Term reg(unsigned r) {
    if (regs[r].valid()) return regs[r];
    return regs[r] = input([&] {
             const std::string rn = locName(r);
             return unknownSince[r] ? "call" + std::to_string(unknownSince[r]) + ".clobbered." + rn : rn;
           });
  }
  /// Forget register r's content (read later as a fresh input).
  void forget(unsigned r, unsigned since) {
    regs[r] = Term{};
    unknownSince[r] = since;
  }
  /// Write `t` to an allocated operand: a 64-bit term fills two words (a D
  /// register's S pair, or [sp+N] low and [sp+N+4] high).
  void awrite(const Operand &o, Term t) {
    const bool wide = c.width(t) == 64;
    const Term lo = wide ? c.extract(t, 31, 0) : t;
    if (o.isStack()) {
      const int32_t off = sp + static_cast<int32_t>(o.value);
      frame[off] = lo;
      if (wide) frame[off + 4] = c.extract(t, 63, 32);
      return;
    }
    const Locs l = regLocs(o);
    if (l.empty()) return;
    regs[l[0]] = lo;
    if (l.size() == 2)  // a 32-bit term into a D register (refuted by structure): high word unknown
      regs[l[1]] = wide ? c.extract(t, 63, 32) : input([] { return std::string("bad-width"); });
  }
  void dropBelowSp() { frame.erase(frame.begin(), frame.lower_bound(sp)); }

  // ---- block entry -------------------------------------------------------
  void enterFunction() {
    const auto homes = abi::paramHomes(in.original.sig);
    for (unsigned r = 0; r < kNumPRegs; ++r)
      if (!abi::has(abi::kCalleeSaved | abi::bit(PReg::LR), PReg(r)))
        forget(r, 0);
    for (uint32_t k = 0; k < in.df.numPseudo; ++k) {
      if (grow && pseudoLoc(k) == kR10) continue;  // R10 is the memory size (run() sets it)
      regs[pseudoLoc(k)] = pseudoVar(k);
      if (text) q.trace.inputs.push_back({"entry." + locName(pseudoLoc(k)), pseudoVar(k)});
    }
    for (size_t k = 0; k < homes.size(); ++k) {
      Term a = input([k] { return "arg" + std::to_string(k); });
      if (homes[k].bytes == 8)  // an f64: two words
        a = c.concat(input([k] { return "arg" + std::to_string(k) + ".hi"; }), a);
      args.push_back(a);
      awrite(abi::homeOperand(homes[k]), a);
    }
  }

  /// Block entry (EntryForm::Substituted). Every value a location holds in
  /// In*(b) is pseudo or live into b (the dataflow prunes the rest at the
  /// join, and the edge obligations prove every value assumed here, pruned
  /// or not), so all of them are bound. Values that share a location share
  /// one term: union-find over the block's values, indexed through the
  /// per-function scratch.
  void enterBlock() {
    const LocState &s = in.df.in[b];
    sp = s.sp;
    frame.reserve(s.frame.size() + 4);
    const uint32_t nv = in.df.numValues();
    std::vector<uint32_t> ownScratch;
    std::vector<uint32_t> &slot = in.scratch ? *in.scratch : ownScratch;
    if (slot.size() < nv) slot.assign(nv, 0);
    // The values involved, sorted: every live-in vreg and every value a
    // location holds (work in their number, not the function's vregs).
    std::vector<uint32_t> vals;
    vals.reserve(in.live.liveIn[b].size() + 16);
    auto collect = [&](const ValSet &set) {
      for (uint32_t v : set)
        if (v < nv && !slot[v]) slot[v] = 1, vals.push_back(v);
    };
    for (unsigned r = 0; r < in.df.numLocs(); ++r) collect(s.regs[r]);
    for (const auto &[o, set] : s.frame) collect(set);
    in.live.forEachIn(b, [&](uint32_t v) {  // an f64 as its two words
      for (unsigned h = 0; h < (in.df.isF64(v) ? 2u : 1u); ++h) {
        const uint32_t id = in.df.isF64(v) ? in.df.half(v, h) : v;
        if (!slot[id]) slot[id] = 1, vals.push_back(id);
      }
    });
    std::sort(vals.begin(), vals.end());
    for (uint32_t i = 0; i < vals.size(); ++i) slot[vals[i]] = i + 1;  // index + 1
    auto index = [&](uint32_t v) { return slot[v] - 1; };
    // union-find over values that share a location (by index into vals)
    std::vector<uint32_t> parent(vals.size());
    for (uint32_t i = 0; i < parent.size(); ++i) parent[i] = i;
    auto find = [&](uint32_t i) {
      while (parent[i] != i) i = parent[i] = parent[parent[i]];
      return i;
    };
    auto join = [&](const ValSet &set) {
      int64_t first = -1;
      for (uint32_t v : set) {
        if (v >= nv) continue;
        const uint32_t i = index(v);
        if (first < 0) first = i;
        else parent[find(i)] = find(static_cast<uint32_t>(first));
      }
    };
    for (unsigned r = 0; r < in.df.numLocs(); ++r) join(s.regs[r]);
    for (const auto &[o, set] : s.frame) join(set);
    // one term per class: a pseudo-value, else a constant, else a variable
    std::vector<Term> cls(vals.size());  // by class root
    for (uint32_t i = 0; i < vals.size(); ++i) {
      const uint32_t v = vals[i];
      Term &t = cls[find(i)];
      Term mine = in.df.isPseudo(v) ? pseudoVar(v - in.df.numVRegs)
                  : !in.df.isHalf(v) && in.pairing.constOf[v] ? c.bv(*in.pairing.constOf[v], 32)
                  : in.df.isHalf(v) && in.pairing.const64Of[in.df.vregOf(v)]
                      ? c.bv(*in.pairing.const64Of[in.df.vregOf(v)] >> (32 * (v - in.df.half(in.df.vregOf(v), 0))), 32)
                      : Term{};
      if (!t.valid() && mine.valid()) t = mine;
      else if (mine.valid() && in.df.isPseudo(v) && !c.bvLiteral(t)) t = mine;
    }
    for (uint32_t i = 0; i < vals.size(); ++i)
      if (parent[i] == i && !cls[i].valid()) cls[i] = input([&] { return "v" + std::to_string(vals[i]); });
    for (uint32_t i = 0; i < vals.size(); ++i) {
      const uint32_t v = vals[i];
      if (in.df.isPseudo(v)) continue;
      Term t = cls[find(i)];
      if (in.df.isHalf(v)) {  // an f64 is its high word's term above its low word's
        const uint32_t f = in.df.vregOf(v), lo = in.df.half(f, 0), hi = in.df.half(f, 1);
        if (v == hi && slot[lo] && slot[hi]) envAt(f) = c.concat(t, cls[find(index(lo))]);
        continue;
      }
      if (in.pairing.constOf[v] && !c.same(t, c.bv(*in.pairing.constOf[v], 32)))
        t = c.bv(*in.pairing.constOf[v], 32);  // drop a contradictory equation (weaker, sound)
      envAt(v) = t;
    }
    auto locTerm = [&](const ValSet &set, auto name) {
      for (uint32_t v : set)
        if (v < nv) return cls[find(index(v))];
      return input(name);
    };
    for (unsigned r = 0; r < in.df.numLocs(); ++r)
      if (!s.regs[r].empty()) regs[r] = locTerm(s.regs[r], [r] { return locName(r); });
    for (const auto &[o, set] : s.frame)
      if (!set.empty()) frame[o] = locTerm(set, [o = o] { return frameName(o); });
    for (uint32_t v : vals) slot[v] = 0;
  }

  /// EntryForm::Stated: each relevant vreg (live-in) and each location
  /// holding a relevant value gets its own variable; every equation of
  /// In*(b) (`loc = v`, `loc = entry.rK`) and every `Const` fact of a
  /// live-in vreg becomes a hypothesis. No substitution: the solver has to
  /// connect the two sides itself.
  void enterBlockStated() {
    const LocState &s = in.df.in[b];
    sp = s.sp;
    // every held value is bound, as in enterBlock (the edges prove them all)
    auto relevant = [&](uint32_t v) { return v < in.df.numValues(); };
    auto valueTerm = [&](uint32_t v) {
      if (in.df.isPseudo(v)) return pseudoVar(v - in.df.numVRegs);
      const uint32_t f = in.df.vregOf(v);
      Term &t = envAt(f);
      if (!t.valid()) t = input([f] { return "v" + std::to_string(f); }, in.df.isF64(f) ? 64 : 32);
      return in.df.isHalf(v) ? valueOf(v) : t;
    };
    in.live.forEachIn(b, [&](uint32_t v) {
      Term t = valueTerm(v);
      if (in.pairing.constOf[v]) q.hypotheses.push_back(c.eq(t, c.bv(*in.pairing.constOf[v], 32)));
      if (in.pairing.const64Of[v]) q.hypotheses.push_back(c.eq(t, c.bv(*in.pairing.const64Of[v], 64)));
    });
    auto bind = [&](const ValSet &set, Term loc) {
      for (uint32_t v : set)
        if (relevant(v)) q.hypotheses.push_back(c.eq(loc, valueTerm(v)));
    };
    for (unsigned r = 0; r < in.df.numLocs(); ++r)
      if (!s.regs[r].empty()) {
        regs[r] = input([r] { return locName(r); });
        bind(s.regs[r], regs[r]);
      }
    for (const auto &[o, set] : s.frame) {
      bool any = false;
      for (uint32_t v : set) any = any || relevant(v);
      if (!any) continue;
      frame[o] = input([o = o] { return frameName(o); });
      bind(set, frame[o]);
    }
  }

  // ---- shared semantics of memory, globals and traps ---------------------
  /// A point where the run may end in a trap: linear memory and globals
  /// there are observed (a trap ends the run with them), so a store or
  /// `gset` whose effect is overwritten later in the block still counts.
  void trapPoint(World &w, const std::string &label) {
    w.events.push_back({say([&] { return "linear memory at " + label + " (may trap)"; }), w.mem});
    w.events.push_back({say([&] { return "globals at " + label + " (may trap)"; }), w.glob});
    if (grow)  // the size a trap leaves memory with
      w.events.push_back({say([&] { return "memory size at " + label + " (may trap)"; }), sizeOf(w)});
  }
  /// Growable memory: the memory size in bytes as side `w` sees it (the
  /// original: its state; the allocated code: R10, as the machine).
  Term sizeOf(World &w) { return &w == &aw ? reg(kR10) : w.size; }

  /// R9 (globals base), R10 (memory size) and R11 (memory base) must hold
  /// their entry values wherever the code depends on them: every memory or
  /// global access, `memsize`, call and return. Proved symbolically on the
  /// allocated side, whatever origin tags the instructions carry.
  void reservedAt(const Instr &a) {
    switch (a.op) {
    case Opcode::Load: case Opcode::Load64: case Opcode::Store: case Opcode::Store64:
    case Opcode::GGet: case Opcode::GSet: case Opcode::MemSize: case Opcode::Call:
    case Opcode::Ret: break;
    case Opcode::FLoad32: case Opcode::FLoad64: case Opcode::FStore32: case Opcode::FStore64: break;
    case Opcode::CallInd: break;
    case Opcode::MemGrow: break;
    default: return;
    }
    if (reserved.goals.empty()) {
      reserved.ob = makeObligation(fn(), bb() + ".reserved", "reserved", int32_t(b));
      reserved.goals.reserve(6);
    }
    const size_t site = reserved.goals.size() / 3 + 1;
    for (unsigned r = 9; r <= 11; ++r) {
      if (grow && r == kR10) {  // R10 changes at a grow: it must hold the current size
        reserved.goals.push_back({say([&] {
                                    return "r10 (memory size) holds the current memory size (pages*65536) at `" +
                                           printInstr(a, in.allocated) + "` (#" + std::to_string(site) + ")";
                                  }),
                                  vw.size, reg(kR10)});
        continue;
      }
      reserved.goals.push_back({say([&] {
                                  return std::string(pregName(PReg(r))) + " (" + std::string(abi::reservedRole(PReg(r))) +
                                         ") holds its entry value at `" + printInstr(a, in.allocated) +
                                         "` (#" + std::to_string(site) + ")";
                                }),
                                pseudoVar(r - 4), reg(r)});
    }
  }
  std::vector<Term> effect(World &w, const Instr &i, const std::vector<Term> &u,
                           const std::string &label) {
    const uint64_t size = uint64_t(in.module.memoryPages) * 65536u;
    auto access = [&](Term addr, unsigned bytes) {
      Term e = effectiveAddress(c, addr, i.imm);
      w.events.push_back({say([&] { return label + " address"; }), e});
      w.events.push_back({say([&] { return label + " oob trap"; }),
                          grow ? outOfBounds(c, e, bytes, sizeOf(w)) : outOfBounds(c, e, bytes, size)});
      trapPoint(w, label);
      return e;
    };
    auto plus4 = [&](Term e) { return c.bin(B::Add, e, c.bv(4, 64)); };
    switch (i.op) {
    case Opcode::Load: return {loadValue(c, w.mem, access(u.at(0), widthBytes(i.width)), i.width)};
    case Opcode::Load64: {
      Term e = access(u.at(0), 8);
      return {loadValue(c, w.mem, e, Width::W32), loadValue(c, w.mem, plus4(e), Width::W32)};
    }
    case Opcode::Store: {
      Term e = access(u.at(1), widthBytes(i.width));
      w.mem = storeBytes(c, w.mem, c.extract(e, 31, 0), u[0], widthBytes(i.width));
      return {};
    }
    case Opcode::Store64: {
      Term e = access(u.at(2), 8);
      w.mem = storeBytes(c, w.mem, c.extract(e, 31, 0), u[0], 4);
      w.mem = storeBytes(c, w.mem, c.extract(plus4(e), 31, 0), u[1], 4);
      return {};
    }
    case Opcode::GGet: return {c.select(w.glob, c.bv(i.imm, 32))};
    case Opcode::GSet: w.glob = c.store(w.glob, c.bv(i.imm, 32), u.at(0)); return {};
    case Opcode::MemSize:
      if (grow) return {c.bin(B::LShr, sizeOf(w), c.bv(16, 32))};
      return {c.bv(in.module.memoryPages, 32)};
    case Opcode::TrapIf:
      w.events.push_back({say([&] { return label + " trap condition"; }), c.cmp(P::Ne, u.at(0), c.bv(0, 32))});
      trapPoint(w, label);
      return {};
    case Opcode::FLoad32: return {loadValue(c, w.mem, access(u.at(0), 4), Width::W32)};
    case Opcode::FLoad64: {
      Term e = access(u.at(0), 8);
      return {c.concat(loadValue(c, w.mem, plus4(e), Width::W32), loadValue(c, w.mem, e, Width::W32))};
    }
    case Opcode::FStore32: {
      Term e = access(u.at(1), 4);
      w.mem = storeBytes(c, w.mem, c.extract(e, 31, 0), u[0], 4);
      return {};
    }
    case Opcode::FStore64: {
      Term e = access(u.at(1), 8);
      w.mem = storeBytes(c, w.mem, c.extract(e, 31, 0), c.extract(u[0], 31, 0), 4);
      w.mem = storeBytes(c, w.mem, c.extract(plus4(e), 31, 0), c.extract(u[0], 63, 32), 4);
      return {};
    }
    default:
      return {};
    }
  }

  // ---- calls, returns, branches ------------------------------------------
  void call(const Instr &v, const Instr &a, BlockTrace::Step &step) {
    ++calls;
    PendingObligation po{makeObligation(fn(), bb() + ".call" + std::to_string(calls), "abi.call",
                                        int32_t(b)),
                         {}};
    const Signature *sig = in.module.callSig(v);
    // calli: the callee is the table slot its last use indexes; that index is
    // a value of the original code the allocated register must hold.
    const bool ind = v.op == Opcode::CallInd;
    const std::string callee = ind ? "calli #" + std::to_string(v.imm) : "@" + v.callee;
    if (!sig) refute(po.ob, "unknown callee " + callee);
    const auto homes = sig ? abi::paramHomes(*sig) : std::vector<abi::WordHome>{};
    const auto rhomes = sig ? abi::resultHomes(*sig) : std::vector<abi::WordHome>{};
    mir::OperandList want, wantRes;
    for (const auto &h : homes) want.push_back(abi::homeOperand(h));
    for (const auto &h : rhomes) wantRes.push_back(abi::homeOperand(h));
    mir::OperandList args = a.uses;
    if (ind && !args.empty() && !v.uses.empty()) {
      const Operand idx = args.back();
      args.pop_back();
      if (!idx.isPReg()) refute(po.ob, "the table index of " + callee + " is not in a register");
      else
        po.goals.push_back({say([&] { return "table index of " + callee + " in " + printOperand(idx); }),
                            vread(v.uses.back()), aread(idx)});
    }
    if (args != want)
      refute(po.ob, "call " + callee + " names arguments (" + ops(args) +
                        ") but AAPCS places them at (" + ops(want) + ")");
    if (a.defs != wantRes)
      refute(po.ob, "call " + callee + " names results (" + ops(a.defs) +
                        ") but AAPCS returns them in (" + ops(wantRes) + ")");

    if (sp % 8 != 0)
      refute(po.ob, "SP is not 8-byte aligned at the call (entry SP " + std::to_string(sp) + ")");
    auto cl = [this] { return "call" + std::to_string(calls); };
    for (size_t k = 0; k < homes.size() && k < v.uses.size(); ++k)
      po.goals.push_back({say([&] {
                            return "argument " + std::to_string(k) + " of " + callee + " in " +
                                   printOperand(want[k]);
                          }),
                          vread(v.uses[k]), aread(want[k], homes[k].bytes * 8u)});
    po.goals.push_back({say([&] { return "linear memory at " + cl(); }), vw.mem, aw.mem});
    po.goals.push_back({say([&] { return "globals at " + cl(); }), vw.glob, aw.glob});
    q.obligations.push_back(std::move(po));
    // the callee's effect: fresh results, memory and globals, shared by both sides
    std::tie(vw.mem, vw.glob) = world(calls);
    aw.mem = vw.mem;
    aw.glob = vw.glob;
    if (grow)  // a callee may grow memory: both sides see its new size, the allocated code in R10
      regs[kR10] = vw.size = freshSize([&] { return cl() + ".pages"; });
    // the callee may write its whole area: stack arguments and stack results
    const uint32_t argBytes = sig ? abi::areaBytes(*sig) : 0;
    for (unsigned r = 0; r < kNumPRegs; ++r)
      if (abi::has(abi::kCallerSaved, PReg(r)))
        forget(r, calls);
    for (unsigned r = 0; r < kNumSRegs; ++r)
      if ((abi::kVfpCallerSaved >> r) & 1u) forget(sLoc(r), calls);
    dropBelowSp();
    frame.erase(frame.lower_bound(sp), frame.lower_bound(sp + int32_t(argBytes)));
    for (size_t k = 0; k < v.defs.size(); ++k) {
      Term res = input([&] { return cl() + ".result" + std::to_string(k); });
      if (k < rhomes.size() && rhomes[k].bytes == 8)  // an f64: two words
        res = c.concat(input([&] { return cl() + ".result" + std::to_string(k) + ".hi"; }), res);
      if (v.defs[k].isVReg()) envAt(v.defs[k].value) = res;
      if (k < rhomes.size()) awrite(abi::homeOperand(rhomes[k]), res);  // a register, or [sp+N]
      show(step, v.defs[k], res);
    }
  }

  void ret(const Instr &v, const Instr &a) {
    PendingObligation r{makeObligation(fn(), bb() + ".ret", "abi.ret", int32_t(b)), {}};
    const auto homes = abi::resultHomes(in.original.sig);
    mir::OperandList want;
    for (const auto &h : homes) want.push_back(abi::homeOperand(h));
    if (a.uses != want)
      refute(r.ob, "ret names (" + ops(a.uses) + ") but AAPCS returns in (" + ops(want) + ")");

    for (size_t k = 0; k < homes.size() && k < v.uses.size(); ++k)
      r.goals.push_back({say([&] { return "result word " + std::to_string(k) + " in " + printOperand(want[k]); }),
                         vread(v.uses[k]), aread(want[k], homes[k].bytes * 8u)});
    tail.push_back(std::move(r));
    PendingObligation p{makeObligation(fn(), bb() + ".preserve", "preserve", int32_t(b)), {}};
    if (sp != 0)
      refute(p.ob, "SP at ret is entry SP " + std::string(sp < 0 ? "" : "+") + std::to_string(sp));
    p.goals.reserve(in.df.numPseudo);
    for (uint32_t k = 0; k < in.df.numPseudo; ++k) {
      if (grow && pseudoLoc(k) == kR10) {  // the caller reads the size the run leaves
        p.goals.push_back({say([] { return std::string("r10 holds the current memory size (pages*65536)"); }),
                           vw.size, reg(kR10)});
        continue;
      }
      p.goals.push_back({say([&] { return locName(pseudoLoc(k)) + " holds its entry value"; }),
                         pseudoVar(k), reg(pseudoLoc(k))});
    }
    tail.push_back(std::move(p));
  }

  void branch(const Instr &v, const Instr &a) {
    PendingObligation p{makeObligation(fn(), bb() + ".branch", "branch", int32_t(b)), {}};
    Term x = vread(v.uses.at(0)), y = aread(a.uses.at(0));
    if (v.op == Opcode::BrIf)
      p.goals.push_back({say([&] { return "branch condition (" + printOperand(a.uses[0]) + " != 0)"; }),
                         c.cmp(P::Ne, x, c.bv(0, 32)), c.cmp(P::Ne, y, c.bv(0, 32))});
    else
      p.goals.push_back({say([&] { return "branch table index " + printOperand(a.uses[0]); }), x, y});
    tail.push_back(std::move(p));
  }

  // ---- one paired instruction ---------------------------------------------
  void original(const Instr &v, const Instr &a, uint32_t vi, BlockTrace::Step &step) {
    const std::string label = say([&] {
      return bb() + " `" + printInstr(v, in.original) + "` (#" + std::to_string(vi) + ")";
    });
    auto def = [&](std::span<const Term> vt, std::span<const Term> at) {
      for (size_t k = 0; k < v.defs.size() && k < vt.size(); ++k) {
        envAt(v.defs[k].value) = vt[k];
        show(step, v.defs[k], vt[k]);
      }
      for (size_t k = 0; k < a.defs.size() && k < at.size(); ++k) {
        awrite(a.defs[k], at[k]);
        show(step, a.defs[k], at[k]);
      }
    };
    reservedAt(a);
    switch (v.op) {
    case Opcode::Param: {
      // the words enterFunction placed in the AAPCS homes (fresh inputs
      // beyond them, or outside the entry block, where structure refutes it)
      std::vector<Term> words(args.begin(), args.begin() + long(std::min(args.size(), size_t(v.defs.size()))));
      for (size_t k = words.size(); k < v.defs.size(); ++k)
        words.push_back(input([k] { return "arg" + std::to_string(k); }));
      def(words, {});
      return;
    }
    case Opcode::Call: call(v, a, step); return;
    case Opcode::CallInd: call(v, a, step); return;
    case Opcode::Ret: ret(v, a); return;
    case Opcode::BrIf: case Opcode::BrTable: branch(v, a); return;
    case Opcode::Br: case Opcode::Trap: return;
    default: break;
    }
    std::vector<Term> &vu = scratchV, &au = scratchA;  // reused: no allocation per instruction
    vu.clear();
    au.clear();
    for (const Operand &o : v.uses) vu.push_back(vread(o));
    for (const Operand &o : a.uses) au.push_back(aread(o));
    // Equal fields and equal operand terms give equal results: build them once.
    const bool sameInputs = v.op == a.op && v.cc == a.cc && v.width == a.width && v.imm == a.imm && vu == au;
    if (v.op == Opcode::MemGrow && grow) return pairGrow(vu, au, label, def);
    if (isUninterpretedFloatOp(v.op)) return uninterpreted(v, vu, au, label, def);
    if (auto vt = pure(v, vu)) {
      if (sameInputs) return def(*vt, *vt);
      auto at = pure(a, au);  // same opcode and operand count (structure)
      if (at) def(*vt, *at);
      else def(*vt, {});
      return;
    }
    const bool sameWorld = sameInputs && vw.mem == aw.mem && vw.glob == aw.glob && (!grow || vw.size == reg(kR10));
    const size_t firstEvent = vw.events.size();
    std::vector<Term> vt = effect(vw, v, vu, label);
    if (sameWorld) {  // the allocated side makes the same events and the same state
      aw.events.insert(aw.events.end(), vw.events.begin() + long(firstEvent), vw.events.end());
      aw.mem = vw.mem;
      aw.glob = vw.glob;
      return def(vt, vt);
    }
    def(vt, effect(aw, a, au, label));
  }

  /// Growable memory, `memgrow`: each side grows its own size (the original
  /// its state, the allocated code R10, which it rewrites before d); the
  /// delta is an event (a grow observes nothing else: memory beyond the
  /// size is zero on both sides, every store being bounds-checked).
  template <class Def>
  void pairGrow(const std::vector<Term> &vu, const std::vector<Term> &au, const std::string &label, Def &def) {
    const std::string what = say([&] { return label + " memory.grow delta"; });
    vw.events.push_back({what, vu.at(0)});
    aw.events.push_back({what, au.at(0)});
    const auto [vd, vsize] = verifier::growMemory(c, vw.size, vu[0], *in.module.memoryMax);
    const auto [ad, asize] = verifier::growMemory(c, reg(kR10), au.at(0), *in.module.memoryMax);
    vw.size = vsize;
    regs[kR10] = asize;
    const Term vt[1] = {vd}, at[1] = {ad};
    def(std::span<const Term>(vt), std::span<const Term>(at));
  }

  /// A float computation (float_sem.h): both sides take the original's
  /// uninterpreted value, and the allocated operands must equal the
  /// original's (events of the effects obligation; always made, so that the
  /// goals are the same with or without normalisation, see smt_export.h).
  /// So the result is shared exactly when the operands are proved equal,
  /// by the checker or by an external solver re-checking the export.
  template <class Def>
  void uninterpreted(const Instr &v, const std::vector<Term> &vu, const std::vector<Term> &au,
                     const std::string &label, Def &def) {
    for (size_t k = 0; k < vu.size() && k < au.size(); ++k) {
      if (v.uses[k].isImm()) continue;
      const std::string what = say([&] { return label + " operand " + std::to_string(k); });
      vw.events.push_back({what, vu[k]});
      aw.events.push_back({what, au[k]});
    }
    const ApplyFn fn = [this](uint32_t t, unsigned bits, const std::vector<Term> &x) { return apply(t, bits, x); };
    if (!isTrappingFloatOp(v.op)) {
      const Words r = *evalFloat(c, v, vu, fn);
      return def(std::span<const Term>(r.begin(), r.end()), std::span<const Term>(r.begin(), r.end()));
    }
    Term trap;
    const Words r = truncWithTrap(c, v, vu, fn, trap);
    for (World *w : {&vw, &aw}) {  // the trap condition is an event like any trap's
      w->events.push_back({say([&] { return label + " trap condition"; }), trap});
      trapPoint(*w, label);
    }
    def(std::span<const Term>(r.begin(), r.end()), std::span<const Term>(r.begin(), r.end()));
  }

  void inserted(const Instr &a, BlockTrace::Step &step) {
    switch (a.op) {
    case Opcode::Mov: case Opcode::MovI: case Opcode::Lds: case Opcode::Sts: {
      const bool wide = a.defs.at(0).isDReg() || (!a.uses.empty() && a.uses[0].isDReg());
      const unsigned bits = wide ? 64 : 32;
      Term t = a.op == Opcode::MovI ? c.bv(a.imm, 32) : aread(a.uses.at(0), bits);
      awrite(a.defs.at(0), t);
      show(step, a.defs[0], t);
      break;
    }
    case Opcode::FConst32: case Opcode::FConst64: {  // a rematerialised float constant
      std::vector<Term> u;
      for (const Operand &o : a.uses) u.push_back(aread(o));
      if (auto w = pure(a, u)) {
        awrite(a.defs.at(0), (*w)[0]);
        show(step, a.defs[0], (*w)[0]);
      }
      break;
    }
    case Opcode::Push: {  // word by word, lowest address first (a D register: low word first)
      std::vector<unsigned> locs;
      for (const Operand &o : a.uses)
        for (unsigned l : regLocs(o)) locs.push_back(l);
      const int32_t base = sp - 4 * int32_t(locs.size());
      for (size_t i = 0; i < locs.size(); ++i) frame[base + 4 * int32_t(i)] = reg(locs[i]);
      sp = base;
      break;
    }
    case Opcode::Pop: {
      std::vector<unsigned> locs;
      for (const Operand &o : a.defs)
        for (unsigned l : regLocs(o)) locs.push_back(l);
      for (size_t i = 0; i < locs.size(); ++i) regs[locs[i]] = frameAt(sp + 4 * int32_t(i));
      for (const Operand &o : a.defs) show(step, o, aread(o, 64));
      sp += 4 * int32_t(locs.size());
      dropBelowSp();
      break;
    }
    case Opcode::AdjSp:  // wraps like the register (a wild value is a refuted frame obligation)
      sp = static_cast<int32_t>(static_cast<uint32_t>(sp) + a.imm);
      if (static_cast<int32_t>(a.imm) > 0) dropBelowSp();
      break;
    default: break;
    }
  }

  // ---- block exit -----------------------------------------------------------
  void effectsObligation() {
    PendingObligation p{makeObligation(fn(), bb() + ".effects", "effects", int32_t(b)), {}};
    if (vw.events.size() != aw.events.size())
      refute(p.ob, "the two sides have different numbers of memory/trap events");
    p.goals.reserve(vw.events.size() + 2);
    for (size_t k = 0; k < vw.events.size() && k < aw.events.size(); ++k)
      p.goals.push_back({vw.events[k].label, vw.events[k].term, aw.events[k].term});
    p.goals.push_back({say([] { return std::string("linear memory at the block exit"); }), vw.mem, aw.mem});
    p.goals.push_back({say([] { return std::string("globals at the block exit"); }), vw.glob, aw.glob});
    if (grow)  // the size a `trap` terminator leaves memory with, too
      p.goals.push_back({say([] { return std::string("memory size at the block exit"); }), vw.size, reg(kR10)});
    q.obligations.push_back(std::move(p));
  }

  void exitObligation() {
    if (in.df.succs[b].empty()) return;
    PendingObligation p{makeObligation(fn(), bb() + ".exit", "exit", int32_t(b)), {}};
    const LocState &s = in.df.out[b];
    if (grow)  // every block entry assumes it (run())
      p.goals.push_back({say([] { return std::string("r10 holds the memory size (pages*65536) at the exit"); }),
                         vw.size, reg(kR10)});
    size_t n = 0;
    for (unsigned r = 0; r < in.df.numLocs(); ++r) n += s.regs[r].size();
    for (const auto &[o, set] : s.frame) n += set.size();
    p.goals.reserve(n);
    // Every value a location holds at the exit is a goal (the dataflow keeps
    // only pseudo-values and live-out vregs there); the live-out vregs held
    // nowhere are marked in the scratch and refuted below.
    std::vector<uint32_t> ownScratch;
    std::vector<uint32_t> &held = in.scratch ? *in.scratch : ownScratch;
    if (held.size() < in.df.numValues()) held.assign(in.df.numValues(), 0);
    auto want = [&](const ValSet &set, auto loc, auto name) {
      if (set.empty()) return;
      for (uint32_t v : set) {
        if (in.df.isPseudo(v)) {
          p.goals.push_back({say([&] { return name() + " holds " + in.df.valueName(v); }),
                             pseudoVar(v - in.df.numVRegs), loc()});
        } else {
          held[v] = 1;
          p.goals.push_back({say([&] { return name() + " holds " + in.df.valueName(v); }),
                             valueOf(v), loc()});
        }
      }
    };
    for (unsigned r = 0; r < in.df.numLocs(); ++r)
      want(s.regs[r], [&, r] { return reg(r); }, [r] { return locName(r); });
    for (const auto &[o, set] : s.frame)
      want(set, [&, o = o] { return frameAt(o); }, [o = o] { return frameName(o); });
    in.live.forEachOut(b, [&](uint32_t v) {
      const bool f64 = in.df.isF64(v);  // held word by word
      if (f64 ? !(held[in.df.half(v, 0)] && held[in.df.half(v, 1)]) && !in.pairing.const64Of[v]
              : !held[v] && !in.pairing.constOf[v])
        refute(p.ob, "v" + std::to_string(v) + " is live out of " + bb() +
                         " but no location provably holds it");
    });
    auto clear = [&](const ValSet &set) {
      for (uint32_t v : set) held[v] = 0;
    };
    for (unsigned r = 0; r < in.df.numLocs(); ++r) clear(s.regs[r]);
    for (const auto &[o, set] : s.frame) clear(set);
    q.obligations.push_back(std::move(p));
  }

  void run() {
    q.obligations.reserve(8);
    tail.reserve(3);
    std::tie(vw.mem, vw.glob) = world(0);
    aw.mem = vw.mem;
    aw.glob = vw.glob;
    if (b == 0) enterFunction();
    else if (stated) enterBlockStated();
    else enterBlock();
    if (grow)  // the size at the block entry; R10 holds it (proved at every exit, and at entry by the caller)
      regs[kR10] = vw.size = freshSize([] { return std::string("pages"); });
    const auto &is = in.allocated.blocks[b].instrs;
    const auto &elided = in.pairing.elided[b];
    size_t el = 0;
    for (size_t i = 0; i < is.size(); ++i) {
      for (; el < elided.size() && elided[el].first == i; ++el) {
        const Instr &v = in.original.blocks[b].instrs[elided[el].second];
        std::vector<Term> vu;
        for (const Operand &o : v.uses) vu.push_back(vread(o));
        BlockTrace::Step step{say([&] { return "(removed by the allocator) " + printInstr(v, in.original); }), {}};
        if (auto vt = pure(v, vu))
          for (size_t k = 0; k < v.defs.size() && k < vt->size(); ++k) {
            envAt(v.defs[k].value) = (*vt)[k];
            show(step, v.defs[k], (*vt)[k]);
          }
        if (text) q.trace.steps.push_back(std::move(step));
      }
      const Instr &a = is[i];
      BlockTrace::Step step{say([&] { return printInstr(a, in.allocated); }), {}};
      if (const Instr *v = in.pairing.origInstr(in.original, b, uint32_t(i)))
        original(*v, a, uint32_t(in.pairing.orig[b][i]), step);
      else if (a.inserted())
        inserted(a, step);
      if (text) q.trace.steps.push_back(std::move(step));
    }
    effectsObligation();
    if (!reserved.goals.empty()) q.obligations.push_back(std::move(reserved));
    exitObligation();
    for (auto &t : tail) q.obligations.push_back(std::move(t));
  }
};

}  // namespace

BlockQueries buildBlockQueries(const SymInput &in, uint32_t b, smt::Context &c, bool withText,
                               EntryForm form) {
  Builder bd(in, b, c, withText, form);
  bd.run();
  return std::move(bd.q);
}

Obligation checkParamDecl(const SymInput &in) {
  Obligation o = makeObligation(in.allocated.name, "abi.params", "abi.params", 0);
  const auto homes = abi::paramHomes(in.original.sig);
  mir::OperandList want;
  for (const auto &h : homes) want.push_back(abi::homeOperand(h));
  const Instr *decl = nullptr;
  if (!in.allocated.blocks.empty())
    for (const Instr &i : in.allocated.blocks[0].instrs)
      if (i.op == Opcode::Param) decl = &i;
  if (!decl) {
    if (!want.empty()) refute(o, "the entry block has no `param` declaration");
    return o;
  }
  if (decl->defs != want)
    refute(o, "param declares (" + ops(decl->defs) + ") but AAPCS places the parameters at (" +
                  ops(want) + ")");
  return o;
}

}  // namespace vcr::verifier
