// The legacy model's calls: argument marshalling, caller-saved saves, result parking; and parallel moves.
#include "ladder/legacy_internal.h"

#include <algorithm>
#include <map>
#include <optional>

namespace vcr::ladder::detail {

namespace {
unsigned num(PReg r) { return static_cast<unsigned>(r); }
Operand preg(PReg r) { return Operand::preg(r); }

/// Where a call argument word is before marshalling.
struct Src {
  enum class Kind : uint8_t { Reg, Imm, Mem, Vfp } kind = Kind::Imm;
  PReg reg = PReg::R0;
  Operand mem;  ///< Mem: a stack word (two for an f64)
  Operand vfp;  ///< Vfp: an S or D register
  uint32_t imm = 0;
};
}  // namespace

void Walker::parallelMove(std::vector<std::pair<PReg, PReg>> moves) {
  std::erase_if(moves, [](const auto &m) { return m.first == m.second; });
  while (!moves.empty()) {
    auto ready = std::find_if(moves.begin(), moves.end(), [&](const auto &m) {
      return std::none_of(moves.begin(), moves.end(), [&](const auto &o) { return &o != &m && o.second == m.first; });
    });
    if (ready != moves.end()) {
      out_.push_back(makeInstr(Opcode::Mov, {preg(ready->first)}, {preg(ready->second)}, Origin::Move));
      moves.erase(ready);
      continue;
    }
    // A cycle: save one destination's current value in a free R4-R8
    // register, else in a free spill-pool slot; with neither the legacy
    // compiler gives up with "all allocatable registers are live".
    PReg d = moves.front().first;
    std::optional<PReg> via;
    for (unsigned r = 4; r <= 8 && !via; ++r)  // free, and not a value a pending move still reads
      if (const auto c = static_cast<PReg>(r);
          isFree(c) && std::none_of(moves.begin(), moves.end(), [&](const auto &m) { return m.second == c; }))
        via = c;
    if (via) {
      out_.push_back(makeInstr(Opcode::Mov, {preg(*via)}, {preg(d)}, Origin::Move));
      for (auto &m : moves)
        if (m.second == d) m.second = *via;
      continue;
    }
    int slot = freePoolSlot();
    if (slot < 0) fail(LegacyError::NoFreeTemp);
    poolUsed_[static_cast<size_t>(slot)] = true;  // a second cycle must not take it
    Operand at = Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(slot));
    out_.push_back(makeInstr(Opcode::Sts, {at}, {preg(d)}, Origin::Spill));
    // The moves out of `d` now read the slot: the others first, then the loads.
    std::vector<PReg> readers;
    for (auto it = moves.begin(); it != moves.end();)
      if (it->second == d) {
        readers.push_back(it->first);
        it = moves.erase(it);
      } else {
        ++it;
      }
    parallelMove(moves);
    for (PReg r : readers) out_.push_back(makeInstr(Opcode::Lds, {preg(r)}, {at}, Origin::Reload));
    poolUsed_[static_cast<size_t>(slot)] = false;
    return;
  }
}

