// The legacy model's walk: each block's instructions in program order, operands resolved to registers, frame layout.
#include "ladder/legacy_internal.h"

#include <algorithm>

namespace vcr::ladder::detail {

namespace {
unsigned num(PReg r) { return static_cast<unsigned>(r); }

unsigned countOps(const mir::Function &f, Opcode op, Origin o) {
  unsigned n = 0;
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs) n += i.op == op && i.origin == o;
  return n;
}
}  // namespace

Operand Walker::homeSlot(VReg v) const {
  uint32_t off = a_.home[v].off;
  return Operand::stack(off >= kIncoming ? off : homeOff_ + off);
}

void Walker::updateReserved(size_t pos, bool inclusive) {
  reserved_.fill(false);
  vreserved_.fill(false);
  vreservedD_.fill(false);
  for (VReg v = 0; v < a_.home.size(); ++v) {
    const Home &h = a_.home[v];
    if (h.kind != Home::Kind::Reg) continue;
    auto p = static_cast<int64_t>(pos);
    const bool held = a_.release[v] > p || (inclusive && a_.release[v] == p);
    if (isVfpV(a_, v)) {  // an S or D home (parameter or block value)
      if (!held || h.unit == kUnpicked) continue;
      const unsigned n = a_.cls[v] == mir::RegClass::F64 ? 2 : 1;
      for (unsigned u = h.unit; u < h.unit + n && u < kVfpUnits; ++u) vreserved_[u] = true;
      if (n == 2 && h.unit < kVfpUnits) vreservedD_[h.unit] = true;
      continue;
    }
    if (h.reg == PReg::PC || num(h.reg) >= reserved_.size()) continue;
    if (held) reserved_[num(h.reg)] = true;
  }
}

bool Walker::homeLive(VReg v, size_t pos, bool forDef) const {
  const Home &h = a_.home[v];
  if (h.kind != Home::Kind::Reg) return false;
  auto p = static_cast<int64_t>(pos);
  return forDef ? a_.release[v] > p : a_.release[v] >= p;
}

void Walker::pickBlockValues(size_t pos) {
  const auto &bv = a_.blockValues;
  for (; nextBlockValue_ < bv.size() && bv[nextBlockValue_].first <= pos; ++nextBlockValue_) {
    updateReserved(pos, true);
    const VReg v = bv[nextBlockValue_].second;
    int e = newEntry(v, true);
    if (isVfpV(a_, v)) {  // lowest free S/D, spilling under the vfp-spill rungs
      const Operand r = takeVfp(e);
      releaseEntry(e);
      a_.home[v].unit = unitsOf(r).first;
      continue;
    }
    if (a_.partner[v] >= 0) {  // the low half of an i64: a pair (round-robin, pair spilling as usual)
      const auto hi = static_cast<VReg>(a_.partner[v]);
      int he = newEntry(hi, true);
      auto [lo, h] = takePair(e, he);
      releaseEntry(he);
      releaseEntry(e);
      a_.home[v].reg = lo;
      a_.home[hi].reg = h;
      continue;
    }
    PReg r = takeReg(e);  // round-robin, like any push; spills when the spill rung is on
    releaseEntry(e);
    a_.home[v].reg = r;
  }
}

void Walker::claim(int e, PReg r) {
  owner_[num(r)] = e;
  entries_[e].inReg = true;
  entries_[e].reg = r;
}

