// The legacy model's register file: round-robin temps from R0-R8, i64 pairs, reservations and pool spilling.
#include "ladder/legacy_internal.h"

#include <algorithm>

namespace vcr::ladder::detail {

namespace {
constexpr unsigned kTemps = 9;  // R0-R8
PReg reg(unsigned n) { return static_cast<PReg>(n); }
unsigned num(PReg r) { return static_cast<unsigned>(r); }
}  // namespace

Walker::Walker(Analysis &a, const mir::Module &m, const LegacyConfig &cfg) : a_(a), m_(m), cfg_(cfg) {
  owner_.fill(-1);
  reserved_.fill(false);
  poolUsed_.assign(cfg_.spilling ? cfg_.poolSlots : 0, false);
}

void Walker::fail(LegacyError k) const { throw Exhausted{k, where_}; }

bool Walker::isFree(PReg r) const { return num(r) < kTemps && owner_[num(r)] < 0 && !reserved_[num(r)]; }

unsigned Walker::freeCount() const {
  unsigned n = 0;
  for (unsigned r = 0; r < kTemps; ++r) n += isFree(reg(r));
  return n;
}

int Walker::newEntry(VReg v, bool defined) {
  Entry e;
  e.v = v;
  e.defined = defined;
  e.seq = seq_++;
  entries_.push_back(e);
  return static_cast<int>(entries_.size() - 1);
}

PReg Walker::takeReg(int entry) {
  for (;;) {
    for (unsigned k = 0; k < kTemps; ++k) {
      unsigned r = (cursor_ + k) % kTemps;
      if (!isFree(reg(r))) continue;
      cursor_ = (r + 1) % kTemps;
      owner_[r] = entry;
      entries_[entry].inReg = true;
      entries_[entry].reg = reg(r);
      return reg(r);
    }
    if (!cfg_.spilling) fail(LegacyError::NoFreeTemp);
    if (!spillDeepest()) fail(LegacyError::NoFreeTemp);
  }
}

std::pair<PReg, PReg> Walker::takePair(int loEntry, int hiEntry) {
  for (;;) {
    for (unsigned k = 0; k < kTemps; ++k) {
      unsigned r = (cursor_ + k) % kTemps;
      if (r + 1 >= kTemps || !isFree(reg(r)) || !isFree(reg(r + 1))) continue;
      cursor_ = (r + 2) % kTemps;
      owner_[r] = loEntry;
      owner_[r + 1] = hiEntry;
      entries_[loEntry].inReg = entries_[hiEntry].inReg = true;
      entries_[loEntry].reg = reg(r);
      entries_[hiEntry].reg = reg(r + 1);
      entries_[loEntry].partner = hiEntry;
      entries_[hiEntry].partner = loEntry;
      return {reg(r), reg(r + 1)};
    }
    if (!cfg_.spilling) fail(freeCount() < 2 ? LegacyError::NoFreeTemp : LegacyError::NoPair);
    // Spilling helps only if some pair is made of free or spillable registers
    // (reserved homes and this instruction's operands cannot move).
    auto movable = [&](unsigned r) {
      if (reserved_[r]) return false;
      int e = owner_[r];
      if (e < 0) return true;
      return entries_[e].defined && std::find(pinned_.begin(), pinned_.end(), e) == pinned_.end() &&
             (entries_[e].partner < 0 || entries_[entries_[e].partner].defined);
    };
    bool possible = false;
    for (unsigned r = 0; r + 1 < kTemps; ++r) possible |= movable(r) && movable(r + 1);
    if (!possible || !spillDeepest()) fail(LegacyError::NoPair);
  }
}

bool Walker::spillDeepest() {
  int victim = -1;
  for (unsigned r = 0; r < kTemps; ++r) {
    int e = owner_[r];
    if (e < 0) continue;
    const Entry &en = entries_[e];
    if (!en.defined || std::find(pinned_.begin(), pinned_.end(), e) != pinned_.end()) continue;
    if (en.partner >= 0) {
      const Entry &p = entries_[en.partner];
      if (!p.defined || std::find(pinned_.begin(), pinned_.end(), en.partner) != pinned_.end()) continue;
    }
    if (victim < 0 || en.seq < entries_[victim].seq) victim = e;
  }
  if (victim < 0) return false;
  int slot = -1;
  for (size_t s = 0; s < poolUsed_.size(); ++s)
    if (!poolUsed_[s]) {
      slot = static_cast<int>(s);
      break;
    }
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

PReg Walker::materialise(int e) {
  if (entries_[e].inReg) return entries_[e].reg;
  Entry &en = entries_[e];
  int slot = en.slot;
  uint32_t word = en.word;
  PReg r = takeReg(e);
  out_.push_back(makeInstr(Opcode::Lds, {Operand::preg(r)},
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
  if (en.inReg && owner_[num(en.reg)] == e) owner_[num(en.reg)] = -1;
  en.inReg = false;
  if (en.slot >= 0) {
    bool partnerThere = en.partner >= 0 && !entries_[en.partner].dead && entries_[en.partner].slot == en.slot;
    if (!partnerThere) poolUsed_[static_cast<size_t>(en.slot)] = false;
    en.slot = -1;
  }
}

}  // namespace vcr::ladder::detail