void Walker::emitCall(const Instr &in, size_t idx) {
  const size_t pos = a_.blockStart[block_] + idx;
  pinned_.clear();
  updateReserved(pos, true);
  // call_indirect: the signature is types[imm]; the table index is the last use.
  const bool ind = in.op == Opcode::CallInd;
  const mir::Signature *sig = m_.callSig(in);
  if (!sig) fail(LegacyError::Malformed);
  const auto locs = arm::paramLocations(*sig);
  const auto results = arm::resultLocations(*sig);
  if (locs.size() + (ind ? 1 : 0) != in.uses.size() || results.size() != in.defs.size()) fail(LegacyError::Malformed);

  // Where each argument word is now (no reloads: marshalling reads memory directly).
  std::vector<Src> srcs;
  std::vector<int> consumed;
  for (unsigned k = 0; k < in.uses.size(); ++k) {
    const Operand &o = in.uses[k];
    Src s;
    auto fromEntry = [&](int e) {
      const Entry &en = entries_[e];
      if (en.inReg && en.cls != mir::RegClass::Core) {
        s.kind = Src::Kind::Vfp;
        s.vfp = regOf(e);
      } else if (en.inReg || (en.alias && en.slot < 0)) {
        s.kind = Src::Kind::Reg;
        s.reg = en.reg;
      } else {
        s.kind = Src::Kind::Mem;
        s.mem = Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(en.slot) + 4 * en.word);
      }
    };
    if (o.isImm()) {
      s.imm = o.value;
    } else if (auto it = aliasEntry_.find({idx, k}); it != aliasEntry_.end()) {
      fromEntry(it->second);
      consumed.push_back(it->second);
    } else if (a_.home[o.value].kind == Home::Kind::Reg && isVfpV(a_, o.value)) {
      if (!homeLive(o.value, pos, false) || a_.home[o.value].unit == kUnpicked) fail(LegacyError::Malformed);
      s.kind = Src::Kind::Vfp;
      s.vfp = vfpOperand(a_.cls[o.value], a_.home[o.value].unit);
    } else if (a_.home[o.value].kind == Home::Kind::Reg) {
      if (!homeLive(o.value, pos, false) || a_.home[o.value].reg == PReg::PC) fail(LegacyError::Malformed);
      s.kind = Src::Kind::Reg;
      s.reg = a_.home[o.value].reg;
    } else if (a_.home[o.value].kind == Home::Kind::Frame) {
      s.kind = Src::Kind::Mem;
      s.mem = homeSlot(o.value);
    } else if (auto e = valueEntry_.find(o.value); e != valueEntry_.end()) {
      fromEntry(e->second);
      if (a_.lastUse[block_][o.value] == idx) consumed.push_back(e->second);
    } else {
      fail(LegacyError::Malformed);
    }
    srcs.push_back(s);
  }
  // memory.copy / memory.fill: the legacy inline byte loop needs a byte
  // temp while its three operands are held (LEGACY.md, "Other operators").
  if (a_.bulk[block_].count(idx)) {
    pinned_ = consumed;
    const int byte = newEntry(0, true);
    entries_[byte].cls = mir::RegClass::Core;
    takeReg(byte);
    releaseEntry(byte);
    pinned_.clear();
  }
  for (int e : consumed) releaseEntry(e);
  updateReserved(pos, false);

  // Live caller-saved registers go to the 5-word save area around the call
  // (R0-R3, R12; LR in a sixth word when it is a temp).
  std::vector<PReg> saved;
  const PReg saveable[] = {PReg::R0, PReg::R1, PReg::R2, PReg::R3, PReg::R12, PReg::LR};
  std::map<PReg, uint32_t> saveAt;
  for (uint32_t k = 0; k < saveWords_; ++k) {
    const PReg r = saveable[k];
    saveAt[r] = saveOff_ + 4 * k;
    int e = owner_[num(r)];
    if ((e >= 0 && entries_[e].defined) || (reserved_[num(r)] && !resultHome(in, r))) {
      saved.push_back(r);
      out_.push_back(makeInstr(Opcode::Sts, {Operand::stack(saveAt[r])}, {preg(r)}, Origin::Spill));
    }
  }
  // Live S0-S15 values go to the 16-word area (Sn at word n).
  const std::vector<Operand> vsaved = a_.usesVfp ? saveVfp(in) : std::vector<Operand>{};
  // The table index: with arguments it needs a free R4-R8 register (the
  // argument registers are about to be overwritten); the spill rung frees
  // one by spilling the deepest stack entry. Without arguments it stays
  // where it is (a value in memory is loaded into R0, free at the call).
  std::optional<Operand> index;
  int indexEntry = -1;
  if (ind) {
    const Src &s = srcs.back();
    std::optional<PReg> r;
    if (!locs.empty() || s.kind != Src::Kind::Reg) {
      // Pool slots the arguments and the index are still read from stay
      // taken while spilling frees a register (their entries are popped).
      std::vector<size_t> held;
      for (const Src &a : srcs)
        if (a.kind == Src::Kind::Mem && a.mem.value >= poolOff_ && a.mem.value < poolOff_ + 8 * poolUsed_.size())
          if (const size_t slot = (a.mem.value - poolOff_) / 8; !poolUsed_[slot]) {
            poolUsed_[slot] = true;
            held.push_back(slot);
          }
      for (;;) {
        for (unsigned k = 4; k <= 8 && !r && !locs.empty(); ++k) {
          // Free, and not where an argument still is (its entry was popped).
          const auto c = static_cast<PReg>(k);
          if (isFree(c) && std::none_of(srcs.begin(), srcs.end() - 1, [&](const Src &a) {
                return a.kind == Src::Kind::Reg && a.reg == c;
              }))
            r = c;
        }
        if (r || locs.empty()) break;
        if (!cfg_.spilling || !spillDeepest()) fail(LegacyError::NoFreeTemp);
      }
      for (size_t slot : held) poolUsed_[slot] = false;
      if (!r) r = PReg::R0;  // no arguments: R0 holds nothing the call needs
      if (s.kind == Src::Kind::Reg && s.reg != *r)
        out_.push_back(makeInstr(Opcode::Mov, {preg(*r)}, {preg(s.reg)}, Origin::Move));
      else if (s.kind == Src::Kind::Mem)  // a spilled stack entry, or a local's frame slot
        out_.push_back(makeInstr(Opcode::Lds, {preg(*r)}, {s.mem},
                                 s.mem.value >= poolOff_ && s.mem.value < poolOff_ + 8 * poolUsed_.size()
                                     ? Origin::Reload
                                     : Origin::Frame));
      else if (s.kind == Src::Kind::Imm)
        out_.push_back(makeInstr(Opcode::MovI, {preg(*r)}, {}, Origin::Move, s.imm));
      indexEntry = newEntry(0, true);  // held until the call: argument moves must not take it
      entries_[indexEntry].cls = mir::RegClass::Core;
      claim(indexEntry, *r);
      index = preg(*r);
    } else {
      index = preg(s.reg);
    }
    srcs.pop_back();
  }
  // Stack words first (through the scratch register), then R0-R3. The
  // scratch is R12, unless R12 (a temp of a wider pool) still holds an
  // argument (or the calli index); then the first of R0-R3 that holds none
  // (the live caller-saved values were saved above; the argument moves
  // below overwrite it), else a free temp.
  auto holdsArg = [&](PReg r) {
    if (index && index->isPReg() && index->preg() == r) return true;
    return std::any_of(srcs.begin(), srcs.end(), [&](const Src &s) { return s.kind == Src::Kind::Reg && s.reg == r; });
  };
  PReg scratch = PReg::PC;  // none yet
  for (PReg r : {PReg::R12, PReg::R0, PReg::R1, PReg::R2, PReg::R3})
    if (scratch == PReg::PC && !holdsArg(r)) scratch = r;
  for (PReg r : a_.temps)
    if (scratch == PReg::PC && !holdsArg(r) && isFree(r)) scratch = r;
  for (size_t k = 0; k < locs.size(); ++k) {
    if (!locs[k].onStack) continue;
    Operand dst = Operand::stack(locs[k].offset);
    const Src &s = srcs[k];
    if (s.kind == Src::Kind::Reg) {
      out_.push_back(makeInstr(Opcode::Sts, {dst}, {preg(s.reg)}, Origin::OutArg));
      continue;
    }
    if (scratch == PReg::PC) fail(LegacyError::NoFreeTemp);  // every candidate holds an argument
    if (s.kind == Src::Kind::Imm)
      out_.push_back(makeInstr(Opcode::MovI, {preg(scratch)}, {}, Origin::OutArg, s.imm));
    else
      out_.push_back(makeInstr(Opcode::Lds, {preg(scratch)}, {s.mem}, Origin::OutArg));
    out_.push_back(makeInstr(Opcode::Sts, {dst}, {preg(scratch)}, Origin::OutArg));
  }
  std::vector<std::pair<PReg, PReg>> moves;
  for (size_t k = 0; k < locs.size(); ++k)
    if (!locs[k].onStack && srcs[k].kind == Src::Kind::Reg) moves.push_back({locs[k].reg, srcs[k].reg});
  parallelMove(moves);
  // Float arguments: S/D moves (AAPCS-VFP, back-filled), then loads.
  std::vector<std::pair<Operand, Operand>> vfpMoves;
  for (size_t k = 0; k < locs.size(); ++k)
    if (locs[k].inVfp() && srcs[k].kind == Src::Kind::Vfp) vfpMoves.push_back({arm::locOperand(locs[k]), srcs[k].vfp});
  vfpParallelMove(vfpMoves);
  for (size_t k = 0; k < locs.size(); ++k) {
    if (locs[k].onStack) continue;
    if (srcs[k].kind == Src::Kind::Imm)
      out_.push_back(makeInstr(Opcode::MovI, {arm::locOperand(locs[k])}, {}, Origin::Move, srcs[k].imm));
    else if (srcs[k].kind == Src::Kind::Mem)
      out_.push_back(makeInstr(Opcode::Lds, {arm::locOperand(locs[k])}, {srcs[k].mem}, Origin::Frame));
  }
  Instr call = in;
  call.uses.clear();
  call.defs.clear();
  for (const auto &l : locs) call.uses.push_back(arm::locOperand(l));
  if (index) call.uses.push_back(*index);
  for (const auto &l : results) call.defs.push_back(arm::locOperand(l));
  out_.push_back(std::move(call));
  if (indexEntry >= 0) releaseEntry(indexEntry);
  std::vector<Instr> reloads;
  for (PReg r : saved) reloads.push_back(makeInstr(Opcode::Lds, {preg(r)}, {Operand::stack(saveAt[r])}, Origin::Reload));
  for (const Operand &r : vsaved)
    reloads.push_back(makeInstr(Opcode::Lds, {r}, {Operand::stack(vsaveOff_ + 4 * unitsOf(r).first)}, Origin::Reload));
  if (results.size() == 1 && results[0].inVfp()) return vfpCallResult(in, idx, arm::locOperand(results[0]), reloads);

  // The result: stays in R0(:R1) unless a restored value needs those registers.
  std::vector<PReg> where;
  for (const auto &l : results) where.push_back(l.reg);
  bool needed = false;
  for (const Operand &d : in.defs) {
    if (!d.isVReg()) continue;
    auto lu = a_.lastUse[block_].find(d.value);
    needed |= !isTemp(a_, d.value) || (lu != a_.lastUse[block_].end() && lu->second > idx);
  }
  bool collide = false;
  for (PReg r : saved) collide |= std::find(where.begin(), where.end(), r) != where.end();
  int parked = -1;
  // An i64 result is always parked in a spill slot.
  if (needed && where.size() == 2) {
    parked = freePoolSlot();
    if (parked < 0) fail(poolUsed_.empty() ? LegacyError::NoFreeTemp : LegacyError::PoolExhausted);
    poolUsed_[static_cast<size_t>(parked)] = true;
    for (size_t w = 0; w < where.size(); ++w)
      out_.push_back(makeInstr(Opcode::Sts, {Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(parked) + 4 * static_cast<uint32_t>(w))},
                               {preg(where[w])}, Origin::Spill));
  } else if (needed && collide) {
    std::vector<PReg> dst;
    for (unsigned r = 4; r + where.size() <= 9 && dst.empty(); ++r) {  // a free R4-R8
      bool ok = true;
      for (unsigned w = 0; w < where.size(); ++w) ok &= isFree(static_cast<PReg>(r + w));
      if (ok)
        for (unsigned w = 0; w < where.size(); ++w) dst.push_back(static_cast<PReg>(r + w));
    }
    if (!dst.empty()) {
      for (size_t w = 0; w < where.size(); ++w)
        out_.push_back(makeInstr(Opcode::Mov, {preg(dst[w])}, {preg(where[w])}, Origin::Move));
      where = dst;
    } else {
      parked = freePoolSlot();
      if (parked < 0) fail(poolUsed_.empty() ? LegacyError::NoFreeTemp : LegacyError::PoolExhausted);
      poolUsed_[static_cast<size_t>(parked)] = true;
      for (size_t w = 0; w < where.size(); ++w)
        out_.push_back(makeInstr(Opcode::Sts, {Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(parked) + 4 * static_cast<uint32_t>(w))},
                                 {preg(where[w])}, Origin::Spill));
    }
  }
  out_.insert(out_.end(), reloads.begin(), reloads.end());
  if (!needed) return;
  // Bind the result words to their vregs.
  std::vector<int> made(in.defs.size(), -1);
  for (size_t w = 0; w < in.defs.size(); ++w) {
    const VReg v = in.defs[w].value;
    const Home &h = a_.home[v];
    if (h.kind == Home::Kind::Frame || (h.kind == Home::Kind::Reg && homeLive(v, pos, true))) {
      PReg src = where[w];
      if (parked >= 0) {
        // Reload straight into a register home; for a frame home through
        // R12, or a free temp when R12 is itself a temp (it may be live).
        src = h.kind == Home::Kind::Reg ? h.reg : PReg::R12;
        if (h.kind == Home::Kind::Frame && inPool(PReg::R12)) {
          auto it = std::find_if(a_.temps.begin(), a_.temps.end(), [&](PReg r) { return isFree(r); });
          if (it == a_.temps.end()) fail(LegacyError::NoFreeTemp);
          src = *it;
        }
        out_.push_back(makeInstr(Opcode::Lds, {preg(src)}, {Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(parked) + 4 * static_cast<uint32_t>(w))}, Origin::Reload));
        if (h.kind == Home::Kind::Reg) continue;
      }
      if (h.kind == Home::Kind::Frame)
        out_.push_back(makeInstr(Opcode::Sts, {homeSlot(v)}, {preg(src)}, Origin::Frame));
      else
        out_.push_back(makeInstr(Opcode::Mov, {preg(h.reg)}, {preg(src)}, Origin::Move));
      continue;
    }
    auto lu = a_.lastUse[block_].find(v);
    if (h.kind != Home::Kind::None || lu == a_.lastUse[block_].end() || lu->second <= idx) continue;
    int e = newEntry(v, true);
    valueEntry_[v] = e;
    made[w] = e;
    if (parked >= 0) {
      entries_[e].slot = parked;
      entries_[e].word = static_cast<uint32_t>(w);
    } else {
      claim(e, where[w]);
    }
  }
  if (made.size() == 2 && made[0] >= 0 && made[1] >= 0) {
    entries_[made[0]].partner = made[1];
    entries_[made[1]].partner = made[0];
  }
  if (parked >= 0 && std::none_of(made.begin(), made.end(), [](int e) { return e >= 0; }))
    poolUsed_[static_cast<size_t>(parked)] = false;
}

