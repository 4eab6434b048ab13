// VFP memory expansions: bounds-checked fload/fstore, VLDR/VSTR of spill slots, VPUSH/VPOP of callee-saved S/D lists.
#include "arm/emit/emitter.h"

#include <algorithm>

namespace vcr::emit::detail {

using mir::Instr;
using mir::Opcode;
using mir::Operand;

namespace {

/// S register names of a VFP register name ("s5" -> {s5}, "d3" -> {s6, s7}).
std::vector<std::string> sNames(const std::string &v) {
  const unsigned n = static_cast<unsigned>(std::stoul(v.substr(1)));
  if (v[0] == 's') return {v};
  return {"s" + std::to_string(2 * n), "s" + std::to_string(2 * n + 1)};
}

}  // namespace

void FnEmitter::emitVfpMemory(const Instr &in) {
  switch (in.op) {
  case Opcode::FLoad32: case Opcode::FLoad64: case Opcode::FStore32: case Opcode::FStore64: {
    // Linear memory goes through core registers (LDR/STR, then VMOV): wasm
    // addresses need not be aligned, and VLDR/VSTR fault on an unaligned
    // address on ARMv7-M whatever CCR.UNALIGN_TRP says; LDR/STR do not.
    const bool load = in.op == Opcode::FLoad32 || in.op == Opcode::FLoad64;
    const bool dbl = in.op == Opcode::FLoad64 || in.op == Opcode::FStore64;
    const unsigned n = dbl ? 8 : 4;
    const std::string v = load ? vreg(in.defs[0], "destination", dbl) : vreg(in.uses[0], "stored value", dbl);
    const std::string a = reg(in.uses[load ? 0 : 1], "address");
    const std::string t = storeTemp(a, {}, in.imm, n);  // the address register itself when it dies here
    const auto tr = mir::pregFromName(t);
    const std::vector<std::string> words = sNames(v);
    // the word register: t itself for a single loaded word, else a second scratch
    const std::string w = load && !dbl ? t : scratch(tr ? regBit(*tr) : 0);
    if (!boundsCheck(a, in.imm, n, t)) return;
    for (size_t k = 0; k < words.size(); ++k) {
      const int off = -int(n) + int(4 * k);
      if (load) {
        line("ldr {}, [{}, #{}]", w, t, off);
        line("vmov {}, {}", words[k], w);
      } else {
        line("vmov {}, {}", w, words[k]);
        line("str {}, [{}, #{}]", w, t, off);
      }
    }
    return;
  }
  case Opcode::Lds: case Opcode::Sts: {
    // spill slots are word-aligned: VLDR/VSTR [sp, #off] (a D slot: low word at off)
    const bool load = in.op == Opcode::Lds;
    const Operand &slot = load ? in.uses[0] : in.defs[0];
    const Operand &r = load ? in.defs[0] : in.uses[0];
    if (!slot.isStack()) decline(load ? "lds source is not a stack word" : "sts destination is not a stack word");
    const std::string v = vreg(r, load ? "destination" : "stored value", r.isDReg());
    const std::string_view mn = load ? "vldr" : "vstr";
    if (slot.value % 4 != 0) decline("VFP stack slot offset is not a multiple of 4");
    if (slot.value <= 1020) return line("{} {}, [sp, #{}]", mn, v, slot.value);
    const std::string s = scratch();
    materialize(s, slot.value);
    line("add {0}, sp, {0}", s);
    return line("{} {}, [{}]", mn, v, s);
  }
  case Opcode::Push: case Opcode::Pop: {
    // VPUSH/VPOP take consecutive S registers: split the list into runs. The
    // lowest S register ends up at the lowest address (higher runs pushed first).
    const bool push = in.op == Opcode::Push;
    std::vector<uint32_t> regs;
    for (const Operand &o : push ? in.uses : in.defs) {
      if (!o.isVfp()) decline("register list mixes core and VFP registers");
      for (uint32_t s : mir::sregsOf(o)) regs.push_back(s);
    }
    std::sort(regs.begin(), regs.end());
    if (regs.empty()) decline("empty register list");
    if (std::adjacent_find(regs.begin(), regs.end()) != regs.end()) decline("register listed twice");
    std::vector<std::pair<uint32_t, uint32_t>> runs;  // [first, last]
    for (uint32_t s : regs)
      if (!runs.empty() && runs.back().second + 1 == s) runs.back().second = s;
      else runs.push_back({s, s});
    if (push) std::reverse(runs.begin(), runs.end());
    for (const auto &[first, last] : runs) {
      if (first == last) line("{} {{s{}}}", push ? "vpush" : "vpop", first);
      else line("{} {{s{}-s{}}}", push ? "vpush" : "vpop", first, last);
    }
    return;
  }
  default: decline("not a VFP memory instruction");
  }
}

}  // namespace vcr::emit::detail
