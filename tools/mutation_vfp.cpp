// The VFP mutation classes (docs/vfp.md): faults in the S/D registers of code allocated for cortex-m4f/m7.
#include "tools/mutation_sites.h"

#include <algorithm>
#include <optional>

namespace vcr::tools::detail {

namespace {

using mir::Function;
using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::Origin;

/// The S registers an operand covers, as a mask (a D register: both halves).
uint32_t maskOf(const Operand &o) {
  uint32_t m = 0;
  for (uint32_t s : mir::sregsOf(o)) m |= 1u << s;
  return m;
}
uint32_t reads(const Instr &in) {
  uint32_t m = 0;
  for (const Operand &o : in.uses) m |= maskOf(o);
  return m;
}
/// What an instruction writes; a call clobbers S0-S15 (AAPCS-VFP).
uint32_t writes(const Instr &in) {
  uint32_t m = mir::isCall(in.op) ? 0xffffu : 0;
  for (const Operand &o : in.defs) m |= maskOf(o);
  return m;
}
/// S registers read from instruction `from` on in block b before being written there.
uint32_t liveFrom(const Function &f, uint32_t b, uint32_t from) {
  uint32_t live = 0, dead = 0;
  const auto &code = f.blocks[b].instrs;
  for (uint32_t j = from; j < code.size(); ++j) {
    live |= reads(code[j]) & ~dead;
    dead |= writes(code[j]);
  }
  return live;
}
/// The same kind of register as `o` (S or D) numbered n.
Operand like(const Operand &o, uint32_t n) { return o.isDReg() ? Operand::dreg(n) : Operand::sreg(n); }

void wrongSReg(const Function &f, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b)
    for (uint32_t i = 0; i < f.blocks[b].instrs.size(); ++i) {
      const Instr &in = f.blocks[b].instrs[i];
      if (in.inserted() || in.op == Opcode::Param || mir::isCall(in.op) || in.op == Opcode::Ret) continue;
      for (size_t k = 0; k < in.uses.size(); ++k) {
        if (!in.uses[k].isSReg()) continue;
        uint32_t to = (in.uses[k].value + 1) % mir::kNumSRegs;
        while (std::find(in.uses.begin(), in.uses.end(), Operand::sreg(to)) != in.uses.end())
          to = (to + 1) % mir::kNumSRegs;
        out.push_back(editSite(b, i, [k, to](Instr &m) { m.uses[k] = Operand::sreg(to); }));
        break;  // one site per instruction
      }
    }
}

void dOverLiveS(const Function &f, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b)
    for (uint32_t i = 0; i < f.blocks[b].instrs.size(); ++i) {
      const Instr &in = f.blocks[b].instrs[i];
      if (in.op == Opcode::Param || mir::isCall(in.op) || in.op == Opcode::Pop) continue;
      const uint32_t live = liveFrom(f, b, i + 1) & ~reads(in);
      for (size_t k = 0; k < in.defs.size(); ++k) {
        const Operand &d = in.defs[k];
        if (!d.isVfp()) continue;
        std::optional<Operand> to;  // a register of d's kind holding a live S, other than d
        const uint32_t n = d.isDReg() ? mir::kNumDRegs : mir::kNumSRegs;
        for (uint32_t r = 0; r < n && !to; ++r)
          if (like(d, r) != d && (maskOf(like(d, r)) & live) && !(maskOf(like(d, r)) & maskOf(d))) to = like(d, r);
        if (!to) continue;
        out.push_back(editSite(b, i, [k, t = *to](Instr &m) { m.defs[k] = t; }));
        break;
      }
    }
}