bool Walker::resultHome(const Instr &call, PReg r) const {
  for (const Operand &d : call.defs)
    if (d.isVReg() && d.value < a_.home.size() && !isVfpV(a_, d.value) && a_.home[d.value].kind == Home::Kind::Reg &&
        a_.home[d.value].reg == r)
      return true;
  return false;
}

void Walker::vfpCallResult(const Instr &in, size_t idx, Operand where, const std::vector<Instr> &reloads) {
  const size_t pos = a_.blockStart[block_] + idx;
  const bool valued = !in.defs.empty() && in.defs[0].isVReg();
  const VReg v = valued ? in.defs[0].value : 0;
  auto lu = a_.lastUse[block_].find(v);
  const bool needed = valued && (!isTemp(a_, v) || (lu != a_.lastUse[block_].end() && lu->second > idx));
  if (!needed) {
    out_.insert(out_.end(), reloads.begin(), reloads.end());
    return;
  }
  const Home h = a_.home[v];
  if (h.kind == Home::Kind::Frame) {  // stored before the saved registers come back
    out_.push_back(makeInstr(Opcode::Sts, {homeSlot(v)}, {where}, Origin::Frame));
    out_.insert(out_.end(), reloads.begin(), reloads.end());
    return;
  }
  // A reload would overwrite the result: move it to a free register of its
  // class, else park it in a pool slot.
  const unsigned wn = unitsOf(where).second;
  const bool collide = std::any_of(reloads.begin(), reloads.end(),
                                   [&](const Instr &r) { return r.defs[0].isVfp() && overlaps(r.defs[0], where); });
  int parked = -1;
  if (collide) {
    const std::optional<Operand> free = lowestFreeVfp(a_.cls[v], [](const Operand &) { return false; });
    if (free) {
      out_.push_back(makeInstr(Opcode::Mov, {*free}, {where}, Origin::Move));
      where = *free;
    } else {
      parked = freePoolSlot();
      if (parked < 0) fail(poolUsed_.empty() ? (wn == 2 ? LegacyError::VfpDExhausted : LegacyError::VfpExhausted)
                                             : LegacyError::PoolExhausted);
      poolUsed_[static_cast<size_t>(parked)] = true;
      out_.push_back(makeInstr(Opcode::Sts, {Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(parked))}, {where},
                               Origin::Spill));
    }
  }
  out_.insert(out_.end(), reloads.begin(), reloads.end());
  if (h.kind == Home::Kind::Reg && homeLive(v, pos, true)) {  // a block value's register
    if (h.unit == kUnpicked) fail(LegacyError::Malformed);
    const Operand home = vfpOperand(a_.cls[v], h.unit);
    if (parked >= 0) {
      out_.push_back(makeInstr(Opcode::Lds, {home}, {Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(parked))},
                               Origin::Reload));
      poolUsed_[static_cast<size_t>(parked)] = false;
    } else if (!(home == where)) {
      out_.push_back(makeInstr(Opcode::Mov, {home}, {where}, Origin::Move));
    }
    return;
  }
  if (h.kind != Home::Kind::None) {
    if (parked >= 0) poolUsed_[static_cast<size_t>(parked)] = false;
    return;
  }
  const int e = newEntry(v, true);
  valueEntry_[v] = e;
  if (parked >= 0) {
    entries_[e].slot = parked;
    entries_[e].word = 0;
  } else {
    claimVfp(e, where);
  }
}

}  // namespace vcr::ladder::detail
