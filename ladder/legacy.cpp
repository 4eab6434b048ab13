// The legacy allocator model's pre-walk analysis (homes, reservations, promotion) and its entry points.
#include "ladder/legacy_internal.h"

#include "core/ir/cfg.h"
#include "core/ir/classes.h"
#include "core/ir/runtime_calls.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace vcr::ladder {

using namespace detail;

std::string_view legacyErrorText(LegacyError e) {
  switch (e) {
  case LegacyError::None: return "";
  case LegacyError::NoFreeTemp: return "all allocatable registers are live on the stack";
  case LegacyError::NoPair: return "no consecutive pair of free registers for i64";
  case LegacyError::PoolExhausted: return "i64 spill-slot pool exhausted";
  case LegacyError::VfpExhausted: return "VFP register file exhausted";
  case LegacyError::VfpDExhausted: return "VFP D-register file exhausted";
  case LegacyError::Skipped: return "param-backing skipped: an i64 or f64 parameter is held in registers";
  case LegacyError::Malformed: return "input is not selected vreg MIR";
  }
  return "";
}

std::vector<mir::PReg> LegacyEnv::defaultTemps() {
  std::vector<mir::PReg> t;
  for (unsigned r = 0; r <= 8; ++r) t.push_back(static_cast<mir::PReg>(r));
  return t;
}

