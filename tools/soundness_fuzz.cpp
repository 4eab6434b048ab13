// Soundness fuzzing: random and hole-shaped multi-edit mutants of allocated MIR (issue 12).
#include "tools/soundness_fuzz.h"

#include "core/ir/text.h"

#include <algorithm>
#include <functional>
#include <random>
#include <set>

namespace vcr::tools::fuzz {

using mir::Function;
using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::Origin;
using mir::PReg;

namespace {

using Rng = std::mt19937_64;

/// A place in the function: block and instruction index.
struct Pos {
  uint32_t b = 0, i = 0;
};

unsigned pick(Rng &rng, size_t n) { return static_cast<unsigned>(std::uniform_int_distribution<size_t>(0, n - 1)(rng)); }
bool chance(Rng &rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
template <class T> const T &oneOf(Rng &rng, const std::vector<T> &v) { return v[pick(rng, v.size())]; }

/// Any register an allocation could name as data: R0-R12, SP, LR.
PReg anyReg(Rng &rng) {
  static const std::vector<PReg> regs = {PReg::R0, PReg::R1, PReg::R2,  PReg::R3,  PReg::R4,
                                         PReg::R5, PReg::R6, PReg::R7,  PReg::R8,  PReg::R9,
                                         PReg::R10, PReg::R11, PReg::R12, PReg::SP, PReg::LR};
  return oneOf(rng, regs);
}
/// A register of the default pool, or now and then any register.
PReg dataReg(Rng &rng) { return chance(rng, 0.85) ? static_cast<PReg>(pick(rng, 9)) : anyReg(rng); }
PReg reservedReg(Rng &rng) { return static_cast<PReg>(9 + pick(rng, 3)); }
/// A register push/pop and epilogue/prologue saves may name (R0-R11, LR), now and then any.
PReg saveReg(Rng &rng) {
  if (!chance(rng, 0.85)) return anyReg(rng);
  const unsigned r = pick(rng, 13);
  return r == 12 ? PReg::LR : static_cast<PReg>(r);
}

Origin anyOrigin(Rng &rng) { return static_cast<Origin>(pick(rng, 10)); }
/// Mostly a tag the checker's structure rules allow on `op` (so the mutant
/// reaches the semantic obligations), now and then any tag.
Origin tagFor(Rng &rng, Opcode op, double allowed = 0.85) {
  static const std::vector<Origin> mov = {Origin::Move, Origin::OutArg, Origin::InArg},
                                   movi = {Origin::Move, Origin::Remat, Origin::OutArg},
                                   lds = {Origin::Reload, Origin::Frame, Origin::OutArg, Origin::InArg, Origin::Epilogue},
                                   sts = {Origin::Spill, Origin::Frame, Origin::OutArg, Origin::Prologue},
                                   adj = {Origin::Prologue, Origin::Epilogue};
  if (!chance(rng, allowed)) return anyOrigin(rng);
  switch (op) {
  case Opcode::Mov: return oneOf(rng, mov);
  case Opcode::MovI: return oneOf(rng, movi);
  case Opcode::Lds: return oneOf(rng, lds);
  case Opcode::Sts: return oneOf(rng, sts);
  case Opcode::Push: return Origin::Prologue;
  case Opcode::Pop: return Origin::Epilogue;
  case Opcode::AdjSp: return oneOf(rng, adj);
  default: return Origin::Original;
  }
}
/// A tag the structure rules allow on `op` (hole-shaped edits get past them).
Origin okTag(Rng &rng, Opcode op) { return tagFor(rng, op, 1.0); }
/// A register of the default pool R0-R8.
PReg poolReg(Rng &rng) { return static_cast<PReg>(pick(rng, 9)); }

/// A replacement register for an operand of `in`, mostly one its shape allows.
PReg regFor(Rng &rng, const Instr &in) {
  const bool save = in.op == Opcode::Push || in.op == Opcode::Pop || (in.op == Opcode::Lds && in.origin == Origin::Epilogue) ||
                    (in.op == Opcode::Sts && in.origin == Origin::Prologue);
  return save ? saveReg(rng) : dataReg(rng);
}

std::string where(const Function &f, Pos p) {
  return f.blocks[p.b].label + ":" + std::to_string(p.i) + " `" + mir::printInstr(f.blocks[p.b].instrs[p.i], f) + "`";
}

bool isParam(const Instr &in) { return in.op == Opcode::Param; }

/// Every instruction position (terminators and `param` included iff asked).
std::vector<Pos> positions(const Function &f, bool terminators, bool params) {
  std::vector<Pos> out;
  for (uint32_t b = 0; b < f.blocks.size(); ++b)
    for (uint32_t i = 0; i < f.blocks[b].instrs.size(); ++i) {
      const Instr &in = f.blocks[b].instrs[i];
      if ((!terminators && in.isTerminator()) || (!params && isParam(in))) continue;
      out.push_back({b, i});
    }
  return out;
}

/// A random place to insert before: after `param`, at or before the terminator.
Pos insertPoint(const Function &f, Rng &rng) {
  uint32_t b = pick(rng, f.blocks.size());
  const auto &code = f.blocks[b].instrs;
  uint32_t lo = !code.empty() && isParam(code[0]) ? 1 : 0;
  uint32_t hi = code.empty() ? 0 : static_cast<uint32_t>(code.size() - 1);
  if (lo > hi) lo = hi;
  return {b, lo + pick(rng, hi - lo + 1)};
}

/// The stack offsets the function mentions, and the frame size.
std::vector<uint32_t> stackOffsets(const Function &f) {
  std::set<uint32_t> s = {0, 4};
  uint32_t frame = 0;
  for (const auto &b : f.blocks)
    for (const Instr &in : b.instrs) {
      for (const Operand &o : in.defs)
        if (o.isStack()) s.insert(o.value);
      for (const Operand &o : in.uses)
        if (o.isStack()) s.insert(o.value);
      if (in.op == Opcode::AdjSp && in.origin == Origin::Prologue) frame += -static_cast<int32_t>(in.imm);
      if (in.op == Opcode::Push && in.origin == Origin::Prologue) frame += 4 * in.uses.size();
    }
  s.insert(frame);
  s.insert(frame + 4);
  return {s.begin(), s.end()};
}

uint32_t anyOffset(const Function &f, Rng &rng) {
  const std::vector<uint32_t> offs = stackOffsets(f);  // ascending; the last two are the frame size and one past
  if (offs.size() > 3 && chance(rng, 0.7)) return offs[pick(rng, offs.size() - 2)];
  return chance(rng, 0.7) ? oneOf(rng, offs) : 4 * pick(rng, 64);
}

Instr make(Opcode op, mir::OperandList defs, mir::OperandList uses, Origin o, uint32_t imm = 0) {
  return mir::makeInstr(op, std::move(defs), std::move(uses), o, imm);
}

/// Insert `seq` before position p; describe it.
std::string insertAt(Function &f, Pos p, const std::vector<Instr> &seq) {
  auto &code = f.blocks[p.b].instrs;
  code.insert(code.begin() + p.i, seq.begin(), seq.end());
  std::string d = "inserted at " + f.blocks[p.b].label + ":" + std::to_string(p.i) + " `";
  for (size_t k = 0; k < seq.size(); ++k) d += (k ? "; " : "") + mir::printInstr(seq[k], f);
  return d + "`";
}

bool canTrap(const Instr &in) {
  switch (in.op) {
  case Opcode::Load: case Opcode::Load64: case Opcode::Store: case Opcode::Store64:
  case Opcode::TrapIf: case Opcode::Trap: case Opcode::Call: return true;
  case Opcode::CallInd: return true;
  default: return false;
  }
}
bool touchesReserved(const Instr &in) {
  switch (in.op) {
  case Opcode::Load: case Opcode::Load64: case Opcode::Store: case Opcode::Store64: case Opcode::GGet:
  case Opcode::GSet: case Opcode::MemSize: case Opcode::Call: case Opcode::Ret: return true;
  case Opcode::CallInd: case Opcode::MemGrow: return true;
  default: return false;
  }
}

using Editor = std::function<std::optional<std::string>(Function &, Rng &)>;

std::optional<std::string> regOperand(Function &f, Rng &rng) {
  struct Site { Pos p; bool def; uint32_t k; };
  std::vector<Site> sites;
  for (Pos p : positions(f, true, true)) {
    const Instr &in = f.blocks[p.b].instrs[p.i];
    for (uint32_t k = 0; k < in.defs.size(); ++k)
      if (in.defs[k].isPReg() || in.defs[k].isVfp()) sites.push_back({p, true, k});
    for (uint32_t k = 0; k < in.uses.size(); ++k)
      if (in.uses[k].isPReg() || in.uses[k].isVfp()) sites.push_back({p, false, k});
  }
  if (sites.empty()) return std::nullopt;
  const Site s = oneOf(rng, sites);
  std::string before = where(f, s.p);
  Instr &in = f.blocks[s.p.b].instrs[s.p.i];
  Operand &o = s.def ? in.defs[s.k] : in.uses[s.k];
  if (o.isVfp()) {  // another register of the VFP file, of the same kind (S0-S31 / D0-D15)
    const uint32_t n = o.isSReg() ? mir::kNumSRegs : mir::kNumDRegs;
    const uint32_t v = (o.value + 1 + pick(rng, n - 1)) % n;
    o = o.isSReg() ? Operand::sreg(v) : Operand::dreg(v);
    return before + " -> `" + mir::printInstr(in, f) + "`";
  }
  PReg r = regFor(rng, in);
  if (r == o.preg()) r = static_cast<PReg>((static_cast<unsigned>(r) + 1) % 9);
  o = Operand::preg(r);
  return before + " -> `" + mir::printInstr(in, f) + "`";
}

std::optional<std::string> insertSimple(Function &f, Rng &rng, Opcode op) {
  Pos p = insertPoint(f, rng);
  Instr in;
  switch (op) {
  case Opcode::Mov: in = make(op, {Operand::preg(dataReg(rng))}, {Operand::preg(dataReg(rng))}, tagFor(rng, op)); break;
  case Opcode::MovI: in = make(op, {Operand::preg(dataReg(rng))}, {}, tagFor(rng, op), chance(rng, 0.5) ? pick(rng, 16) : static_cast<uint32_t>(rng())); break;
  case Opcode::Sts: in = make(op, {Operand::stack(anyOffset(f, rng))}, {}, tagFor(rng, op)); in.uses = {Operand::preg(regFor(rng, in))}; break;
  default: in = make(Opcode::Lds, {}, {Operand::stack(anyOffset(f, rng))}, tagFor(rng, Opcode::Lds)); in.defs = {Operand::preg(regFor(rng, in))}; break;
  }
  return insertAt(f, p, {in});
}

std::optional<std::string> insertPushPop(Function &f, Rng &rng) {
  Pos p = insertPoint(f, rng);
  Instr push = make(Opcode::Push, {}, {Operand::preg(saveReg(rng))}, tagFor(rng, Opcode::Push));
  Instr pop = make(Opcode::Pop, {Operand::preg(chance(rng, 0.5) ? push.uses[0].preg() : saveReg(rng))}, {}, tagFor(rng, Opcode::Pop));
  const unsigned shape = chance(rng, 0.6) ? 2 : pick(rng, 2);
  if (shape == 0) return insertAt(f, p, {push});
  if (shape == 1) return insertAt(f, p, {pop});
  const auto &code = f.blocks[p.b].instrs;
  const uint32_t later = p.i + pick(rng, code.size() - p.i);  // pop at or before the terminator
  std::string d = insertAt(f, {p.b, later}, {pop});
  return insertAt(f, p, {push}) + " and " + d;
}

std::optional<std::string> erase(Function &f, Rng &rng) {
  std::vector<Pos> all = positions(f, false, false), ins;
  for (Pos p : all) if (f.blocks[p.b].instrs[p.i].inserted()) ins.push_back(p);
  if (all.empty()) return std::nullopt;
  Pos p = !ins.empty() && chance(rng, 0.8) ? oneOf(rng, ins) : oneOf(rng, all);
  std::string d = "removed " + where(f, p);
  f.blocks[p.b].instrs.erase(f.blocks[p.b].instrs.begin() + p.i);
  return d;
}

std::optional<std::string> duplicate(Function &f, Rng &rng) {
  std::vector<Pos> all = positions(f, false, false), ins;
  for (Pos p : all) if (f.blocks[p.b].instrs[p.i].inserted()) ins.push_back(p);
  if (all.empty()) return std::nullopt;
  Pos p = !ins.empty() && chance(rng, 0.8) ? oneOf(rng, ins) : oneOf(rng, all);
  auto &code = f.blocks[p.b].instrs;
  const uint32_t to = p.i + 1 + (chance(rng, 0.5) ? 0 : pick(rng, code.size() - p.i - 1));
  std::string d = "copied " + where(f, p) + " to " + f.blocks[p.b].label + ":" + std::to_string(to);
  Instr copy = code[p.i];
  code.insert(code.begin() + to, copy);
  return d;
}

std::optional<std::string> stackOffset(Function &f, Rng &rng) {
  struct Site { Pos p; bool def; uint32_t k; };
  std::vector<Site> sites;
  for (Pos p : positions(f, true, true)) {
    const Instr &in = f.blocks[p.b].instrs[p.i];
    for (uint32_t k = 0; k < in.defs.size(); ++k) if (in.defs[k].isStack()) sites.push_back({p, true, k});
    for (uint32_t k = 0; k < in.uses.size(); ++k) if (in.uses[k].isStack()) sites.push_back({p, false, k});
  }
  if (sites.empty()) return std::nullopt;
  const Site s = oneOf(rng, sites);
  std::string before = where(f, s.p);
  Instr &in = f.blocks[s.p.b].instrs[s.p.i];
  Operand &o = s.def ? in.defs[s.k] : in.uses[s.k];
  static const std::vector<int32_t> deltas = {-8, -4, 4, 8, 12, 64, 2};
  uint32_t to = chance(rng, 0.7) ? o.value + static_cast<uint32_t>(oneOf(rng, deltas)) : anyOffset(f, rng);
  if (to == o.value) to += 4;
  o = Operand::stack(to);
  return before + " -> `" + mir::printInstr(in, f) + "`";
}

std::optional<std::string> frameSize(Function &f, Rng &rng) {
  std::vector<Pos> sites;
  for (Pos p : positions(f, false, false))
    if (f.blocks[p.b].instrs[p.i].op == Opcode::AdjSp) sites.push_back(p);
  if (sites.empty()) return std::nullopt;
  const Pos p = oneOf(rng, sites);
  const int32_t old = static_cast<int32_t>(f.blocks[p.b].instrs[p.i].imm);
  static const std::vector<int32_t> deltas = {-8, -4, 4, 8, -16, 16, -(1 << 24), -(300 << 10)};
  const int32_t now = old + oneOf(rng, deltas);
  std::string d = where(f, p) + " -> #" + std::to_string(now);
  if (chance(rng, 0.5)) {  // keep the frame balanced: every counterpart follows
    for (auto &b : f.blocks)
      for (Instr &in : b.instrs)
        if (in.op == Opcode::AdjSp && static_cast<int32_t>(in.imm) == -old) in.imm = static_cast<uint32_t>(-now);
    d += " (and its counterparts)";
  }
  f.blocks[p.b].instrs[p.i].imm = static_cast<uint32_t>(now);
  return d;
}

std::optional<std::string> retag(Function &f, Rng &rng) {
  std::vector<Pos> all = positions(f, true, true);
  const Pos p = oneOf(rng, all);
  std::string before = where(f, p);
  Instr &in = f.blocks[p.b].instrs[p.i];
  Origin o = chance(rng, 0.5) ? tagFor(rng, in.op) : anyOrigin(rng);
  if (o == in.origin) o = static_cast<Origin>((static_cast<unsigned>(o) + 1) % 10);
  in.origin = o;
  return before + " -> `" + mir::printInstr(in, f) + "`";
}

std::optional<std::string> reorder(Function &f, Rng &rng) {
  std::vector<Pos> all = positions(f, false, false), pairs, mixed;
  for (Pos p : all) {
    const auto &code = f.blocks[p.b].instrs;
    if (p.i + 1 >= code.size() || code[p.i + 1].isTerminator()) continue;
    pairs.push_back(p);
    if (code[p.i].inserted() || code[p.i + 1].inserted()) mixed.push_back(p);
  }
  if (pairs.empty()) return std::nullopt;
  // Mostly an inserted instruction moves past a neighbour (originals keep their order).
  const Pos p = !mixed.empty() && chance(rng, 0.8) ? oneOf(rng, mixed) : oneOf(rng, pairs);
  auto &code = f.blocks[p.b].instrs;
  uint32_t q = p.i + 1;
  if (chance(rng, 0.3)) {
    const uint32_t last = static_cast<uint32_t>(code.size() - 2);  // before the terminator
    q = p.i + 1 + pick(rng, last - p.i);
  }
  std::string d = "swapped " + where(f, p) + " and " + where(f, {p.b, q});
  std::swap(code[p.i], code[q]);
  return d;
}

std::optional<std::string> branchTarget(Function &f, Rng &rng) {
  std::vector<Pos> sites;
  for (Pos p : positions(f, true, false))
    if (!f.blocks[p.b].instrs[p.i].targets.empty()) sites.push_back(p);
  if (sites.empty() || f.blocks.size() < 2) return std::nullopt;
  const Pos p = oneOf(rng, sites);
  std::string before = where(f, p);
  Instr &in = f.blocks[p.b].instrs[p.i];
  mir::BlockId &t = in.targets[pick(rng, in.targets.size())];
  const mir::BlockId old = t;
  t = pick(rng, f.blocks.size());
  if (t == old) t = (t + 1) % static_cast<mir::BlockId>(f.blocks.size());
  return before + " -> `" + mir::printInstr(in, f) + "`";
}

std::optional<std::string> immediate(Function &f, Rng &rng) {
  std::vector<Pos> sites;
  for (Pos p : positions(f, false, false)) {
    const Opcode op = f.blocks[p.b].instrs[p.i].op;
    if (op == Opcode::MovI || op == Opcode::Load || op == Opcode::Store || op == Opcode::GGet || op == Opcode::GSet)
      sites.push_back(p);
  }
  if (sites.empty()) return std::nullopt;
  const Pos p = oneOf(rng, sites);
  std::string before = where(f, p);
  Instr &in = f.blocks[p.b].instrs[p.i];
  in.imm += chance(rng, 0.5) ? 1 : (chance(rng, 0.5) ? 4 : static_cast<uint32_t>(rng()));
  return before + " -> `" + mir::printInstr(in, f) + "`";
}

/// The value operand of a store/gset that precedes a possible trap in its block.
std::optional<std::string> valueBeforeTrap(Function &f, Rng &rng, bool gset) {
  struct Site { Pos p; uint32_t k; };
  std::vector<Site> sites;
  for (uint32_t b = 0; b < f.blocks.size(); ++b) {
    const auto &code = f.blocks[b].instrs;
    for (uint32_t i = 0; i < code.size(); ++i) {
      const Opcode op = code[i].op;
      const bool ok = gset ? op == Opcode::GSet : (op == Opcode::Store || op == Opcode::Store64);
      if (!ok) continue;
      bool trapLater = false;
      for (uint32_t j = i + 1; j < code.size() && !trapLater; ++j) trapLater = canTrap(code[j]);
      if (!trapLater) continue;
      const uint32_t n = op == Opcode::Store64 ? 2 : 1;
      for (uint32_t k = 0; k < n; ++k)
        if (code[i].uses[k].isPReg()) sites.push_back({{b, i}, k});
    }
  }
  if (sites.empty()) return std::nullopt;
  const Site s = oneOf(rng, sites);
  std::string before = where(f, s.p);
  Instr &in = f.blocks[s.p.b].instrs[s.p.i];
  PReg r = dataReg(rng);
  if (r == in.uses[s.k].preg()) r = static_cast<PReg>((static_cast<unsigned>(r) + 1) % 9);
  in.uses[s.k] = Operand::preg(r);
  return before + " -> `" + mir::printInstr(in, f) + "`";
}

/// Reload a frame word the model has dropped, store to it, reload it again,
/// and feed both reloads to one original instruction (best: one whose two
/// uses are the same register, like `sub r0, r1, r1`).
std::optional<std::string> forgottenFrameWord(Function &f, Rng &rng) {
  std::vector<Pos> same, any;
  for (Pos p : positions(f, false, false)) {
    const Instr &in = f.blocks[p.b].instrs[p.i];
    if (in.inserted() || in.uses.size() < 2 || !in.uses[0].isPReg() || !in.uses[1].isPReg()) continue;
    if (mir::isCall(in.op) || in.op == Opcode::Store || in.op == Opcode::Store64) continue;
    (in.uses[0] == in.uses[1] ? same : any).push_back(p);
  }
  if (same.empty() && any.empty()) return std::nullopt;
  const Pos p = !same.empty() && (any.empty() || chance(rng, 0.85)) ? oneOf(rng, same) : oneOf(rng, any);
  Instr &target = f.blocks[p.b].instrs[p.i];
  // Two pool registers for the reloads: the def (dead before it) and the used
  // register or any other (dead or not: the checker must tell).
  const PReg a = !target.defs.empty() && target.defs[0].isPReg() && chance(rng, 0.7) ? target.defs[0].preg() : poolReg(rng);
  PReg c = chance(rng, 0.5) ? target.uses[0].preg() : poolReg(rng);
  if (c == a) c = static_cast<PReg>((static_cast<unsigned>(a) + 1) % 9);
  PReg w = poolReg(rng);
  const bool viaPop = chance(rng, 0.5);
  const uint32_t n = viaPop ? 4 : 8;
  auto adj = [&](int32_t by) { return make(Opcode::AdjSp, {}, {}, by < 0 ? okTag(rng, Opcode::AdjSp) : okTag(rng, Opcode::AdjSp), static_cast<uint32_t>(by)); };
  std::vector<Instr> seq;
  if (viaPop) {  // `push w; pop w` leaves the word below SP, dropped
    const PReg s = saveReg(rng);
    seq.push_back(make(Opcode::Push, {}, {Operand::preg(s)}, okTag(rng, Opcode::Push)));
    seq.push_back(make(Opcode::Pop, {Operand::preg(s)}, {}, okTag(rng, Opcode::Pop)));
    if (w == s) w = static_cast<PReg>((static_cast<unsigned>(s) + 1) % 9);
  }
  seq.push_back(adj(-static_cast<int32_t>(n)));
  seq.push_back(make(Opcode::Lds, {Operand::preg(a)}, {Operand::stack(0)}, okTag(rng, Opcode::Lds)));
  seq.push_back(make(Opcode::Sts, {Operand::stack(0)}, {Operand::preg(w)}, okTag(rng, Opcode::Sts)));
  seq.push_back(adj(static_cast<int32_t>(n)));
  seq.push_back(adj(-static_cast<int32_t>(n)));
  seq.push_back(make(Opcode::Lds, {Operand::preg(c)}, {Operand::stack(0)}, okTag(rng, Opcode::Lds)));
  seq.push_back(adj(static_cast<int32_t>(n)));
  std::string before = where(f, p);
  target.uses[0] = Operand::preg(a);
  target.uses[1] = Operand::preg(c);
  const std::string d = " -> `" + mir::printInstr(target, f) + "`";
  return insertAt(f, p, seq) + "; " + before + d;
}

/// R9/R10/R11 written just before something that relies on them: alone, or
/// saved before and restored after the access (so the return sees them intact).
std::optional<std::string> reservedClobber(Function &f, Rng &rng) {
  std::vector<Pos> sites, noCall;
  for (Pos p : positions(f, true, false)) {
    const Instr &in = f.blocks[p.b].instrs[p.i];
    if (!touchesReserved(in)) continue;
    sites.push_back(p);
    if (!mir::isCall(in.op) && !in.isTerminator()) noCall.push_back(p);
  }
  if (sites.empty()) return std::nullopt;
  const bool restore = !noCall.empty() && chance(rng, 0.6);
  const Pos p = restore ? oneOf(rng, noCall) : oneOf(rng, sites);
  const PReg r = reservedReg(rng);
  PReg junk = poolReg(rng);
  const Instr save = make(Opcode::Push, {}, {Operand::preg(r)}, Origin::Prologue);
  std::vector<Instr> seq;
  if (restore) seq.push_back(save);
  switch (pick(rng, 3)) {
  case 0:  // `push junk; pop r`
    seq.push_back(make(Opcode::Push, {}, {Operand::preg(junk)}, okTag(rng, Opcode::Push)));
    seq.push_back(make(Opcode::Pop, {Operand::preg(r)}, {}, Origin::Epilogue));
    break;
  case 1:  // `push junk; lds r, [sp+0]; adjsp #4`
    seq.push_back(make(Opcode::Push, {}, {Operand::preg(junk)}, okTag(rng, Opcode::Push)));
    seq.push_back(make(Opcode::Lds, {Operand::preg(r)}, {Operand::stack(0)}, Origin::Epilogue));
    seq.push_back(make(Opcode::AdjSp, {}, {}, Origin::Epilogue, 4));
    break;
  default:  // `movi r, #k` (outside the structure rules: must be rejected)
    seq.push_back(make(Opcode::MovI, {Operand::preg(r)}, {}, okTag(rng, Opcode::MovI), pick(rng, 2) ? 0 : static_cast<uint32_t>(rng())));
    break;
  }
  std::string d = insertAt(f, p, seq);
  if (restore) {
    const Pos after{p.b, p.i + static_cast<uint32_t>(seq.size()) + 1};
    d += " and " + insertAt(f, after, {make(Opcode::Pop, {Operand::preg(r)}, {}, Origin::Epilogue)});
  }
  return d;
}

std::optional<std::string> hugeFrame(Function &f, Rng &rng) {
  const Pos p = insertPoint(f, rng);
  static const std::vector<uint32_t> sizes = {1u << 24, 300u << 10, 1u << 20, 256u << 10};
  const uint32_t n = oneOf(rng, sizes);
  std::vector<Instr> seq = {make(Opcode::AdjSp, {}, {}, okTag(rng, Opcode::AdjSp), static_cast<uint32_t>(-static_cast<int32_t>(n))),
                            make(Opcode::Sts, {Operand::stack(chance(rng, 0.5) ? 0 : n - 4)}, {Operand::preg(poolReg(rng))}, okTag(rng, Opcode::Sts)),
                            make(Opcode::AdjSp, {}, {}, okTag(rng, Opcode::AdjSp), n)};
  return insertAt(f, p, seq);
}

/// One or two callee-saved registers the function never writes (R4-R8, or
/// S16-S31 in code that uses VFP) pushed at entry and dropped with `adjsp`
/// before every return instead of popped. Correct in itself (the values
/// are never changed), it must be proved and run the same: the emitter may
/// take a register for scratch only where a pop restores it (session 21:
/// it took any pushed one, and a caller's s16 came back changed).
std::optional<std::string> droppedSave(Function &f, Rng &rng) {
  uint32_t written = 0, writtenS = 0;
  for (const auto &b : f.blocks)
    for (const Instr &in : b.instrs) {
      for (const Operand &o : in.defs) {
        if (o.isPReg() && o.value < mir::kNumPRegs) written |= 1u << o.value;
        for (uint32_t sr : mir::sregsOf(o)) writtenS |= 1u << sr;
      }
      if (in.op == Opcode::Push)  // a register saved already (pushed twice would be another shape)
        for (const Operand &o : in.uses) {
          if (o.isPReg() && o.value < mir::kNumPRegs) written |= 1u << o.value;
          for (uint32_t sr : mir::sregsOf(o)) writtenS |= 1u << sr;
        }
    }
  std::vector<Operand> free;
  if (mir::usesVfp(f) && chance(rng, 0.5)) {
    for (uint32_t sr = 16; sr < mir::kNumSRegs; ++sr)
      if (!(writtenS >> sr & 1)) free.push_back(Operand::sreg(sr));
  } else {
    for (uint32_t r = 4; r <= 8; ++r)
      if (!(written >> r & 1)) free.push_back(Operand::preg(static_cast<PReg>(r)));
  }
  if (free.empty() || f.blocks.empty()) return std::nullopt;
  const size_t first = pick(rng, free.size());
  mir::OperandList regs{free[first]};
  if (first + 1 < free.size() && chance(rng, 0.5)) regs.push_back(free[first + 1]);  // ascending, as push lists are
  const auto bytes = static_cast<uint32_t>(4 * regs.size());
  for (auto &b : f.blocks)
    for (size_t i = b.instrs.size(); i-- > 0;)
      if (b.instrs[i].op == Opcode::Ret)
        b.instrs.insert(b.instrs.begin() + static_cast<std::ptrdiff_t>(i),
                        make(Opcode::AdjSp, {}, {}, Origin::Epilogue, bytes));
  const auto &entry = f.blocks[0].instrs;
  const uint32_t at = !entry.empty() && isParam(entry[0]) ? 1 : 0;
  return insertAt(f, {0, at}, {make(Opcode::Push, {}, regs, Origin::Prologue)}) + ", and `adjsp #" +
         std::to_string(bytes) + "` before every ret";
}

std::optional<std::string> apply(EditKind k, Function &f, Rng &rng) {
  switch (k) {
  case EditKind::RegOperand: return regOperand(f, rng);
  case EditKind::InsertMove: return insertSimple(f, rng, Opcode::Mov);
  case EditKind::InsertMovI: return insertSimple(f, rng, Opcode::MovI);
  case EditKind::InsertSpill: return insertSimple(f, rng, Opcode::Sts);
  case EditKind::InsertReload: return insertSimple(f, rng, Opcode::Lds);
  case EditKind::InsertPushPop: return insertPushPop(f, rng);
  case EditKind::Delete: return erase(f, rng);
  case EditKind::Duplicate: return duplicate(f, rng);
  case EditKind::StackOffset: return stackOffset(f, rng);
  case EditKind::FrameSize: return frameSize(f, rng);
  case EditKind::Retag: return retag(f, rng);
  case EditKind::Reorder: return reorder(f, rng);
  case EditKind::BranchTarget: return branchTarget(f, rng);
  case EditKind::Immediate: return immediate(f, rng);
  case EditKind::StoreBeforeTrap: return valueBeforeTrap(f, rng, false);
  case EditKind::GsetBeforeTrap: return valueBeforeTrap(f, rng, true);
  case EditKind::ForgottenFrameWord: return forgottenFrameWord(f, rng);
  case EditKind::ReservedClobber: return reservedClobber(f, rng);
  case EditKind::HugeFrame: return hugeFrame(f, rng);
  case EditKind::DroppedSave: return droppedSave(f, rng);
  }
  return std::nullopt;
}

}  // namespace

std::string_view editKindName(EditKind k) {
  static constexpr std::string_view kNames[kNumEditKinds] = {
      "RegOperand", "InsertMove", "InsertMovI", "InsertSpill", "InsertReload", "InsertPushPop",
      "Delete", "Duplicate", "StackOffset", "FrameSize", "Retag", "Reorder", "BranchTarget",
      "Immediate", "StoreBeforeTrap", "GsetBeforeTrap", "ForgottenFrameWord", "ReservedClobber",
      "HugeFrame", "DroppedSave"};
  const auto i = static_cast<unsigned>(k);
  return i < kNumEditKinds ? kNames[i] : "?";
}

std::optional<EditKind> editKindFromName(std::string_view name) {
  for (unsigned k = 0; k < kNumEditKinds; ++k)
    if (editKindName(static_cast<EditKind>(k)) == name) return static_cast<EditKind>(k);
  return std::nullopt;
}

std::string FuzzMutant::describe() const {
  std::string s;
  for (const Edit &e : edits) s += (s.empty() ? "[" : "; [") + std::string(editKindName(e.kind)) + "] " + e.description;
  return s;
}

std::optional<FuzzMutant> makeMutantOf(const Function &allocated, const std::vector<EditKind> &kinds, uint64_t seed) {
  Rng rng(seed * 0x9e3779b97f4a7c15ull + 0x1234567ull);
  FuzzMutant m;
  m.function = allocated;
  for (EditKind k : kinds)
    if (auto d = apply(k, m.function, rng)) m.edits.push_back({k, *d});
  if (m.edits.empty()) return std::nullopt;
  return m;
}

std::optional<FuzzMutant> makeMutant(const Function &allocated, uint64_t seed) {
  Rng rng(seed * 0xbf58476d1ce4e5b9ull + 0x9e3779b9ull);
  static const std::vector<unsigned> sizes = {1, 1, 1, 1, 2, 2, 2, 3, 3, 4};  // 40% single, 60% multi
  const unsigned n = oneOf(rng, sizes);
  FuzzMutant m;
  m.function = allocated;
  for (unsigned tries = 0; m.edits.size() < n && tries < 8 * n; ++tries) {
    const auto k = static_cast<EditKind>(pick(rng, kNumEditKinds));
    if (auto d = apply(k, m.function, rng)) m.edits.push_back({k, *d});
  }
  if (m.edits.empty()) return std::nullopt;
  return m;
}

}  // namespace vcr::tools::fuzz