mir::Function Walker::run() {
  saveOff_ = a_.outBytes;
  // The call save area: 5 words (R0-R3 and R12), a sixth for LR when it is a temp.
  saveWords_ = !a_.calls ? 0 : 5 + (std::find(a_.temps.begin(), a_.temps.end(), PReg::LR) != a_.temps.end());
  // The 16-word area where calls save the live S0-S15 (with VFP values only).
  vsaveOff_ = saveOff_ + 4 * saveWords_;
  poolOff_ = vsaveOff_ + (a_.calls && a_.usesVfp ? 4 * kVfpUnits : 0);
  homeOff_ = poolOff_ + 8 * static_cast<uint32_t>(poolUsed_.size());
  bodyBytes_ = homeOff_ + a_.homeBytes;
  hasCalls_ = a_.calls;
  mir::Function out;
  out.name = a_.fn.name;
  out.sig = a_.fn.sig;
  out.allocated = true;
  out.wasmIndex = a_.fn.wasmIndex;
  out.floatParams = a_.fn.floatParams;
  out.floatResults = a_.fn.floatResults;
  for (mir::BlockId b = 0; b < a_.fn.blocks.size(); ++b) {
    walkBlock(b);
    out.blocks.push_back({a_.fn.blocks[b].label, std::move(out_)});
    out_.clear();
  }
  finishFrame(out);
  stats.spillStores = countOps(out, Opcode::Sts, Origin::Spill);
  stats.reloads = countOps(out, Opcode::Lds, Origin::Reload);
  for (const auto &b : out.blocks)
    for (const auto &i : b.instrs) stats.movesAfter += i.op == Opcode::Mov;
  for (const auto &b : a_.fn.blocks)
    for (const auto &i : b.instrs) stats.movesBefore += i.op == Opcode::Mov;
  return out;
}

void Walker::walkBlock(mir::BlockId b) {
  block_ = b;
  entries_.clear();
  valueEntry_.clear();
  aliasEntry_.clear();
  owner_.fill(-1);
  vowner_.fill(-1);
  std::fill(poolUsed_.begin(), poolUsed_.end(), false);
  const auto &is = a_.fn.blocks[b].instrs;
  for (size_t i = 0; i < is.size(); ++i) {
    where_ = "block " + a_.fn.blocks[b].label + ", instruction " + std::to_string(i);
    pickBlockValues(a_.blockStart[b] + i);
    step(is[i], i);
    afterInstr(i);
  }
}

Operand Walker::useOperand(const Instr &in, size_t idx, unsigned k, std::vector<int> &scratch) {
  const Operand &o = in.uses[k];
  if (!o.isVReg()) return o;
  const VReg v = o.value;
  const size_t pos = a_.blockStart[block_] + idx;
  if (auto it = aliasEntry_.find({idx, k}); it != aliasEntry_.end()) {
    pinned_.push_back(it->second);
    return materialise(it->second);
  }
  if (v < a_.home.size() && a_.home[v].kind == Home::Kind::Reg) {
    if (isVfpV(a_, v)) {
      if (!homeLive(v, pos, false) || a_.home[v].unit == kUnpicked) fail(LegacyError::Malformed);
      return vfpOperand(a_.cls[v], a_.home[v].unit);
    }
    if (!homeLive(v, pos, false) || a_.home[v].reg == PReg::PC) fail(LegacyError::Malformed);  // PC: not picked yet
    return Operand::preg(a_.home[v].reg);
  }
  if (v < a_.home.size() && a_.home[v].kind == Home::Kind::Frame) {
    int e = newEntry(v, true);
    Operand r = take(e);
    pinned_.push_back(e);
    scratch.push_back(e);
    Operand slot = homeSlot(v);
    out_.push_back(makeInstr(Opcode::Lds, {r}, {slot}, slot.value >= kIncoming ? Origin::InArg : Origin::Frame));
    return r;
  }
  auto it = valueEntry_.find(v);
  if (it == valueEntry_.end()) fail(LegacyError::Malformed);
  pinned_.push_back(it->second);
  return materialise(it->second);
}

