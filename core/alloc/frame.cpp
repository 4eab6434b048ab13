// Frame layout: spill-slot sharing, prologue/epilogue, AAPCS alignment and stack-offset fix-ups.
#include "core/alloc/work.h"

#include <algorithm>
#include <unordered_map>

namespace vcr::alloc {

using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::Origin;
using mir::PReg;

namespace {

bool isSlotAccess(const Instr &i) {
  return (i.op == Opcode::Lds && i.origin == Origin::Reload) ||
         (i.op == Opcode::Sts && i.origin == Origin::Spill);
}
uint32_t slotOf(const Instr &i) { return i.op == Opcode::Lds ? i.uses[0].value : i.defs[0].value; }

/// Share frame slots between spilled values that are never live at once:
/// liveness over the symbolic slots (`sts` defines, `lds` uses), then a
/// greedy colouring of their interference. Returns symbolic id -> slot.
std::unordered_map<uint32_t, uint32_t> assignSlots(const mir::Function &f, uint32_t &numSlots) {
  std::unordered_map<uint32_t, uint32_t> dense;  // symbolic id -> dense index
  std::vector<uint32_t> ids;
  for (const auto &b : f.blocks)
    for (const Instr &i : b.instrs)
      if (isSlotAccess(i) && dense.emplace(slotOf(i), ids.size()).second) ids.push_back(slotOf(i));
  const size_t ns = ids.size(), nb = f.blocks.size();
  std::unordered_map<uint32_t, uint32_t> result;
  numSlots = 0;
  if (ns == 0) return result;
  std::vector<Bits> use(nb, Bits(ns)), def(nb, Bits(ns)), in(nb, Bits(ns)), out(nb, Bits(ns));
  std::vector<std::vector<mir::BlockId>> succs(nb);
  for (size_t b = 0; b < nb; ++b) {
    for (const Instr &i : f.blocks[b].instrs) {
      if (!isSlotAccess(i)) continue;
      uint32_t s = dense[slotOf(i)];
      if (i.op == Opcode::Lds && !def[b].test(s)) use[b].set(s);
      if (i.op == Opcode::Sts) def[b].set(s);
    }
    if (!f.blocks[b].instrs.empty())
      for (mir::BlockId t : mir::successors(f.blocks[b].instrs.back()))
        if (t < nb) succs[b].push_back(t);
  }
  Bits tmp(ns);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t b = nb; b-- > 0;) {
      for (mir::BlockId s : succs[b]) out[b] |= in[s];
      tmp = out[b];
      tmp -= def[b];
      tmp |= use[b];
      if (tmp != in[b]) {
        in[b].swap(tmp);
        changed = true;
      }
    }
  }
  std::vector<Bits> conflict(ns, Bits(ns));
  for (size_t b = 0; b < nb; ++b) {
    Bits live = out[b];
    const auto &is = f.blocks[b].instrs;
    for (auto it = is.rbegin(); it != is.rend(); ++it) {
      if (!isSlotAccess(*it)) continue;
      uint32_t s = dense[slotOf(*it)];
      if (it->op == Opcode::Sts) {
        conflict[s] |= live;
        for (size_t l = live.find_first(); l != Bits::npos; l = live.find_next(l)) conflict[l].set(s);
        live.reset(s);
      } else {
        live.set(s);
      }
    }
  }
  std::vector<uint32_t> slot(ns, 0);
  std::vector<bool> taken;
  for (size_t s = 0; s < ns; ++s) {
    taken.assign(numSlots + 1, false);
    for (size_t o = conflict[s].find_first(); o != Bits::npos && o < s; o = conflict[s].find_next(o))
      taken[slot[o]] = true;
    uint32_t k = 0;
    while (taken[k]) ++k;
    slot[s] = k;
    numSlots = std::max(numSlots, k + 1);
    result[ids[s]] = k;
  }
  return result;
}

Instr frameInstr(Opcode op, std::vector<Operand> regs, Origin o, uint32_t imm = 0) {
  Instr i;
  i.op = op;
  i.origin = o;
  i.imm = imm;
  (op == Opcode::Pop ? i.defs : i.uses) = std::move(regs);
  return i;
}

}  // namespace

void layoutFrame(mir::Function &out, const WorkFunction &w, AllocStats &stats) {
  uint32_t numSlots = 0;
  auto slots = assignSlots(out, numSlots);

  // Registers to save: callee-saved ones written here, and LR if the
  // function calls (BL clobbers it) or holds a value in it.
  arm::RegSet written;
  for (const auto &b : out.blocks)
    for (const Instr &i : b.instrs)
      if (i.op != Opcode::Param)
        for (const Operand &o : i.defs)
          if (o.isPReg()) written.add(o.preg());
  arm::RegSet saved = written & arm::calleeSaved();
  if (w.hasCalls || written.contains(PReg::LR)) saved.add(PReg::LR);
  const uint32_t pushed = 4 * saved.size();
  uint32_t n = w.outgoingBytes + 4 * numSlots;
  if (w.hasCalls && (pushed + n) % 8) n += 4;  // AAPCS: SP 8-byte aligned at calls
  const uint32_t frame = pushed + n;

  // Fix-ups: slots sit above the outgoing area, incoming params above the frame.
  for (auto &b : out.blocks)
    for (Instr &i : b.instrs) {
      if (isSlotAccess(i)) {
        Operand &o = i.op == Opcode::Lds ? i.uses[0] : i.defs[0];
        o = Operand::stack(w.outgoingBytes + 4 * slots[o.value]);
      } else if (i.op == Opcode::Lds && i.origin == Origin::InArg) {
        i.uses[0] = Operand::stack(frame + i.uses[0].value);
      }
    }

  std::vector<Operand> regs;
  for (PReg r : saved.list()) regs.push_back(Operand::preg(r));
  std::vector<Instr> prologue, epilogue;
  if (!regs.empty()) prologue.push_back(frameInstr(Opcode::Push, regs, Origin::Prologue));
  if (n) prologue.push_back(frameInstr(Opcode::AdjSp, {}, Origin::Prologue, static_cast<uint32_t>(-static_cast<int32_t>(n))));
  if (n) epilogue.push_back(frameInstr(Opcode::AdjSp, {}, Origin::Epilogue, n));
  if (!regs.empty()) epilogue.push_back(frameInstr(Opcode::Pop, regs, Origin::Epilogue));

  auto &entry = out.blocks[0].instrs;
  size_t at = !entry.empty() && entry[0].op == Opcode::Param ? 1 : 0;
  entry.insert(entry.begin() + static_cast<std::ptrdiff_t>(at), prologue.begin(), prologue.end());
  if (!epilogue.empty())
    for (auto &b : out.blocks) {
      auto &is = b.instrs;
      if (!is.empty() && is.back().op == Opcode::Ret)
        is.insert(is.end() - 1, epilogue.begin(), epilogue.end());
    }

  stats.frameBytes = frame;
  stats.calleeSaved = saved;
}

}  // namespace vcr::alloc