void readCallerSavedAfterCall(const Function &f, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b) {
    const auto &code = f.blocks[b].instrs;
    for (uint32_t c = 0; c < code.size(); ++c) {
      if (!mir::isCall(code[c].op)) continue;
      uint32_t written = 0;  // written after the call (its results included): holding a value again
      for (const Operand &o : code[c].defs) written |= maskOf(o);
      unsigned found = 0;
      for (uint32_t j = c + 1; j < code.size() && found < 2; ++j) {
        const Instr &in = code[j];
        if (mir::isCall(in.op)) break;
        for (size_t u = 0; u < in.uses.size() && in.op != Opcode::Push; ++u) {
          if (!in.uses[u].isSReg()) continue;
          std::optional<uint32_t> to;
          for (uint32_t r = 0; r < 16 && !to; ++r)
            if (r != in.uses[u].value && !(written >> r & 1)) to = r;
          if (!to) continue;
          out.push_back(editSite(b, j, [u, t = *to](Instr &m) { m.uses[u] = Operand::sreg(t); }));
          ++found;
          break;
        }
        written |= writes(in);
      }
    }
  }
}

void missingVPush(const Function &f, std::vector<Site> &out) {
  uint32_t saved = 0;
  for (const auto &b : f.blocks)
    for (const Instr &in : b.instrs)
      if (in.op == Opcode::Push && in.origin == Origin::Prologue)
        for (const Operand &o : in.uses) saved |= maskOf(o);
  for (uint32_t s = 16; s < mir::kNumSRegs; ++s) {
    if (!(saved >> s & 1)) continue;
    out.push_back([s](Function &g) {
      auto drop = [s](mir::OperandList &ops) {
        ops.erase(std::remove(ops.begin(), ops.end(), Operand::sreg(s)), ops.end());
      };
      for (auto &b : g.blocks) {
        for (Instr &in : b.instrs) {
          if (in.op == Opcode::Push && in.origin == Origin::Prologue) drop(in.uses);
          if (in.op == Opcode::Pop && in.origin == Origin::Epilogue) drop(in.defs);
        }
        std::erase_if(b.instrs, [](const Instr &in) {  // a list left empty goes
          return (in.op == Opcode::Push && in.uses.empty()) || (in.op == Opcode::Pop && in.defs.empty());
        });
      }
      return "removed s" + std::to_string(s) + " from the prologue VPUSH and epilogue VPOPs";
    });
  }
}

void wrongFloatArg(const Function &f, std::vector<Site> &out) {
  for (uint32_t b = 0; b < f.blocks.size(); ++b) {
    const auto &code = f.blocks[b].instrs;
    for (uint32_t c = 0; c < code.size(); ++c) {
      if (!mir::isCall(code[c].op)) continue;
      std::vector<Operand> args;
      for (const Operand &o : code[c].uses)
        if (o.isVfp()) args.push_back(o);
      for (const Operand &a : args) {
        std::optional<uint32_t> w;  // the last writer of exactly `a` before the call
        for (uint32_t j = c; j-- > 0 && !w;)
          if (std::find(code[j].defs.begin(), code[j].defs.end(), a) != code[j].defs.end()) w = j;
          else if (writes(code[j]) & maskOf(a)) break;  // a partial write: leave it
        if (!w || mir::isCall(code[*w].op) || code[*w].op == Opcode::Pop || code[*w].op == Opcode::Param) continue;
        Operand to = like(a, (a.value + 1) % (a.isDReg() ? 8 : 16));
        for (const Operand &o : args)
          if (o != a && o.kind == a.kind) to = o;
        out.push_back(editSite(b, *w, [a, to](Instr &m) {
          for (Operand &d : m.defs)
            if (d == a) d = to;
        }));
      }
    }
  }
}

}  // namespace

void vfpSites(const Function &f, MutationClass c, std::vector<Site> &out) {
  switch (c) {
  case MutationClass::VfpWrongSReg: wrongSReg(f, out); break;
  case MutationClass::VfpDOverLiveS: dOverLiveS(f, out); break;
  case MutationClass::VfpReadCallerSavedAfterCall: readCallerSavedAfterCall(f, out); break;
  case MutationClass::VfpMissingVPush: missingVPush(f, out); break;
  case MutationClass::VfpWrongFloatArg: wrongFloatArg(f, out); break;
  default: break;
  }
}

}  // namespace vcr::tools::detail
