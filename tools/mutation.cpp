// Mutation harness for the checker: fault injection into allocated MIR (the differential is core/ir/diff.h).
#include "tools/mutation.h"

#include "core/ir/text.h"
#include "tools/mutation_sites.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <random>
#include <set>

namespace vcr::tools {

using mir::Function;
using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::Origin;
using mir::PReg;

namespace {

using detail::at;
using detail::editSite;
using detail::Site;

Site eraseSite(uint32_t b, uint32_t i) {
  return [=](Function &f) {
    std::string before = at(f, b, i);
    f.blocks[b].instrs.erase(f.blocks[b].instrs.begin() + i);
    return "removed " + before;
  };
}

bool isReg(const Operand &o, PReg r) { return o.isPReg() && o.preg() == r; }
bool defines(const Instr &in, PReg r) {
  return std::any_of(in.defs.begin(), in.defs.end(), [&](const Operand &o) { return isReg(o, r); });
}
bool isReload(const Instr &in) { return in.op == Opcode::Lds && in.origin == Origin::Reload; }
bool isSpill(const Instr &in) { return in.op == Opcode::Sts && in.origin == Origin::Spill; }
PReg reg(unsigned n) { return static_cast<PReg>(n); }

/// Bytes the prologue reserves: pushed registers plus the `adjsp` amount.
uint32_t frameBytes(const Function &f) {
  uint32_t n = 0;
  for (const auto &b : f.blocks)
    for (const Instr &in : b.instrs) {
      if (in.origin != Origin::Prologue) continue;
      if (in.op == Opcode::Push) n += 4 * static_cast<uint32_t>(in.uses.size());
      if (in.op == Opcode::AdjSp) n += static_cast<uint32_t>(-static_cast<int32_t>(in.imm));
    }
  return n;
}

/// Distinct stack offsets of spill stores and reloads.
std::vector<uint32_t> slotOffsets(const Function &f) {
  std::set<uint32_t> s;
  for (const auto &b : f.blocks)
    for (const Instr &in : b.instrs) {
      if (isSpill(in)) s.insert(in.defs[0].value);
      if (isReload(in)) s.insert(in.uses[0].value);
    }
  return {s.begin(), s.end()};
}

/// Last instruction before `end` in block `b` that defines `r`, if any.
std::optional<uint32_t> lastWriter(const Function &f, uint32_t b, uint32_t end, PReg r) {
  for (uint32_t j = end; j-- > 0;) {
    const Instr &in = f.blocks[b].instrs[j];
    if (defines(in, r)) return j;
  }
  return std::nullopt;
}

void swapRegsAtUse(const Function &f, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b)
    for (uint32_t i = 0; i < f.blocks[b].instrs.size(); ++i) {
      const Instr &in = f.blocks[b].instrs[i];
      if (in.inserted() || in.op == Opcode::Param || mir::isCall(in.op) || in.op == Opcode::Ret) continue;
      for (size_t x = 0; x < in.uses.size(); ++x)
        for (size_t y = x + 1; y < in.uses.size(); ++y)
          if (in.uses[x].isPReg() && in.uses[y].isPReg() && in.uses[x] != in.uses[y]) {
            out.push_back(editSite(b, i, [x, y](Instr &m) { std::swap(m.uses[x], m.uses[y]); }));
            x = y = in.uses.size();  // one site per instruction
          }
    }
}

void dropOrigin(const Function &f, bool reloads, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b)
    for (uint32_t i = 0; i < f.blocks[b].instrs.size(); ++i) {
      const Instr &in = f.blocks[b].instrs[i];
      if (reloads ? isReload(in) : isSpill(in)) out.push_back(eraseSite(b, i));
    }
}

void reloadWrongSlot(const Function &f, std::vector<Site> &out) {
  const std::vector<uint32_t> slots = slotOffsets(f);
  const uint32_t frame = frameBytes(f);
  for (uint32_t b = 0; b < f.blocks.size(); ++b)
    for (uint32_t i = 0; i < f.blocks[b].instrs.size(); ++i) {
      const Instr &in = f.blocks[b].instrs[i];
      if (!isReload(in)) continue;
      uint32_t off = in.uses[0].value, to = off + 4;
      for (uint32_t s : slots)
        if (s != off) to = s;
      if (to == off + 4 && to + 4 > frame) continue;  // no other word inside the frame
      out.push_back(editSite(b, i, [to](Instr &m) { m.uses[0] = Operand::stack(to); }));
    }
}

