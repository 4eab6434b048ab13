// The legacy model's register file: round-robin temps from R0-R8, i64 pairs, reservations and pool spilling.
#include "ladder/legacy_internal.h"

#include <algorithm>

namespace vcr::ladder::detail {

namespace {
unsigned num(PReg r) { return static_cast<unsigned>(r); }
}  // namespace

Walker::Walker(Analysis &a, const mir::Module &m, const LegacyConfig &cfg) : a_(a), m_(m), cfg_(cfg) {
  owner_.fill(-1);
  reserved_.fill(false);
  vowner_.fill(-1);
  vreserved_.fill(false);
  vreservedD_.fill(false);
  // The spill area: reserved by the spill rungs, and present at every rung in
  // a function with an i64 value (pair allocation spills at the base rung).
  poolUsed_.assign(cfg_.spilling || cfg_.vfpSpilling || a_.hasI64 ? cfg_.poolSlots : 0, false);
  // The cursor starts just after the parameter registers.
  const auto &t = a_.temps;
  for (size_t k = 0; k < t.size(); ++k)
    if (num(t[k]) >= a_.paramRegs) {
      cursor_ = static_cast<unsigned>(k);
      break;
    }
}

void Walker::fail(LegacyError k) const { throw Exhausted{k, where_}; }

bool Walker::inPool(PReg r) const { return std::find(a_.temps.begin(), a_.temps.end(), r) != a_.temps.end(); }

bool Walker::isFree(PReg r) const { return inPool(r) && owner_[num(r)] < 0 && !reserved_[num(r)]; }

int Walker::freePoolSlot() const {
  for (size_t s = 0; s < poolUsed_.size(); ++s)
    if (!poolUsed_[s]) return static_cast<int>(s);
  return -1;
}

unsigned Walker::freeCount() const {
  unsigned n = 0;
  for (PReg r : a_.temps) n += isFree(r);
  return n;
}

int Walker::newEntry(VReg v, bool defined) {
  Entry e;
  e.v = v;
  e.cls = v < a_.cls.size() ? a_.cls[v] : mir::RegClass::Core;
  e.defined = defined;
  e.seq = seq_++;
  entries_.push_back(e);
  return static_cast<int>(entries_.size() - 1);
}

PReg Walker::takeReg(int entry) {
  const auto &t = a_.temps;
  const auto n = static_cast<unsigned>(t.size());
  if (n == 0) fail(LegacyError::NoFreeTemp);
  for (;;) {
    for (unsigned k = 0; k < n; ++k) {
      unsigned i = (cursor_ + k) % n;
      if (!isFree(t[i])) continue;
      cursor_ = (i + 1) % n;
      owner_[num(t[i])] = entry;
      entries_[entry].inReg = true;
      entries_[entry].reg = t[i];
      return t[i];
    }
    // Without the spill rung a single temp never spills.
    if (!cfg_.spilling || !spillDeepest()) fail(LegacyError::NoFreeTemp);
  }
}

std::pair<PReg, PReg> Walker::takePair(int loEntry, int hiEntry) {
  const auto &t = a_.temps;
  const auto n = static_cast<unsigned>(t.size());
  // A pair is Rn:Rn+1, n in 0..7, both in the pool.
  auto pairAt = [&](unsigned i) {
    if (num(t[i]) > 7) return false;
    auto hi = static_cast<PReg>(num(t[i]) + 1);
    return inPool(hi);
  };
  if (n == 0) fail(LegacyError::NoPair);
  for (;;) {
    for (unsigned k = 0; k < n; ++k) {
      unsigned i = (cursor_ + k) % n;
      if (!pairAt(i)) continue;
      PReg lo = t[i], hi = static_cast<PReg>(num(t[i]) + 1);
      if (!isFree(lo) || !isFree(hi)) continue;
      auto hiIdx = static_cast<unsigned>(std::find(t.begin(), t.end(), hi) - t.begin());
      cursor_ = (hiIdx + 1) % n;
      owner_[num(lo)] = loEntry;
      owner_[num(hi)] = hiEntry;
      entries_[loEntry].inReg = entries_[hiEntry].inReg = true;
      entries_[loEntry].reg = lo;
      entries_[hiEntry].reg = hi;
      entries_[loEntry].partner = hiEntry;
      entries_[hiEntry].partner = loEntry;
      return {lo, hi};
    }
    // Pair allocation spills at every rung (the function has the i64 spill
    // area), but only while some pair is made of free or spillable
    // registers (reserved homes and this instruction's operands cannot
    // move); otherwise the error is always "no consecutive pair".
    auto movable = [&](PReg r) {
      if (!inPool(r) || reserved_[num(r)]) return false;
      int e = owner_[num(r)];
      if (e < 0) return true;
      return entries_[e].defined && std::find(pinned_.begin(), pinned_.end(), e) == pinned_.end() &&
             (entries_[e].partner < 0 || entries_[entries_[e].partner].defined);
    };
    bool possible = false;
    for (unsigned i = 0; i < n; ++i) possible |= pairAt(i) && movable(t[i]) && movable(static_cast<PReg>(num(t[i]) + 1));
    if (!possible || poolUsed_.empty() || !spillDeepest()) fail(LegacyError::NoPair);
  }
}

bool Walker::spillDeepest() {
  int victim = -1;
  for (PReg r : a_.temps) {
    int e = owner_[num(r)];
    if (e < 0) continue;
    const Entry &en = entries_[e];
    if (!en.defined || std::find(pinned_.begin(), pinned_.end(), e) != pinned_.end()) continue;
    if (en.partner >= 0) {
      const Entry &p = entries_[en.partner];
      if (!p.defined || std::find(pinned_.begin(), pinned_.end(), en.partner) != pinned_.end()) continue;
    }
    if (victim < 0 || en.seq < entries_[victim].seq) victim = e;
  }
  // Aliases of register homes are stack entries too: the deepest one may be
  // the victim (a slot is spent, no register is freed).
  int aliasVictim = -1;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry &en = entries_[i];
    if (!en.alias || en.dead || en.inReg || en.slot >= 0) continue;
    if (std::find(pinned_.begin(), pinned_.end(), static_cast<int>(i)) != pinned_.end()) continue;
    if (aliasVictim < 0 || en.seq < entries_[static_cast<size_t>(aliasVictim)].seq) aliasVictim = static_cast<int>(i);
  }
  if (aliasVictim >= 0 && (victim < 0 || entries_[static_cast<size_t>(aliasVictim)].seq < entries_[victim].seq)) {
    int slot = freePoolSlot();
    if (slot < 0) fail(LegacyError::PoolExhausted);
    poolUsed_[static_cast<size_t>(slot)] = true;
    Entry &en = entries_[static_cast<size_t>(aliasVictim)];
    out_.push_back(makeInstr(Opcode::Sts, {Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(slot))},
                             {Operand::preg(en.reg)}, Origin::Spill));
    en.slot = slot;
    en.word = 0;
    return true;
  }
  if (victim < 0) return false;
  int slot = freePoolSlot();
  if (slot < 0) fail(LegacyError::PoolExhausted);
  poolUsed_[static_cast<size_t>(slot)] = true;
  auto spillOne = [&](int e, uint32_t word) {
    Entry &en = entries_[e];
    if (!en.inReg) return;
    out_.push_back(makeInstr(Opcode::Sts, {Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(slot) + 4 * word)},
                             {Operand::preg(en.reg)}, Origin::Spill));
    owner_[num(en.reg)] = -1;
    en.inReg = false;
    en.slot = slot;
    en.word = word;
  };
  const Entry &v = entries_[victim];
  if (v.partner >= 0 && !entries_[v.partner].dead) {
    bool lo = a_.lo[v.v];
    spillOne(lo ? victim : v.partner, 0);
    spillOne(lo ? v.partner : victim, 1);
  } else {
    spillOne(victim, 0);
  }
  return true;
}