namespace detail {

namespace {

/// Whether a branch targets block 0: invalid MIR (mir::validateFunction),
/// since the entry's `param` and the prologue run once.
bool entryTargeted(const mir::Function &fn) {
  for (const auto &b : fn.blocks)
    for (const auto &i : b.instrs)
      if (std::find(i.targets.begin(), i.targets.end(), 0u) != i.targets.end()) return true;
  return false;
}

/// The order in which wasm pushed an instruction's operands (MIR lists
/// `sel` as cond, a, b and stores as value, address).
std::vector<unsigned> wasmOrder(const Instr &in) {
  if (in.op == Opcode::Sel && in.uses.size() == 3) return {1, 2, 0};
  if (in.op == Opcode::Store && in.uses.size() == 2) return {1, 0};
  if (in.op == Opcode::Store64 && in.uses.size() == 3) return {2, 0, 1};
  std::vector<unsigned> o(in.uses.size());
  for (unsigned k = 0; k < o.size(); ++k) o[k] = k;
  return o;
}

/// Per block: in-block temps' last uses, alias pushes and the depth bound.
///
/// A read of a frame-homed local is a wasm `local.get` that the legacy
/// allocator loads into a stack register where it occurs; MIR only shows the
/// reading instruction I (operand k), so the push point is reconstructed:
///  - right after the def of the nearest earlier temp operand of I (the
///    `local.get` follows that operand's expression immediately);
///  - right after the local's latest in-block write when it looks like a
///    `local.tee`: no instruction between the write and I leaves the stack
///    at or below the depth I's operand k sits at (a completed statement);
///  - otherwise, for a first operand, just before the expression of the next
///    temp operand starts; else at I itself (no extra register time).
/// `local.set x; local.get x` at the same depth is indistinguishable from
/// `local.tee x` in MIR and is modelled as the tee.
void blockFacts(Analysis &a) {
  const auto &fn = a.fn;
  a.lastUse.assign(fn.blocks.size(), {});
  a.aliases.assign(fn.blocks.size(), {});
  for (mir::BlockId b = 0; b < fn.blocks.size(); ++b) {
    const auto &is = fn.blocks[b].instrs;
    const size_t n = is.size();
    std::map<VReg, size_t> defAt;
    for (size_t i = 0; i < n; ++i) {
      for (const Operand &o : is[i].uses)
        if (o.isVReg() && isTemp(a, o.value)) a.lastUse[b][o.value] = i;
      for (const Operand &o : is[i].defs)
        if (o.isVReg() && !defAt.count(o.value)) defAt[o.value] = i;
    }
    auto isLiveTemp = [&](VReg v) { return isTemp(a, v) && a.lastUse[b].count(v) && defAt.count(v) && fn.vinfo(v).hiOf < 0; };
    // liveAfter[i]: in-block temps live just after instruction i.
    std::vector<int> diff(n + 1, 0);
    for (auto [v, d] : defAt)
      if (isLiveTemp(v) && a.lastUse[b][v] > d) {
        diff[d] += 1;
        diff[a.lastUse[b][v]] -= 1;
      }
    std::vector<int> liveAfter(n, 0);
    for (size_t i = 0, run = 0; i < n; ++i) liveAfter[i] = static_cast<int>(run += static_cast<size_t>(diff[i]));
    // Start of a temp's expression: its def, or earlier through its temp operands.
    std::map<VReg, size_t> start;
    for (size_t i = 0; i < n; ++i) {
      size_t s = i;
      for (const Operand &o : is[i].uses)
        if (o.isVReg() && start.count(o.value)) s = std::min(s, start[o.value]);
      for (const Operand &o : is[i].defs)
        if (o.isVReg() && isTemp(a, o.value)) start[o.value] = s;
    }
    std::map<VReg, size_t> lastWrite;
    std::vector<int64_t> pushOf;
    for (size_t i = 0; i < n; ++i) {
      const Instr &in = is[i];
      pushOf.assign(in.uses.size(), -1);
      const std::vector<unsigned> order = wasmOrder(in);
      for (unsigned q = 0; q < order.size(); ++q) {
        const unsigned k = order[q];
        const Operand &o = in.uses[k];
        // Reads of frame locals load into a stack register; reads of an i32
        // register home push an alias (no register, but a stack entry that
        // the spiller may pick: LEGACY.md, "i64").
        if (!o.isVReg() || isTemp(a, o.value)) continue;
        const Home &h = a.home[o.value];
        if (h.kind != Home::Kind::Frame && !(h.kind == Home::Kind::Reg && a.partner[o.value] < 0 && !isVfpV(a, o.value)))
          continue;
        auto kind = fn.vinfo(o.value).kind;
        if (kind != mir::VRegInfo::Kind::Local && kind != mir::VRegInfo::Kind::Param) continue;
        int64_t push = -1;
        bool prevTemp = false;
        int base = 0;  // stack entries below operand k: live temps not used by I, plus I's earlier temp operands
        for (unsigned qj = 0; qj < q; ++qj) {
          const unsigned j = order[qj];
          const Operand &u = in.uses[j];
          if (u.isVReg() && defAt.count(u.value) && isTemp(a, u.value) && defAt[u.value] < i) {
            push = std::max(push, static_cast<int64_t>(defAt[u.value]));
            prevTemp = true;
            ++base;
          } else if (pushOf[j] >= 0) {
            push = std::max(push, pushOf[j]);
          }
        }
        int below = i > 0 ? liveAfter[i - 1] : 0;
        for (const Operand &u : in.uses)
          if (u.isVReg() && isLiveTemp(u.value) && a.lastUse[b][u.value] == i) --below;
        base += std::max(below, 0);
        if (auto w = lastWrite.find(o.value); w != lastWrite.end()) {
          bool tee = true;
          for (size_t x = w->second + 1; x < i && tee; ++x) tee = liveAfter[x] > base;
          if (tee) push = std::max(push, static_cast<int64_t>(w->second));
        }
        if (push < 0 && !prevTemp)
          for (unsigned qj = q + 1; qj < order.size() && push < 0; ++qj)
            if (const unsigned j = order[qj]; in.uses[j].isVReg() && start.count(in.uses[j].value) && start[in.uses[j].value] > 0 &&
                start[in.uses[j].value] < i)
              push = static_cast<int64_t>(start[in.uses[j].value]) - 1;
        // The value must be the one I reads: never load before the latest write.
        if (auto w = lastWrite.find(o.value); w != lastWrite.end() && push < static_cast<int64_t>(w->second)) push = -1;
        pushOf[k] = push;
        if (push >= 0 && push + 1 < static_cast<int64_t>(i))
          a.aliases[b].push_back({static_cast<size_t>(push), i, k, o.value});
      }
      const bool init = in.op == Opcode::Param || (b == 0 && i < a.zeroInit.size() && a.zeroInit[i]);
      if (!init)
        for (const Operand &o : in.defs)
          if (o.isVReg()) lastWrite[o.value] = i;
    }
    // Entries pushed at one point: the one popped last was pushed first (LIFO).
    std::stable_sort(a.aliases[b].begin(), a.aliases[b].end(), [](const AliasPush &x, const AliasPush &y) {
      if (x.pushAfter != y.pushAfter) return x.pushAfter < y.pushAfter;
      if (x.useAt != y.useAt) return x.useAt > y.useAt;
      return x.operand < y.operand;
    });
    std::vector<std::pair<size_t, size_t>> spans;
    for (auto [v, d] : defAt)
      if (isLiveTemp(v)) spans.push_back({d, a.lastUse[b][v]});
    for (const auto &al : a.aliases[b]) spans.push_back({al.pushAfter, al.useAt});
    std::vector<int> depth(n + 1, 0);
    for (auto [s, e] : spans)
      if (e > s) {
        depth[s] += 1;
        depth[e] -= 1;
      }
    int run = 0;
    for (size_t i = 0; i < n; ++i) a.depthBound = std::max(a.depthBound, static_cast<unsigned>(std::max(run += depth[i], 0)));
  }
}

}  // namespace

Analysis analyse(const mir::Function &f, const mir::Module &m, const LegacyConfig &cfg, const LegacyEnv &env) {
  Analysis a;
  a.fn = f;
  a.temps = env.temps;
  if (a.fn.blocks.empty()) {
    a.error = "function has no blocks";
    return a;
  }
  if (entryTargeted(a.fn)) {
    a.error = "a branch targets the entry block (invalid MIR: the entry block has no predecessors)";
    return a;
  }
  auto &fn = a.fn;
  const uint32_t nv = fn.numVRegs();
  a.cls = mir::vregClasses(fn, &m);
  a.cls.resize(nv, mir::RegClass::Core);
  a.usesVfp = std::any_of(a.cls.begin(), a.cls.end(), [](mir::RegClass c) { return c != mir::RegClass::Core; });
  a.home.assign(nv, {});
  a.release.assign(nv, -1);
  a.partner.assign(nv, -1);
  a.lo.assign(nv, false);
  for (VReg v = 0; v < nv; ++v)
    if (int32_t l = fn.vinfo(v).hiOf; l >= 0 && static_cast<uint32_t>(l) < nv) {
      a.partner[v] = l;
      a.partner[static_cast<uint32_t>(l)] = static_cast<int32_t>(v);
      a.lo[static_cast<uint32_t>(l)] = true;
      a.hasI64 = true;
    }
  {
    std::vector<bool> defined(nv, false);
    for (const auto &b : fn.blocks)
      for (const auto &i : b.instrs)
        for (const Operand &o : i.defs)
          if (o.isVReg()) defined[o.value] = true;
    for (const auto &b : fn.blocks)
      for (const auto &i : b.instrs)
        for (const Operand &o : i.uses)
          if (o.isPReg() || o.isStack() || (o.isVReg() && !defined[o.value])) {
            a.error = o.isVReg() ? "v" + std::to_string(o.value) + " is used but never defined (block " + b.label + ")"
                                 : "a physical operand in vreg form (block " + b.label + ")";
            return a;
          }
  }
  a.blockStart.push_back(0);
  for (const auto &b : fn.blocks) a.blockStart.push_back(a.blockStart.back() + b.instrs.size());
  // memory.copy / memory.fill are inline byte loops in the legacy compiler
  // (LEGACY.md, "Other operators"): they leave the function a leaf for the
  // legacy rules (promotion, frame-backed parameters); the model's code
  // keeps vcr-ra's call of the routine, with the caller-saved registers
  // saved around it.
  a.bulk.assign(fn.blocks.size(), {});
  for (mir::BlockId b = 0; b < fn.blocks.size(); ++b)
    for (size_t k = 0; k < fn.blocks[b].instrs.size(); ++k) {
      const Instr &i = fn.blocks[b].instrs[k];
      if (i.op != Opcode::Call && i.op != Opcode::CallInd) continue;
      a.calls = true;
      const auto rt = i.op == Opcode::Call ? mir::findRuntimeFn(i.callee) : std::nullopt;
      if (rt && (*rt == mir::memoryCopyFn() || *rt == mir::memoryFillFn()))
        a.bulk[b][k] = true;
      else
        a.leaf = false;
      if (const mir::Signature *s = m.callSig(i)) a.outBytes = std::max(a.outBytes, arm::stackArgBytes(*s));
    }
  a.outBytes = (a.outBytes + 7) & ~7u;

  // Selection's zero-initialisation of locals: `movi vL, #0` right after `param`.
  const auto &entry = fn.blocks[0].instrs;
  a.zeroInit.assign(entry.size(), false);
  for (size_t i = 0; i < entry.size(); ++i) {
    if (i == 0 && entry[i].op == Opcode::Param) continue;
    const Instr &z = entry[i];
    const bool zero = (z.op == Opcode::MovI && z.imm == 0) ||
                      ((z.op == Opcode::FConst32 || z.op == Opcode::FConst64) &&
                       std::all_of(z.uses.begin(), z.uses.end(), [](const Operand &o) { return o.isImm() && o.value == 0; }));
    if (!zero || z.defs.size() != 1 || !z.defs[0].isVReg() || fn.vinfo(z.defs[0].value).kind != mir::VRegInfo::Kind::Local)
      break;
    a.zeroInit[i] = true;
  }

  // Params: AAPCS homes, or frame slots when backed / arriving on the stack.
  uint32_t homeBytes = 0;
  auto frameHome = [&](VReg v) {  // an f64 takes two words (VLDR/VSTR of a D register)
    a.home[v] = {Home::Kind::Frame, PReg::R0, homeBytes};
    homeBytes += a.cls[v] == mir::RegClass::F64 ? 8 : 4;
  };
  if (!entry.empty() && entry[0].op == Opcode::Param) {
    auto locs = arm::paramLocations(fn.sig);
    if (locs.size() != entry[0].defs.size()) {
      a.error = "'param' does not match the signature";
      return a;
    }
    std::vector<bool> read(nv, false);
    for (const auto &b : fn.blocks)
      for (const auto &i : b.instrs)
        for (const Operand &o : i.uses)
          if (o.isVReg()) read[o.value] = true;
    for (size_t i = 0; i < locs.size(); ++i) {
      if (!entry[0].defs[i].isVReg()) continue;
      VReg v = entry[0].defs[i].value;
      if (!locs[i].onStack && !locs[i].inVfp())
        a.paramRegs = std::max(a.paramRegs, static_cast<unsigned>(locs[i].reg) + 1);
      // In a function with calls every parameter that is read is
      // frame-backed at every rung (LEGACY.md, "Registers and homes").
      if (locs[i].onStack)
        a.home[v] = {Home::Kind::Frame, PReg::R0, kIncoming + locs[i].offset};
      else if (cfg.paramBacking || (!a.leaf && read[v]))
        frameHome(v);
      else if (locs[i].inVfp())  // an S or D register, reserved like a core parameter
        a.home[v] = {Home::Kind::Reg, PReg::PC, 0,
                     locs[i].vfp == arm::WordLoc::Vfp::D ? 2u * locs[i].vfpReg : locs[i].vfpReg};
      else
        a.home[v] = {Home::Kind::Reg, locs[i].reg, 0};
    }
  }
  const mir::Cfg cfgraph = mir::Cfg::build(fn);
  if (cfg.promotion && a.leaf) promote(a, cfgraph, env.wasm);
  // Other locals live in frame slots; so do temps that cross blocks.
  std::vector<int64_t> defBlock(nv, -1);
  std::vector<bool> cross(nv, false);
  for (mir::BlockId b = 0; b < fn.blocks.size(); ++b)
    for (const Instr &i : fn.blocks[b].instrs) {
      for (const Operand &o : i.uses)
        if (o.isVReg() && o.value < nv && defBlock[o.value] != static_cast<int64_t>(b)) cross[o.value] = true;
      for (const Operand &o : i.defs)
        if (o.isVReg() && o.value < nv) {
          if (defBlock[o.value] >= 0 && defBlock[o.value] != static_cast<int64_t>(b)) cross[o.value] = true;
          defBlock[o.value] = b;
        }
    }
  // Values that cross a wasm block boundary stay in registers (LEGACY.md):
  // an i32 temp used or defined in more than one block gets a register
  // picked when the walk reaches its start and reserved to its last use
  // (loop-extended). It starts at its first def, or at the end of the
  // nearest common dominator of its defs (the `block`/`if` that opens the
  // construct whose result it is) if that comes first.
  std::vector<std::vector<size_t>> defPos(nv);
  std::vector<std::vector<mir::BlockId>> defBlocks(nv);
  for (mir::BlockId b = 0; b < fn.blocks.size(); ++b)
    for (size_t i = 0; i < fn.blocks[b].instrs.size(); ++i)
      for (const Operand &o : fn.blocks[b].instrs[i].defs)
        if (o.isVReg() && o.value < nv) {
          defPos[o.value].push_back(a.blockStart[b] + i);
          defBlocks[o.value].push_back(b);
        }
  auto startOf = [&](VReg v) {
    size_t start = *std::min_element(defPos[v].begin(), defPos[v].end());
    mir::BlockId dom = defBlocks[v][0];
    for (mir::BlockId b : defBlocks[v])
      while (!cfgraph.dominates(dom, b) && cfgraph.idom[dom] >= 0) dom = static_cast<mir::BlockId>(cfgraph.idom[dom]);
    if (!fn.blocks[dom].instrs.empty()) start = std::min(start, a.blockStart[dom + 1] - 1);
    return start;
  };
  for (VReg v = 0; v < nv; ++v) {
    if (a.home[v].kind != Home::Kind::None) continue;
    auto kind = fn.vinfo(v).kind;
    if (kind == mir::VRegInfo::Kind::Local || kind == mir::VRegInfo::Kind::Param) {
      frameHome(v);
      continue;
    }
    const int32_t p = a.partner[v];
    if (p < 0) {
      if (cross[v] && !defPos[v].empty()) {
        a.home[v] = {Home::Kind::Reg, PReg::PC, 0, kUnpicked};  // PC / kUnpicked: not yet picked
        a.blockValues.push_back({startOf(v), v});
      }
      continue;
    }
    // An i64 that crosses a block: a pair picked at the low half's entry.
    const auto pv = static_cast<VReg>(p);
    if (!a.lo[v] || !(cross[v] || cross[pv])) continue;
    if (defPos[v].empty() || defPos[pv].empty() || a.home[pv].kind != Home::Kind::None) {
      frameHome(v);  // the partner fix-up below homes the other half too
      continue;
    }
    a.home[v] = a.home[pv] = {Home::Kind::Reg, PReg::PC, 0};
    a.blockValues.push_back({std::min(startOf(v), startOf(pv)), v});
  }
  std::sort(a.blockValues.begin(), a.blockValues.end());
  // An i64 half homed differently from its partner would break pairing: home both.
  for (VReg v = 0; v < nv; ++v)
    if (a.partner[v] >= 0 && a.home[v].kind == Home::Kind::Frame &&
        a.home[static_cast<VReg>(a.partner[v])].kind == Home::Kind::None)
      frameHome(static_cast<VReg>(a.partner[v]));
  a.homeBytes = homeBytes;
  reserveParams(a, env.wasm);
  blockFacts(a);
  constDivisions(a);
  return a;
}

}  // namespace detail