void Walker::defineTemp(VReg v, size_t idx, std::vector<int> &scratch, Operand &out) {
  if (auto it = valueEntry_.find(v); it != valueEntry_.end() && !entries_[it->second].defined) {
    entries_[it->second].defined = true;  // the register its partner reserved
    entries_[it->second].seq = seq_++;
    out = regOf(it->second);
    if (!entries_[it->second].inReg) out = materialise(it->second);
    pinned_.push_back(it->second);
    auto last = a_.lastUse[block_].find(v);
    if (last == a_.lastUse[block_].end() || last->second <= idx) {  // a dead half
      scratch.push_back(it->second);
      valueEntry_.erase(it);
    }
    return;
  }
  if (auto it = valueEntry_.find(v); it != valueEntry_.end()) releaseEntry(it->second);  // redefinition
  const auto &lu = a_.lastUse[block_];
  auto last = lu.find(v);
  const bool live = last != lu.end() && last->second > idx;
  int e = newEntry(v, true);
  int32_t p = a_.partner[v];
  if (live && p >= 0 && isTemp(a_, static_cast<VReg>(p)) && !valueEntry_.count(static_cast<VReg>(p))) {
    int pe = newEntry(static_cast<VReg>(p), false);
    auto pr = a_.lo[v] ? takePair(e, pe) : takePair(pe, e);
    out = Operand::preg(a_.lo[v] ? pr.first : pr.second);
    valueEntry_[static_cast<VReg>(p)] = pe;
  } else {
    out = take(e);
  }
  pinned_.push_back(e);
  if (live)
    valueEntry_[v] = e;
  else
    scratch.push_back(e);
}

void Walker::step(const Instr &in, size_t idx) {
  if (in.op == Opcode::Param) return emitEntry();
  if (in.op == Opcode::Call || in.op == Opcode::CallInd) return emitCall(in, idx);
  if (in.op == Opcode::Ret) return emitRet(in, idx);
  const size_t pos = a_.blockStart[block_] + idx;
  pinned_.clear();
  std::vector<int> scratch;
  updateReserved(pos, true);
  Instr out = in;
  for (unsigned k = 0; k < in.uses.size(); ++k) out.uses[k] = useOperand(in, idx, k, scratch);
  // Uses popped here free their registers (the instruction reads before it
  // writes), except under an i64 result: the legacy two-instruction pair
  // sequences (ADDS/ADC...) need the result pair disjoint from the operands.
  // A register home read for the last time stays reserved during the op.
  const bool pairResult = in.defs.size() >= 2;
  // Division by a non-power-of-two constant: a reciprocal multiply. The
  // divisor constant is popped; the result, the magic constant and the
  // UMULL high word are live at once while the dividend is still held. The
  // model reserves the two extra temps; the code stays vcr-ra's division.
  std::vector<int> phantoms;
  const bool constDiv = a_.constDiv[block_].count(idx) > 0;
  if (constDiv) {
    if (auto it = valueEntry_.find(in.uses[1].value);
        it != valueEntry_.end() && a_.lastUse[block_][in.uses[1].value] == idx)
      releaseEntry(it->second);
    for (int k = 0; k < 2; ++k) {
      int e = newEntry(0, true);
      entries_[e].cls = mir::RegClass::Core;
      takeReg(e);
      pinned_.push_back(e);
      phantoms.push_back(e);
    }
  }
  const bool holdUses = pairResult || constDiv;
  auto popUses = [&] {
    for (unsigned k = 0; k < in.uses.size(); ++k) {
      if (auto it = aliasEntry_.find({idx, k}); it != aliasEntry_.end()) releaseEntry(it->second);
      const Operand &o = in.uses[k];
      if (o.isVReg() && isTemp(a_, o.value)) {
        auto lu = a_.lastUse[block_].find(o.value);
        if (lu != a_.lastUse[block_].end() && lu->second == idx)
          if (auto it = valueEntry_.find(o.value); it != valueEntry_.end()) releaseEntry(it->second);
      }
    }
    for (int e : scratch) releaseEntry(e);
    scratch.clear();
  };
  if (!holdUses) popUses();
  // local.set of a frame local: store the popped value directly.
  if (in.op == Opcode::Mov && in.defs.size() == 1 && in.defs[0].isVReg() &&
      (out.uses[0].isPReg() || out.uses[0].isVfp()) && a_.home[in.defs[0].value].kind == Home::Kind::Frame) {
    out_.push_back(makeInstr(Opcode::Sts, {homeSlot(in.defs[0].value)}, {out.uses[0]}, Origin::Frame));
    lastStored_ = {in.defs[0].value, out.uses[0]};
    return;
  }
  std::vector<int> useScratch;
  if (holdUses) std::swap(useScratch, scratch);
  std::vector<std::pair<VReg, Operand>> stores;
  for (size_t k = 0; k < in.defs.size(); ++k) {
    const Operand &o = in.defs[k];
    if (!o.isVReg()) continue;
    const VReg v = o.value;
    Operand r;
    if (v < a_.home.size() && a_.home[v].kind == Home::Kind::Reg && homeLive(v, pos, true)) {
      if (isVfpV(a_, v) && a_.home[v].unit == kUnpicked) fail(LegacyError::Malformed);
      r = isVfpV(a_, v) ? vfpOperand(a_.cls[v], a_.home[v].unit) : Operand::preg(a_.home[v].reg);
    } else if (v < a_.home.size() && a_.home[v].kind == Home::Kind::Frame) {
      int e = newEntry(v, true);
      r = take(e);
      pinned_.push_back(e);
      scratch.push_back(e);
      stores.push_back({v, r});
    } else if (v < a_.home.size() && a_.home[v].kind == Home::Kind::Reg) {
      int e = newEntry(v, true);  // a write to a parameter past its last read: dead
      r = take(e);
      scratch.push_back(e);
    } else {
      defineTemp(v, idx, scratch, r);
    }
    out.defs[k] = r;
  }
  if (holdUses) {
    std::vector<int> defScratch = std::move(scratch);
    scratch = std::move(useScratch);
    popUses();
    scratch = std::move(defScratch);
  }
  for (int e : phantoms) releaseEntry(e);
  out_.push_back(std::move(out));
  for (const auto &[v, r] : stores) {
    out_.push_back(makeInstr(Opcode::Sts, {homeSlot(v)}, {r}, Origin::Frame));
    lastStored_ = {v, r};
  }
  for (int e : scratch) releaseEntry(e);
}