Operand Walker::materialise(int e) {
  if (entries_[e].inReg || (entries_[e].alias && entries_[e].slot < 0)) return regOf(e);
  Entry &en = entries_[e];
  int slot = en.slot;
  uint32_t word = en.word;
  Operand r = take(e);
  out_.push_back(makeInstr(Opcode::Lds, {r},
                           {Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(slot) + 4 * word)}, Origin::Reload));
  entries_[e].slot = -1;
  bool partnerThere = entries_[e].partner >= 0 && !entries_[entries_[e].partner].dead &&
                      entries_[entries_[e].partner].slot == slot;
  if (!partnerThere) poolUsed_[static_cast<size_t>(slot)] = false;
  return r;
}

void Walker::releaseEntry(int e) {
  Entry &en = entries_[e];
  if (en.dead) return;
  en.dead = true;
  if (en.inReg && en.cls != mir::RegClass::Core) {
    for (unsigned u = 0; u < kVfpUnits; ++u)
      if (vowner_[u] == e) vowner_[u] = -1;
  } else if (en.inReg && owner_[num(en.reg)] == e) {
    owner_[num(en.reg)] = -1;
  }
  en.inReg = false;
  if (en.slot >= 0) {
    bool partnerThere = en.partner >= 0 && !entries_[en.partner].dead && entries_[en.partner].slot == en.slot;
    if (!partnerThere) poolUsed_[static_cast<size_t>(en.slot)] = false;
    en.slot = -1;
  }
}

}  // namespace vcr::ladder::detail