LegacyOutcome LegacyAllocator::run(const mir::Function &f, const mir::Module &m) const {
  auto start = std::chrono::steady_clock::now();
  LegacyOutcome out;
  Analysis a = analyse(f, m, cfg_, env_);
  out.promotedLocals = a.promoted;
  out.maxStackDepth = a.depthBound;
  if (!a.error.empty()) {
    out.error = LegacyError::Malformed;
    out.result.error = "function '" + f.name + "': " + a.error;
    return out;
  }
  if (cfg_.paramBacking) {  // an i64 parameter in registers cannot be backed
    auto locs = arm::paramLocations(f.sig);
    for (size_t p = 0, w = 0; p < f.sig.params.size(); ++p) {
      const bool wide = f.sig.params[p] == mir::ValType::I64 || f.sig.params[p] == mir::ValType::F64;
      if (wide && w < locs.size() && !locs[w].onStack) {
        out.error = LegacyError::Skipped;
        out.result.error = "function '" + f.name + "': " + std::string(legacyErrorText(out.error));
        return out;
      }
      w += mir::operandsOf(f.sig.params[p]);
    }
  }
  try {
    Walker w(a, m, cfg_);
    out.result.function = w.run();
    out.result.stats = w.stats;
    out.result.ok = true;
  } catch (const Exhausted &e) {
    out.error = e.kind;
    out.result.error = "function '" + f.name + "': " + std::string(legacyErrorText(e.kind)) + " (" + e.where + ")";
  }
  out.result.stats.rounds = 1;
  out.result.stats.timeUs = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
  return out;
}