void Walker::afterInstr(size_t idx) {
  updateReserved(a_.blockStart[block_] + idx, false);  // the op is done: last reads release their homes
  for (const AliasPush &p : a_.aliases[block_]) {
    if (p.pushAfter != idx) continue;
    int e = newEntry(p.v, true);
    aliasEntry_[{p.useAt, p.operand}] = e;
    if (a_.home[p.v].kind == Home::Kind::Reg) {  // an alias of a register home
      entries_[e].alias = true;
      entries_[e].reg = a_.home[p.v].reg;
      continue;
    }
    // local.tee: the stored value is still in its register; keep it there.
    if (lastStored_ && lastStored_->first == p.v) {
      const Operand &r = lastStored_->second;
      if (r.isPReg() && owner_[num(r.preg())] < 0 && !reserved_[num(r.preg())]) {
        claim(e, r.preg());
        lastStored_.reset();
        continue;
      }
      if (r.isVfp() && vfpFree(unitsOf(r).first, unitsOf(r).second)) {
        claimVfp(e, r);
        lastStored_.reset();
        continue;
      }
    }
    pinned_.clear();
    Operand r = take(e);
    Operand slot = homeSlot(p.v);
    out_.push_back(makeInstr(Opcode::Lds, {r}, {slot}, slot.value >= kIncoming ? Origin::InArg : Origin::Frame));
  }
  lastStored_.reset();
}

void Walker::emitEntry() {
  Instr decl = makeInstr(Opcode::Param, {}, {}, Origin::Original);
  for (const auto &l : arm::paramLocations(a_.fn.sig)) decl.defs.push_back(arm::locOperand(l));
  out_.push_back(decl);
  const Instr &param = a_.fn.blocks[0].instrs[0];
  auto locs = arm::paramLocations(a_.fn.sig);
  for (size_t i = 0; i < locs.size() && i < param.defs.size(); ++i) {
    VReg v = param.defs[i].value;
    if (!locs[i].onStack && a_.home[v].kind == Home::Kind::Frame)
      out_.push_back(makeInstr(Opcode::Sts, {homeSlot(v)}, {arm::locOperand(locs[i])}, Origin::Frame));
  }
}