void spillIntoLiveSlot(const Function &f, std::vector<Site> &out) {
  const std::vector<uint32_t> slots = slotOffsets(f);
  for (uint32_t b = 0; b < f.blocks.size(); ++b) {
    const auto &code = f.blocks[b].instrs;
    for (uint32_t i = 0; i < code.size(); ++i) {
      if (!isSpill(code[i])) continue;
      const uint32_t off = code[i].defs[0].value;
      // Prefer a slot reloaded later in this block before being rewritten: it is live here.
      std::optional<uint32_t> to;
      std::set<uint32_t> written;
      for (uint32_t j = i + 1; j < code.size() && !to; ++j) {
        if (isSpill(code[j])) written.insert(code[j].defs[0].value);
        if (isReload(code[j]) && code[j].uses[0].value != off && !written.count(code[j].uses[0].value))
          to = code[j].uses[0].value;
      }
      for (uint32_t s : slots)
        if (!to && s != off) to = s;
      if (!to) continue;
      out.push_back(editSite(b, i, [t = *to](Instr &m) { m.defs[0] = Operand::stack(t); }));
    }
  }
}

void reverseMove(const Function &f, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b)
    for (uint32_t i = 0; i < f.blocks[b].instrs.size(); ++i) {
      const Instr &in = f.blocks[b].instrs[i];
      if (in.op == Opcode::Mov && in.defs[0].isPReg() && in.uses[0].isPReg() && in.defs[0] != in.uses[0])
        out.push_back(editSite(b, i, [](Instr &m) { std::swap(m.defs[0], m.uses[0]); }));
    }
}

void clobberCalleeSaved(const Function &f, std::vector<Site> &out) {
  // Variant 1: a saved register disappears from the prologue push and every epilogue pop.
  std::set<unsigned> saved;
  for (const auto &b : f.blocks)
    for (const Instr &in : b.instrs)
      if (in.op == Opcode::Push && in.origin == Origin::Prologue)
        for (const Operand &o : in.uses)
          if (o.isPReg() && o.preg() >= PReg::R4 && o.preg() <= PReg::R11) saved.insert(o.value);
  for (unsigned r : saved)
    out.push_back([r](Function &g) {
      auto drop = [r](mir::OperandList &ops) {
        ops.erase(std::remove(ops.begin(), ops.end(), Operand::preg(reg(r))), ops.end());
      };
      for (auto &b : g.blocks)
        for (Instr &in : b.instrs) {
          if (in.op == Opcode::Push && in.origin == Origin::Prologue) drop(in.uses);
          if (in.op == Opcode::Pop && in.origin == Origin::Epilogue) drop(in.defs);
        }
      return "removed " + std::string(mir::pregName(reg(r))) + " from the prologue push and epilogue pops";
    });
  // Variant 2: a `movi` into R4-R8 just before a return (after any restore).
  for (uint32_t b = 0; b < f.blocks.size(); ++b) {
    const auto &code = f.blocks[b].instrs;
    if (code.empty() || code.back().op != Opcode::Ret) continue;
    for (unsigned r = 4; r <= 8; ++r)
      out.push_back([b, r](Function &g) {
        Instr m;
        m.op = Opcode::MovI;
        m.origin = Origin::Remat;
        m.imm = 0x5a5a5a00u | r;
        m.defs = {Operand::preg(reg(r))};
        auto &c = g.blocks[b].instrs;
        c.insert(c.end() - 1, m);
        return "inserted " + at(g, b, static_cast<uint32_t>(c.size() - 2)) + " before the return";
      });
  }
}

void readCallerSavedAfterCall(const Function &f, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b) {
    const auto &code = f.blocks[b].instrs;
    for (uint32_t c = 0; c < code.size(); ++c) {
      if (!mir::isCall(code[c].op)) continue;
      unsigned found = 0;
      for (uint32_t j = c + 1; j < code.size() && found < 2; ++j) {
        const Instr &in = code[j];
        if (mir::isCall(in.op)) break;
        if (in.op == Opcode::Push || in.op == Opcode::Pop) continue;
        for (size_t u = 0; u < in.uses.size(); ++u) {
          if (!in.uses[u].isPReg() || in.uses[u].preg() > PReg::R12) continue;
          std::optional<PReg> to;
          for (unsigned r = 0; r <= 3 && !to; ++r) {
            bool ok = in.uses[u].preg() != reg(r) && !defines(code[c], reg(r));
            for (uint32_t k = c + 1; k < j && ok; ++k) ok = !defines(code[k], reg(r));
            if (ok) to = reg(r);
          }
          if (!to) continue;
          out.push_back(editSite(b, j, [u, t = *to](Instr &m) { m.uses[u] = Operand::preg(t); }));
          ++found;
          break;
        }
      }
    }
  }
}