alloc::AllocResult LegacyAllocator::allocate(const mir::Function &f, const mir::Module &m, const alloc::AllocOptions &opt) {
  LegacyAllocator withPool(cfg_, env_);
  withPool.env_.temps = opt.pool.regs.list();
  return withPool.run(f, m).result;
}

namespace {
/// True when AAPCS-VFP passes an f32/f64 parameter of `sig` on the stack.
bool floatOnStack(const mir::Signature &sig) {
  const auto locs = arm::paramLocations(sig);
  for (size_t p = 0, w = 0; p < sig.params.size() && w < locs.size(); w += mir::operandsOf(sig.params[p]), ++p)
    if (mir::isVfpType(sig.params[p]) && locs[w].onStack) return true;
  return false;
}
}  // namespace

std::string legacyDecline(const mir::Function &f, const mir::Module &m, const LegacyEnv &env) {
  // call_indirect needs a compile-time table size and a closed-world type
  // check: MIR's table always has both (selection declines an imported
  // table or an elem offset that is not a constant). A float-returning type
  // declines.
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs)
      if (i.op == Opcode::CallInd)
        if (const mir::Signature *s = m.callSig(i);
            !s || std::any_of(s->results.begin(), s->results.end(), mir::isVfpType))
          return "call_indirect of a float-returning type";
  if (env.wasm && env.wasm->calliFloatResult) return "call_indirect of a float-returning type";
  // The legacy compiler's memory.grow always fails (-1) except grow(0)
  // (LEGACY.md "Other operators"). Where memory really grows (--memory-max,
  // `memgrow`) the model would not be modelling it: it declines.
  if (m.memoryMax)
    for (const auto &b : f.blocks)
      for (const auto &i : b.instrs)
        if (i.op == Opcode::MemGrow)
          return "memory.grow where memory can grow (--memory-max): the legacy compiler's grow always fails";
  // The CPU declines come from the wasm facts. Without them (a .mir input,
  // the generic allocator interface) the MIR is taken as selected: its
  // float words are core values on cortex-m4 and f64 words on cortex-m4f,
  // and it has f32/f64-class values only where the CPU has the registers.
  if (env.wasm && env.wasm->floats && !env.fpu)
    return "f32/f64 on a CPU without an FPU (the legacy compiler has no soft-float calls)";
  if (env.wasm && env.wasm->f64 && !env.f64)
    return "f64 without double precision (the legacy compiler needs cortex-m7dp for any f64 operator or "
           "parameter)";
  if (floatOnStack(f.sig)) return "an f32/f64 parameter would be passed on the stack";
  // Multi-value: LEGACY.md states results only in R0, R0:R1, S0 or D0 (one
  // result). The model returns several results by vcr-ra's convention
  // (emitRet places each in its home), but a call's results come back
  // through the one-result rules ("an i64 call result is always parked"),
  // which have no reading for several: such a call declines.
  if (arm::stackResultBytes(f.sig) > 0)
    return "a result returned on the stack (LEGACY.md states one result in R0, R0:R1, S0 or D0)";
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs)
      if (i.op == Opcode::Call || i.op == Opcode::CallInd)
        if (const mir::Signature *s = m.callSig(i); s && s->results.size() > 1)
          return "a call" + (i.callee.empty() ? std::string() : " of '" + i.callee + "'") +
                 " with several results (LEGACY.md states one result in R0, R0:R1, S0 or D0)";
  for (const auto &b : f.blocks)
    for (const auto &i : b.instrs)
      if (i.op == Opcode::Call || i.op == Opcode::CallInd)
        if (const mir::Signature *s = m.callSig(i); s && floatOnStack(*s))
          return "a float argument of a call" + (i.callee.empty() ? std::string() : " of '" + i.callee + "'") +
                 " would be passed on the stack";
  return "";
}

unsigned stackDepthBound(const mir::Function &f) {
  mir::Module empty;
  return analyse(f, empty, LegacyConfig{}, LegacyEnv{}).depthBound;
}

}  // namespace vcr::ladder