void Walker::emitRet(const Instr &in, size_t idx) {
  pinned_.clear();
  std::vector<int> scratch;
  updateReserved(a_.blockStart[block_] + idx, true);
  auto results = arm::resultLocations(a_.fn.sig);
  if (results.size() != in.uses.size()) fail(LegacyError::Malformed);
  std::vector<std::pair<PReg, PReg>> moves;
  std::vector<std::pair<Operand, Operand>> vfpMoves;  // an f32 result to S0, an f64 to D0
  std::vector<std::pair<PReg, uint32_t>> imms;
  for (unsigned k = 0; k < in.uses.size(); ++k) {
    Operand o = useOperand(in, idx, k, scratch);
    if (o.isImm())
      imms.push_back({results[k].reg, o.value});
    else if (o.isVfp())
      vfpMoves.push_back({arm::locOperand(results[k]), o});
    else
      moves.push_back({results[k].reg, o.preg()});
  }
  parallelMove(moves);
  vfpParallelMove(vfpMoves);
  for (auto [r, v] : imms) out_.push_back(makeInstr(Opcode::MovI, {Operand::preg(r)}, {}, Origin::Move, v));
  Instr ret = in;
  ret.uses.clear();
  for (const auto &l : results) ret.uses.push_back(arm::locOperand(l));
  out_.push_back(std::move(ret));
  for (auto &[key, e] : aliasEntry_) releaseEntry(e);
  for (auto &[v, e] : valueEntry_) releaseEntry(e);
}

void Walker::finishFrame(mir::Function &out) {
  arm::RegSet saved;
  for (const auto &b : out.blocks)
    for (const Instr &i : b.instrs)
      if (i.op != Opcode::Param)
        for (const Operand &o : i.defs)
          if (o.isPReg() && (arm::calleeSaved().contains(o.preg()) || o.preg() == PReg::LR)) saved.add(o.preg());
  if (hasCalls_) saved.add(PReg::LR);
  const uint32_t pushed = 4 * saved.size();
  uint32_t n = bodyBytes_;
  if ((pushed + n) % 8) n += 4;
  const uint32_t frame = pushed + n;
  for (auto &b : out.blocks)
    for (Instr &i : b.instrs) {
      if (i.op == Opcode::Param) continue;
      for (auto *ops : {&i.defs, &i.uses})
        for (Operand &o : *ops)
          if (o.isStack() && o.value >= kIncoming) o = Operand::stack(o.value - kIncoming + frame);
    }
  mir::OperandList regs;
  for (PReg r : saved.list()) regs.push_back(Operand::preg(r));
  std::vector<Instr> prologue, epilogue;
  if (!regs.empty()) prologue.push_back(makeInstr(Opcode::Push, {}, regs, Origin::Prologue));
  if (n) prologue.push_back(makeInstr(Opcode::AdjSp, {}, {}, Origin::Prologue, static_cast<uint32_t>(-static_cast<int32_t>(n))));
  if (n) epilogue.push_back(makeInstr(Opcode::AdjSp, {}, {}, Origin::Epilogue, n));
  if (!regs.empty()) epilogue.push_back(makeInstr(Opcode::Pop, regs, {}, Origin::Epilogue));
  auto &entry = out.blocks[0].instrs;
  size_t at = !entry.empty() && entry[0].op == Opcode::Param ? 1 : 0;
  entry.insert(entry.begin() + static_cast<std::ptrdiff_t>(at), prologue.begin(), prologue.end());
  for (auto &b : out.blocks) {
    auto &is = b.instrs;
    if (!is.empty() && is.back().op == Opcode::Ret) is.insert(is.end() - 1, epilogue.begin(), epilogue.end());
  }
  stats.frameBytes = frame;
  stats.calleeSaved = saved;
}

}  // namespace vcr::ladder::detail