void wrongCallArgReg(const Function &f, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b) {
    const auto &code = f.blocks[b].instrs;
    for (uint32_t c = 0; c < code.size(); ++c) {
      if (!mir::isCall(code[c].op)) continue;
      std::vector<PReg> args;
      for (const Operand &o : code[c].uses)
        if (o.isPReg() && o.preg() <= PReg::R3) args.push_back(o.preg());
      for (PReg a : args) {
        auto w = lastWriter(f, b, c, a);
        if (!w || mir::isCall(code[*w].op) || code[*w].op == Opcode::Pop) continue;
        PReg to = reg((static_cast<unsigned>(a) + 1) % 4);
        for (PReg o : args)
          if (o != a) to = o;
        out.push_back(editSite(b, *w, [a, to](Instr &m) {
          for (Operand &d : m.defs)
            if (isReg(d, a)) d = Operand::preg(to);
        }));
      }
    }
  }
}

bool definesPair(Opcode op) {
  return op == Opcode::UMull || op == Opcode::SMull || op == Opcode::Load64 ||
         (op >= Opcode::Add64 && op <= Opcode::Rotr64);
}
bool usesPair(Opcode op) {
  return op == Opcode::Store64 || op == Opcode::Set64 || (op >= Opcode::Add64 && op <= Opcode::Rotr64);
}

void swapI64Halves(const Function &f, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b) {
    const auto &code = f.blocks[b].instrs;
    for (uint32_t i = 0; i < code.size(); ++i) {
      const Instr &in = code[i];
      if (in.inserted()) continue;
      if (definesPair(in.op) && in.defs.size() == 2 && in.defs[0] != in.defs[1])
        out.push_back(editSite(b, i, [](Instr &m) { std::swap(m.defs[0], m.defs[1]); }));
      else if (usesPair(in.op) && in.uses.size() >= 2 && in.uses[0] != in.uses[1])
        out.push_back(editSite(b, i, [](Instr &m) { std::swap(m.uses[0], m.uses[1]); }));
    }
    // The returned pair: the writers of R0 and R1 swap their destinations.
    if (!code.empty() && code.back().op == Opcode::Ret && code.back().uses.size() == 2) {
      uint32_t end = static_cast<uint32_t>(code.size() - 1);
      auto w0 = lastWriter(f, b, end, PReg::R0), w1 = lastWriter(f, b, end, PReg::R1);
      if (w0 && w1 && *w0 != *w1 && !mir::isCall(code[*w0].op) && !mir::isCall(code[*w1].op))
        out.push_back([b, x = *w0, y = *w1](Function &g) {
          std::string d = "swapped the returned halves: " + at(g, b, x) + " and " + at(g, b, y);
          for (Operand &o : g.blocks[b].instrs[x].defs)
            if (isReg(o, PReg::R0)) o = Operand::preg(PReg::R1);
          for (Operand &o : g.blocks[b].instrs[y].defs)
            if (isReg(o, PReg::R1)) o = Operand::preg(PReg::R0);
          return d;
        });
    }
  }
}

void wrongReturnRegister(const Function &f, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b) {
    const auto &code = f.blocks[b].instrs;
    if (code.empty() || code.back().op != Opcode::Ret || code.back().uses.empty()) continue;
    const uint32_t end = static_cast<uint32_t>(code.size() - 1);
    const PReg to = code.back().uses.size() == 2 ? PReg::R2 : PReg::R1;
    auto w = lastWriter(f, b, end, PReg::R0);
    if (w && !mir::isCall(code[*w].op) && code[*w].op != Opcode::Pop)
      out.push_back(editSite(b, *w, [to](Instr &m) {
        for (Operand &d : m.defs)
          if (isReg(d, PReg::R0)) d = Operand::preg(to);
      }));
    else  // the value is already in place: name the wrong register at the return
      out.push_back(editSite(b, end, [to](Instr &m) { m.uses[0] = Operand::preg(to); }));
  }
}

