// The legacy model's VFP file (LEGACY.md, "Floats"): f32 values in S0-S15
// lowest free first, f64 values in D0-D7; S16-S31 never used, so no
// VPUSH/VPOP. The vfp-spill rungs spill the block's deepest float value to
// the shared spill pool; calls save the live S registers in a 16-word area.
#include "ladder/legacy_internal.h"

#include <algorithm>

namespace vcr::ladder::detail {

bool Walker::vfpFree(unsigned unit, unsigned n) const {
  for (unsigned u = unit; u < unit + n; ++u)
    if (u >= kVfpUnits || vowner_[u] >= 0 || vreserved_[u]) return false;
  return true;
}

void Walker::claimVfp(int e, const Operand &r) {
  const auto [u0, n] = unitsOf(r);
  for (unsigned u = u0; u < u0 + n; ++u) vowner_[u] = e;
  entries_[e].inReg = true;
  entries_[e].unit = u0;
}

Operand Walker::regOf(int e) const {
  const Entry &en = entries_[e];
  return en.cls == mir::RegClass::Core ? Operand::preg(en.reg) : vfpOperand(en.cls, en.unit);
}

Operand Walker::takeVfp(int entry) {
  const bool d = entries_[entry].cls == mir::RegClass::F64;
  for (;;) {
    if (auto r = lowestFreeVfp(entries_[entry].cls, [](const Operand &) { return false; })) {
      claimVfp(entry, *r);
      return *r;
    }
    // The vfp-spill rungs' pressure guard: the deepest float value goes to the pool.
    if (!cfg_.vfpSpilling || !spillDeepestVfp()) fail(d ? LegacyError::VfpDExhausted : LegacyError::VfpExhausted);
  }
}

Operand Walker::take(int entry) {
  if (entries_[entry].cls == mir::RegClass::Core) return Operand::preg(takeReg(entry));
  return takeVfp(entry);
}

bool Walker::spillDeepestVfp() {
  int victim = -1;
  for (unsigned u = 0; u < kVfpUnits; ++u) {
    const int e = vowner_[u];
    if (e < 0 || !entries_[e].defined || std::find(pinned_.begin(), pinned_.end(), e) != pinned_.end()) continue;
    if (victim < 0 || entries_[e].seq < entries_[victim].seq) victim = e;
  }
  if (victim < 0) return false;
  const int slot = freePoolSlot();
  if (slot < 0) fail(LegacyError::PoolExhausted);
  poolUsed_[static_cast<size_t>(slot)] = true;
  Entry &en = entries_[victim];
  const Operand r = regOf(victim);
  out_.push_back(makeInstr(Opcode::Sts, {Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(slot))}, {r},
                           Origin::Spill));
  const auto [u0, n] = unitsOf(r);
  for (unsigned u = u0; u < u0 + n; ++u) vowner_[u] = -1;
  en.inReg = false;
  en.slot = slot;
  en.word = 0;
  return true;
}

void Walker::vfpParallelMove(std::vector<std::pair<Operand, Operand>> moves) {
  // Every destination (identity moves included) holds an argument once its
  // move is done: never a place to park a value.
  const std::vector<std::pair<Operand, Operand>> all = moves;
  std::erase_if(moves, [](const auto &m) { return m.first == m.second; });
  std::vector<std::pair<Operand, int>> parked;  // (destination, pool slot) loaded at the end
  while (!moves.empty()) {
    // Ready: a move whose destination no other pending move still reads.
    auto ready = std::find_if(moves.begin(), moves.end(), [&](const auto &m) {
      return std::none_of(moves.begin(), moves.end(),
                          [&](const auto &o) { return &o != &m && overlaps(o.second, m.first); });
    });
    if (ready != moves.end()) {
      out_.push_back(makeInstr(Opcode::Mov, {ready->first}, {ready->second}, Origin::Move));
      moves.erase(ready);
      continue;
    }
    // A cycle (S and D moves may interlock): move aside the source of every
    // other move that reads the first move's destination, so the first move
    // becomes ready. Aside: a free register of the source's class outside
    // every argument register and pending source, else a pool slot (loaded
    // into the destination after the moves), else the file is exhausted.
    const Operand dst = moves.front().first;
    for (size_t k = 1; k < moves.size(); ++k) {
      if (!overlaps(moves[k].second, dst)) continue;
      const Operand src = moves[k].second;
      const unsigned n = unitsOf(src).second;
      const std::optional<Operand> via =
          lowestFreeVfp(n == 2 ? mir::RegClass::F64 : mir::RegClass::F32, [&](const Operand &cand) {
            return std::any_of(all.begin(), all.end(), [&](const auto &m) { return overlaps(m.first, cand); }) ||
                   std::any_of(moves.begin(), moves.end(), [&](const auto &m) { return overlaps(m.second, cand); });
          });
      if (via) {
        out_.push_back(makeInstr(Opcode::Mov, {*via}, {src}, Origin::Move));
        moves[k].second = *via;
        continue;
      }
      const int slot = freePoolSlot();
      if (slot < 0) fail(n == 2 ? LegacyError::VfpDExhausted : LegacyError::VfpExhausted);
      poolUsed_[static_cast<size_t>(slot)] = true;
      out_.push_back(makeInstr(Opcode::Sts, {Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(slot))}, {src},
                               Origin::Spill));
      parked.push_back({moves[k].first, slot});
      moves.erase(moves.begin() + static_cast<std::ptrdiff_t>(k));
      --k;
    }
  }
  for (const auto &[d, slot] : parked) {
    out_.push_back(makeInstr(Opcode::Lds, {d}, {Operand::stack(poolOff_ + 8 * static_cast<uint32_t>(slot))},
                             Origin::Reload));
    poolUsed_[static_cast<size_t>(slot)] = false;
  }
}

std::vector<Operand> Walker::saveVfp(const Instr &call) {
  // A reserved register that is the home of this call's own result holds
  // nothing yet (a block value starting here): not saved.
  std::array<bool, kVfpUnits> result{};
  for (const Operand &d : call.defs)
    if (d.isVReg() && isVfpV(a_, d.value) && a_.home[d.value].kind == Home::Kind::Reg &&
        a_.home[d.value].unit != kUnpicked)
      for (unsigned u = a_.home[d.value].unit; u < a_.home[d.value].unit + (a_.cls[d.value] == mir::RegClass::F64 ? 2u : 1u) && u < kVfpUnits; ++u)
        result[u] = true;
  std::vector<Operand> saved;
  for (unsigned u = 0; u < kVfpUnits; ++u) {
    if (vowner_[u] < 0 && result[u]) continue;
    Operand r = Operand::sreg(u);
    if (const int e = vowner_[u]; e >= 0) {
      if (!entries_[e].defined || entries_[e].unit != u) continue;  // a D register is saved at its first unit
      r = regOf(e);
    } else if (!vreserved_[u]) {
      continue;
    } else if (vreservedD_[u]) {
      r = Operand::dreg(u / 2);
    } else if (u % 2 == 1 && vreservedD_[u - 1]) {
      continue;  // saved with its D register
    }
    saved.push_back(r);
    // Sn at word n of the area (Dn at words 2n, 2n+1).
    out_.push_back(makeInstr(Opcode::Sts, {Operand::stack(vsaveOff_ + 4 * unitsOf(r).first)}, {r}, Origin::Spill));
  }
  return saved;
}

}  // namespace vcr::ladder::detail
