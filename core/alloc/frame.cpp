// Frame layout: spill-slot sharing, prologue/epilogue, AAPCS alignment and stack-offset fix-ups.
#include "core/alloc/work.h"

#include <algorithm>

namespace vcr::alloc {

using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::Origin;
using mir::PReg;

namespace {

/// Share frame slots between spilled values that are never live at once:
/// liveness over the slots (`sts` defines, `lds` uses; the slot accesses of
/// `sc.slotCode`, with the dataflow over the slots live across a block
/// boundary only), then a greedy colouring of their interference. Leaves
/// in `sc.slotOf` dense slot index (sc.dense) -> frame slot: a table per
/// symbolic id, as long as the vregs, cost more to fill than the rest of
/// the sharing on large functions (alloc_bench). An f64 value (class of
/// its id in `w`) takes a two-word slot shared only with f64 values;
/// `wide[k]` says which slots are.
void assignSlots(const mir::Cfg &cfg, const WorkFunction &w, FrameScan &sc, uint32_t &numSlots,
                 std::vector<uint8_t> &wide) {
  const size_t ns = sc.ids.size(), words = (ns + 63) / 64;
  std::vector<uint32_t> &slotOf = sc.slotOf;
  slotOf.assign(ns, 0);
  numSlots = 0;
  wide.clear();
  if (ns == 0) return;
  const FlatCode &code = sc.slotCode;
  GlobalLiveness &lv = sc.slotLive;
  lv.compute(code, cfg, static_cast<uint32_t>(ns));
  // A store conflicts with every slot live after it, in both rows: the
  // matrix is symmetric as it is built.
  std::vector<uint64_t> &conflict = sc.conflict, &live = sc.live;
  conflict.assign(ns * words, 0);
  live.assign(words, 0);
  for (uint32_t b = 0; b < code.numBlocks(); ++b) {
    if (code.blockStart[b] == code.blockStart[b + 1]) continue;  // no access: no conflict starts here
    std::fill(live.begin(), live.end(), 0);
    lv.forEachIn(lv.liveOut(b), [&](uint32_t s) { setBit(live.data(), s); });
    for (uint32_t i = code.blockStart[b + 1]; i-- > code.blockStart[b];) {
      const uint32_t s = code.ops[code.opStart[i]];
      if (code.numDefs[i]) {
        uint64_t *row = conflict.data() + s * words;
        for (size_t k = 0; k < words; ++k) row[k] |= live[k];
        forEachBit(live.data(), static_cast<uint32_t>(words),
                   [&](uint32_t t) { setBit(conflict.data() + t * words, s); });
        live[s >> 6] &= ~(1ull << (s & 63));
      } else {
        setBit(live.data(), s);
      }
    }
  }
  // Greedy in order: the first slot of s's width none of whose members
  // (all earlier values) conflicts with s. The slots taken are marked from
  // s's conflicts with earlier values, one visit per conflict, where a bit
  // row of members per slot cost a word AND per slot and word of s's row
  // (values x slots x words over a function).
  std::vector<uint64_t> &taken = sc.taken;
  taken.clear();
  for (size_t s = 0; s < ns; ++s) {
    const uint64_t *row = conflict.data() + s * words;
    const uint8_t isWide = w.classOf(sc.ids[s]) == mir::RegClass::F64;
    const auto upTo = static_cast<uint32_t>(s);  // earlier values: bits below s
    for (uint32_t x = 0; x <= upTo >> 6; ++x) {
      uint64_t bits = row[x];
      if (x == upTo >> 6) bits &= (1ull << (upTo & 63)) - 1;
      for (; bits; bits &= bits - 1) setBit(taken.data(), slotOf[x * 64 + static_cast<uint32_t>(__builtin_ctzll(bits))]);
    }
    uint32_t k = 0;
    while (k < numSlots && (wide[k] != isWide || testBit(taken.data(), k))) ++k;
    if (k == numSlots) {
      ++numSlots;
      wide.push_back(isWide);
      taken.resize((numSlots + 63) / 64, 0);
    }
    std::fill(taken.begin(), taken.end(), 0);
    slotOf[s] = k;
  }
}

Instr frameInstr(Opcode op, mir::OperandList regs, Origin o, uint32_t imm = 0) {
  Instr i;
  i.op = op;
  i.origin = o;
  i.imm = imm;
  (op == Opcode::Pop ? i.defs : i.uses) = std::move(regs);
  return i;
}

}  // namespace

void layoutFrame(mir::Function &out, const WorkFunction &w, const mir::Cfg &cfg, FrameScan &sc,
                 AllocStats &stats) {
  uint32_t numSlots = 0;
  std::vector<uint8_t> wide;
  assignSlots(cfg, w, sc, numSlots, wide);
  std::vector<uint32_t> slotOffset(numSlots);  // above the outgoing area
  uint32_t slotBytes = 0;
  for (uint32_t k = 0; k < numSlots; ++k) slotOffset[k] = slotBytes, slotBytes += wide[k] ? 8 : 4;

  // Registers to save: callee-saved ones written here, and LR if the
  // function calls (BL clobbers it) or holds a value in it; callee-saved
  // S16-S31 written here (AAPCS-VFP), with VPUSH/VPOP.
  arm::RegSet saved = sc.written & arm::calleeSaved();
  if (w.hasCalls || sc.written.contains(PReg::LR)) saved.add(PReg::LR);
  const uint32_t savedS = sc.writtenS & 0xffff0000u;
  const uint32_t pushed = 4 * saved.size() + 4 * popcount32(savedS);
  uint32_t n = w.outgoingBytes + slotBytes;
  if (w.hasCalls && (pushed + n) % 8) n += 4;  // AAPCS: SP 8-byte aligned at calls
  const uint32_t frame = pushed + n;

  // Fix-ups: slots sit above the outgoing area, incoming params (and stack
  // results) above the frame.
  for (size_t b = 0; b < out.blocks.size(); ++b) {
    if (!sc.flags[b]) continue;
    for (Instr &i : out.blocks[b].instrs) {
      if (isSlotAccess(i)) {
        Operand &o = i.op == Opcode::Lds ? i.uses[0] : i.defs[0];
        o = Operand::stack(w.outgoingBytes + slotOffset[sc.slotOf[sc.dense[o.value]]]);
      } else if (i.op == Opcode::Lds && i.origin == Origin::InArg) {
        i.uses[0] = Operand::stack(frame + i.uses[0].value);
      } else if (i.op == Opcode::Sts && i.origin == Origin::InArg) {  // a stack result
        i.defs[0] = Operand::stack(frame + i.defs[0].value);
      }
    }
  }

  mir::OperandList regs, sregs;
  for (PReg r : saved.list()) regs.push_back(Operand::preg(r));
  for (uint32_t m = savedS; m; m &= m - 1) sregs.push_back(Operand::sreg(static_cast<uint32_t>(__builtin_ctz(m))));
  std::vector<Instr> prologue, epilogue;
  if (!regs.empty()) prologue.push_back(frameInstr(Opcode::Push, regs, Origin::Prologue));
  if (!sregs.empty()) prologue.push_back(frameInstr(Opcode::Push, sregs, Origin::Prologue));
  if (n) prologue.push_back(frameInstr(Opcode::AdjSp, {}, Origin::Prologue, static_cast<uint32_t>(-static_cast<int32_t>(n))));
  if (n) epilogue.push_back(frameInstr(Opcode::AdjSp, {}, Origin::Epilogue, n));
  if (!sregs.empty()) epilogue.push_back(frameInstr(Opcode::Pop, sregs, Origin::Epilogue));
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
  stats.calleeSavedS = savedS;
}

}  // namespace vcr::alloc