void wrongRematConstant(const Function &f, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b)
    for (uint32_t i = 0; i < f.blocks[b].instrs.size(); ++i) {
      const Instr &in = f.blocks[b].instrs[i];
      if (in.op == Opcode::MovI && in.origin == Origin::Remat)
        out.push_back(editSite(b, i, [](Instr &m) { m.imm += 1; }));
    }
}

void stackOutsideFrame(const Function &f, std::vector<Site> &out) {
  uint32_t maxOff = 0;
  for (const auto &b : f.blocks)
    for (const Instr &in : b.instrs) {
      for (const Operand &o : in.defs)
        if (o.isStack()) maxOff = std::max(maxOff, o.value);
      for (const Operand &o : in.uses)
        if (o.isStack()) maxOff = std::max(maxOff, o.value);
    }
  const uint32_t beyond = ((std::max(maxOff, frameBytes(f)) + 64) & ~3u);
  for (uint32_t b = 0; b < f.blocks.size(); ++b)
    for (uint32_t i = 0; i < f.blocks[b].instrs.size(); ++i) {
      const Instr &in = f.blocks[b].instrs[i];
      if (in.op == Opcode::Lds)
        out.push_back(editSite(b, i, [beyond](Instr &m) { m.uses[0] = Operand::stack(beyond); }));
      else if (in.op == Opcode::Sts)
        out.push_back(editSite(b, i, [beyond](Instr &m) { m.defs[0] = Operand::stack(beyond); }));
    }
}

std::vector<Site> sitesOf(const Function &f, MutationClass c) {
  std::vector<Site> s;
  switch (c) {
  case MutationClass::SwapRegsAtUse: swapRegsAtUse(f, s); break;
  case MutationClass::DropReload: dropOrigin(f, true, s); break;
  case MutationClass::ReloadWrongSlot: reloadWrongSlot(f, s); break;
  case MutationClass::DropSpillStore: dropOrigin(f, false, s); break;
  case MutationClass::SpillIntoLiveSlot: spillIntoLiveSlot(f, s); break;
  case MutationClass::ReverseMove: reverseMove(f, s); break;
  case MutationClass::ClobberCalleeSaved: clobberCalleeSaved(f, s); break;
  case MutationClass::ReadCallerSavedAfterCall: readCallerSavedAfterCall(f, s); break;
  case MutationClass::WrongCallArgReg: wrongCallArgReg(f, s); break;
  case MutationClass::SwapI64Halves: swapI64Halves(f, s); break;
  case MutationClass::WrongReturnRegister: wrongReturnRegister(f, s); break;
  case MutationClass::WrongRematConstant: wrongRematConstant(f, s); break;
  case MutationClass::StackOutsideFrame: stackOutsideFrame(f, s); break;
  default: detail::vfpSites(f, c, s); break;
  }
  return s;
}

}  // namespace

std::array<MutationClass, kNumMutationClasses> allMutationClasses() {
  std::array<MutationClass, kNumMutationClasses> a{};
  for (unsigned i = 0; i < kNumMutationClasses; ++i) a[i] = static_cast<MutationClass>(i);
  return a;
}

std::string_view mutationClassName(MutationClass c) {
  static constexpr std::string_view kNames[kNumMutationClasses] = {
      "SwapRegsAtUse",      "DropReload",        "ReloadWrongSlot",
      "DropSpillStore",     "SpillIntoLiveSlot", "ReverseMove",
      "ClobberCalleeSaved", "ReadCallerSavedAfterCall", "WrongCallArgReg",
      "SwapI64Halves",      "WrongReturnRegister", "WrongRematConstant",
      "StackOutsideFrame",  "VfpWrongSReg",      "VfpDOverLiveS",
      "VfpReadCallerSavedAfterCall", "VfpMissingVPush", "VfpWrongFloatArg"};
  auto i = static_cast<unsigned>(c);
  return i < kNumMutationClasses ? kNames[i] : "?";
}

std::vector<Mutant> mutate(const Function &allocated, MutationClass c, uint64_t seed, unsigned maxMutants) {
  std::vector<Site> sites = sitesOf(allocated, c);
  if (sites.size() > maxMutants) {
    std::mt19937_64 rng(seed ^ (static_cast<uint64_t>(c) * 0x9e3779b97f4a7c15ull));
    std::shuffle(sites.begin(), sites.end(), rng);
    sites.resize(maxMutants);
  }
  std::vector<Mutant> out;
  for (const Site &s : sites) {
    Mutant m;
    m.cls = c;
    m.function = allocated;
    m.description = s(m.function);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace vcr::tools
