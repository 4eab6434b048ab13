// Random generator of valid, terminating, trap-free vreg-form MIR modules.
#include "core/alloc/bench/mir_gen.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace vcr::alloc::gen {

using mir::BlockId;
using mir::Instr;
using mir::Opcode;
using mir::Operand;
using mir::ValType;
using mir::VReg;

namespace {

using Pair = std::pair<VReg, VReg>;

class FnGen {
public:
  FnGen(const MirGenOptions &o, mir::Module &m, uint64_t seed) : opt_(o), m_(m), rng_(seed) {}

  mir::Function build(const std::string &name, const mir::Signature &sig, bool mayCall) {
    mayCall_ = mayCall;
    f_.name = name;
    f_.sig = sig;
    cur_ = newBlock();
    Instr param = make(Opcode::Param);
    for (ValType t : sig.params) {
      if (mir::isVfpType(t)) {  // an f32 / f64 parameter becomes a float local
        VReg v = fresh();
        param.defs.push_back(Operand::vreg(v));
        (t == ValType::F32 ? localsF_ : localsD_).push_back(v);
      } else if (t == ValType::I32) {
        VReg v = fresh();
        param.defs.push_back(Operand::vreg(v));
        v32_.push_back(v);
        locals32_.push_back(v);
      } else {
        Pair p{fresh(), fresh()};
        param.defs.push_back(Operand::vreg(p.first));
        param.defs.push_back(Operand::vreg(p.second));
        v64_.push_back(p);
        locals64_.push_back(p);
      }
    }
    emit(param);
    for (unsigned i = v32_.size(); i < 2; ++i) constant();
    if (v64_.empty()) v64_.push_back(fresh64());
    for (unsigned i = 0; i < opt_.pressure; ++i) {
      if (chance(50) || v32_.size() < 2) {
        constant();
      } else {
        VReg a = pick32(), b = pick32();
        binop(Opcode::Add, a, b);
      }
      locals32_.push_back(v32_.back());
    }
    for (unsigned i = 0; i < opt_.pressure / 6; ++i) locals64_.push_back(fresh64());
    std::vector<VReg> keep(locals32_.end() - opt_.pressure, locals32_.end());
    if (opt_.floatShare) floatLocals();
    if (opt_.states && mayCall) stateMachine(opt_.states);
    else statements(opt_.size, 0);
    // Everything kept stays live to the end: fold it into the result.
    VReg acc = pick32();
    for (VReg k : keep) acc = binop(Opcode::Eor, acc, k);
    acc = foldFloats(acc);
    Instr ret = make(Opcode::Ret);
    if (!sig.results.empty()) {
      if (mir::isVfpType(sig.results[0])) {  // a float result: a local, mixed with the integer fold
        const bool dbl = sig.results[0] == ValType::F64;
        VReg r = fresh(), b = fresh();
        emit(op2(dbl ? Opcode::FCvtF64U32 : Opcode::FCvtF32U32, b, {acc}));
        emit(op2(dbl ? Opcode::FAdd64 : Opcode::FAdd32, r, {dbl ? localsD_.back() : localsF_.back(), b}));
        ret.uses = {Operand::vreg(r)};
      } else if (sig.results[0] == ValType::I32) {
        ret.uses = {Operand::vreg(acc)};
      } else {
        Pair p = pick64();
        VReg lo = binop(Opcode::Add, p.first, acc);
        ret.uses = {Operand::vreg(lo), Operand::vreg(p.second)};
      }
    }
    emit(ret);
    return std::move(f_);
  }

private:
  bool chance(unsigned pct) { return rng_() % 100 < pct; }
  unsigned below(unsigned n) { return n ? static_cast<unsigned>(rng_() % n) : 0; }
  VReg fresh() { return next_++; }
  BlockId newBlock() {
    f_.blocks.push_back({"bb" + std::to_string(f_.blocks.size()), {}});
    return static_cast<BlockId>(f_.blocks.size() - 1);
  }
  static Instr make(Opcode op) {
    Instr i;
    i.op = op;
    return i;
  }
  void emit(Instr i) { f_.blocks[cur_].instrs.push_back(std::move(i)); }

  // Values are wasm-like: a few long-lived "locals" (how many sets the
  // pressure) redefined often, and short-lived temporaries of which only the
  // most recent few are ever read again.
  // Temporaries never cross a region boundary (floor32_/floor64_), like
  // wasm's operand stack across blocks.
  VReg pick32() {
    size_t n = v32_.size() - floor32_;
    if (!locals32_.empty() && (n == 0 || chance(45))) return locals32_[below(static_cast<unsigned>(locals32_.size()))];
    if (n == 0) {
      constant();
      return v32_.back();
    }
    return v32_[v32_.size() - 1 - below(static_cast<unsigned>(std::min<size_t>(n, 5)))];
  }
  Pair pick64() {
    size_t n = v64_.size() - floor64_;
    if (!locals64_.empty() && (n == 0 || chance(40))) return locals64_[below(static_cast<unsigned>(locals64_.size()))];
    if (n == 0) return fresh64();
    return v64_[v64_.size() - 1 - below(static_cast<unsigned>(std::min<size_t>(n, 2)))];
  }
  /// A destination: a fresh temporary, or redefine a local.
  VReg dest32() {
    if (!locals32_.empty() && chance(35)) return locals32_[below(static_cast<unsigned>(locals32_.size()))];
    VReg v = fresh();
    v32_.push_back(v);
    return v;
  }

  VReg binop(Opcode op, VReg a, VReg b) {
    Instr i = make(op);
    VReg d = fresh();
    i.defs = {Operand::vreg(d)};
    i.uses = {Operand::vreg(a), Operand::vreg(b)};
    emit(i);
    v32_.push_back(d);
    return d;
  }
  void constant() {
    Instr i = make(Opcode::MovI);
    i.imm = chance(50) ? below(256) : static_cast<uint32_t>(rng_());
    VReg d = fresh();
    i.defs = {Operand::vreg(d)};
    emit(i);
    v32_.push_back(d);
  }
  Pair fresh64() {
    Instr i = make(chance(50) ? Opcode::UMull : Opcode::SMull);
    Pair p{fresh(), fresh()};
    i.defs = {Operand::vreg(p.first), Operand::vreg(p.second)};
    i.uses = {Operand::vreg(pick32()), Operand::vreg(pick32())};
    emit(i);
    v64_.push_back(p);
    return p;
  }

  void arith32() {
    static constexpr Opcode kOps[] = {Opcode::Add, Opcode::Sub, Opcode::Mul, Opcode::And, Opcode::Orr,
                                      Opcode::Eor, Opcode::Shl, Opcode::ShrU, Opcode::ShrS, Opcode::Rotl,
                                      Opcode::Rotr, Opcode::SDiv, Opcode::UDiv, Opcode::SRem, Opcode::URem,
                                      Opcode::Clz, Opcode::Ctz, Opcode::Popcnt, Opcode::Sext8,
                                      Opcode::Sext16, Opcode::Set, Opcode::Sel, Opcode::Mov};
    Opcode op = kOps[below(std::size(kOps))];
    Instr i = make(op);
    const mir::OpcodeInfo &inf = mir::info(op);
    for (int u = 0; u < inf.nuses; ++u) i.uses.push_back(Operand::vreg(pick32()));
    if (inf.immOperand && chance(30)) i.uses[1] = Operand::imm(below(40));
    if (op == Opcode::Set) i.cc = static_cast<mir::Cond>(1 + below(10));
    i.defs = {Operand::vreg(dest32())};
    emit(i);
  }
  void arith64() {
    static constexpr Opcode kOps[] = {Opcode::Add64, Opcode::Sub64, Opcode::Mul64, Opcode::SDiv64,
                                      Opcode::UDiv64, Opcode::SRem64, Opcode::URem64, Opcode::Shl64,
                                      Opcode::ShrU64, Opcode::ShrS64, Opcode::Rotl64, Opcode::Rotr64,
                                      Opcode::Set64, Opcode::UMull};
    Opcode op = kOps[below(std::size(kOps))];
    if (op == Opcode::UMull) {
      fresh64();
      return;
    }
    Instr i = make(op);
    Pair a = pick64();
    i.uses = {Operand::vreg(a.first), Operand::vreg(a.second)};
    if (mir::info(op).nuses == 4) {
      Pair b = pick64();
      i.uses.push_back(Operand::vreg(b.first));
      i.uses.push_back(Operand::vreg(b.second));
    } else {
      i.uses.push_back(Operand::vreg(pick32()));
    }
    if (op == Opcode::Set64) {
      i.cc = static_cast<mir::Cond>(1 + below(10));
      i.defs = {Operand::vreg(dest32())};
    } else {
      bool local = !locals64_.empty() && chance(30);
      Pair d = local ? locals64_[below(static_cast<unsigned>(locals64_.size()))] : Pair{fresh(), fresh()};
      i.defs = {Operand::vreg(d.first), Operand::vreg(d.second)};
      if (!local) v64_.push_back(d);
    }
    emit(i);
  }
  VReg address() {
    Instr i = make(Opcode::And);
    VReg d = fresh();
    i.defs = {Operand::vreg(d)};
    i.uses = {Operand::vreg(pick32()), Operand::imm(0xFFF0)};
    emit(i);
    return d;
  }
  void memory() {
    unsigned k = below(6);
    if (k == 4) {
      Instr i = make(Opcode::GGet);
      i.imm = below(8);
      i.defs = {Operand::vreg(dest32())};
      emit(i);
      return;
    }
    if (k == 5) {
      Instr i = make(Opcode::GSet);
      i.imm = below(8);
      i.uses = {Operand::vreg(pick32())};
      emit(i);
      return;
    }
    VReg a = address();
    static constexpr mir::Width kW[] = {mir::Width::W32, mir::Width::U8, mir::Width::S8, mir::Width::U16,
                                        mir::Width::S16};
    static constexpr mir::Width kSw[] = {mir::Width::W32, mir::Width::U8, mir::Width::U16};
    Instr i = make(k == 0 ? Opcode::Load : k == 1 ? Opcode::Store : k == 2 ? Opcode::Load64 : Opcode::Store64);
    i.imm = below(8);
    if (k == 0) {
      i.width = kW[below(5)];
      i.defs = {Operand::vreg(dest32())};
      i.uses = {Operand::vreg(a)};
    } else if (k == 1) {
      i.width = kSw[below(3)];
      i.uses = {Operand::vreg(pick32()), Operand::vreg(a)};
    } else if (k == 2) {
      Pair p{fresh(), fresh()};
      i.defs = {Operand::vreg(p.first), Operand::vreg(p.second)};
      i.uses = {Operand::vreg(a)};
      v64_.push_back(p);
    } else {
      Pair p = pick64();
      i.uses = {Operand::vreg(p.first), Operand::vreg(p.second), Operand::vreg(a)};
    }
    emit(i);
  }
  void call() {
    // Helpers h0..h3 exist before `main` is generated; the import always.
    std::vector<std::pair<std::string, mir::Signature>> callees;
    for (const auto &fn : m_.functions) callees.push_back({fn.name, fn.sig});
    for (const auto &im : m_.imports) callees.push_back({im.name, im.sig});
    if (callees.empty()) return;
    const auto &[name, sig] = callees[below(static_cast<unsigned>(callees.size()))];
    Instr i = make(Opcode::Call);
    i.callee = name;
    for (ValType t : sig.params) {
      if (mir::isVfpType(t)) {
        i.uses.push_back(Operand::vreg(t == ValType::F32 ? pickF() : pickD()));
      } else if (t == ValType::I32) {
        i.uses.push_back(Operand::vreg(pick32()));
      } else {
        Pair p = pick64();
        i.uses.push_back(Operand::vreg(p.first));
        i.uses.push_back(Operand::vreg(p.second));
      }
    }
    for (ValType t : sig.results) {
      if (mir::isVfpType(t)) {
        i.defs.push_back(Operand::vreg(t == ValType::F32 ? pickF() : pickD()));
      } else if (t == ValType::I32) {
        i.defs.push_back(Operand::vreg(dest32()));
      } else {
        Pair p{fresh(), fresh()};
        i.defs.push_back(Operand::vreg(p.first));
        i.defs.push_back(Operand::vreg(p.second));
        v64_.push_back(p);
      }
    }
    emit(i);
  }

  // Float values: locals of both VFP classes defined at entry (so on every
  // path), redefined by the statements, folded into the result at the end.
  Instr op2(Opcode op, VReg d, std::initializer_list<VReg> us) {
    Instr i = make(op);
    i.defs = {Operand::vreg(d)};
    for (VReg u : us) i.uses.push_back(Operand::vreg(u));
    return i;
  }
  VReg pickF() { return localsF_[below(static_cast<unsigned>(localsF_.size()))]; }
  VReg pickD() { return localsD_[below(static_cast<unsigned>(localsD_.size()))]; }
  void floatLocals() {
    for (unsigned k = 0; k < std::max(opt_.floatPressure, 2u); ++k) {
      VReg f = fresh();
      emit(op2(Opcode::FMovFromInt32, f, {pick32()}));
      localsF_.push_back(f);
    }
    for (unsigned k = 0; k < std::max(opt_.floatPressure / 3, 1u); ++k) {
      VReg d = fresh();
      emit(op2(Opcode::FPromote, d, {pickF()}));
      localsD_.push_back(d);
    }
  }
  VReg foldFloats(VReg acc) {
    for (VReg f : localsF_) {
      VReg t = fresh();
      emit(op2(Opcode::FMovToInt32, t, {f}));
      acc = binop(Opcode::Eor, acc, t);
    }
    for (VReg d : localsD_) {
      Instr i = make(Opcode::FMovToInt64);
      VReg lo = fresh(), hi = fresh();
      i.defs = {Operand::vreg(lo), Operand::vreg(hi)};
      i.uses = {Operand::vreg(d)};
      emit(i);
      acc = binop(Opcode::Add, binop(Opcode::Eor, acc, lo), hi);
    }
    return acc;
  }
  void floatStatement() {
    static constexpr Opcode kBin32[] = {Opcode::FAdd32, Opcode::FSub32, Opcode::FMul32, Opcode::FDiv32,
                                        Opcode::FMin32, Opcode::FMax32, Opcode::FCopySign32};
    static constexpr Opcode kBin64[] = {Opcode::FAdd64, Opcode::FSub64, Opcode::FMul64, Opcode::FDiv64,
                                        Opcode::FMin64, Opcode::FMax64, Opcode::FCopySign64};
    static constexpr Opcode kUn32[] = {Opcode::FSqrt32, Opcode::FAbs32, Opcode::FNeg32, Opcode::FCeil32,
                                       Opcode::FFloor32, Opcode::FTrunc32, Opcode::FNearest32};
    static constexpr Opcode kUn64[] = {Opcode::FSqrt64, Opcode::FAbs64, Opcode::FNeg64, Opcode::FCeil64,
                                       Opcode::FFloor64, Opcode::FTrunc64, Opcode::FNearest64};
    const bool dbl = chance(35);
    switch (below(11)) {
    // Each random choice is its own statement: the order in which a call's
    // arguments are evaluated is unspecified, and a generator must give
    // the same function in every build (the optimised and the sanitizer
    // build drew these in different orders). The order below is the one
    // the optimised build used: alloc_bench's digests did not change.
    case 0: case 1: case 2: {
      const VReg a = dbl ? pickD() : pickF(), b = dbl ? pickD() : pickF(), d = dbl ? pickD() : pickF();
      const Opcode op = dbl ? kBin64[below(std::size(kBin64))] : kBin32[below(std::size(kBin32))];
      emit(op2(op, d, {a, b}));
      break;
    }
    case 3: {
      const VReg a = dbl ? pickD() : pickF(), d = dbl ? pickD() : pickF();
      const Opcode op = dbl ? kUn64[below(std::size(kUn64))] : kUn32[below(std::size(kUn32))];
      emit(op2(op, d, {a}));
      break;
    }
    case 4: {  // a constant (rematerialisable) scaling a local
      VReg c = fresh();
      Instr k = make(dbl ? Opcode::FConst64 : Opcode::FConst32);
      k.defs = {Operand::vreg(c)};
      k.uses = {Operand::imm(static_cast<uint32_t>(rng_()))};
      if (dbl) k.uses.push_back(Operand::imm(0x3ff00000u | below(0x100000)));
      else k.uses[0] = Operand::imm(0x3f800000u | below(0x800000));
      emit(k);
      VReg l = dbl ? pickD() : pickF();
      emit(op2(dbl ? Opcode::FMul64 : Opcode::FMul32, l, {l, c}));
      break;
    }
    case 5: {
      const VReg a = dbl ? pickF() : pickD(), d = dbl ? pickD() : pickF();
      emit(op2(dbl ? Opcode::FPromote : Opcode::FDemote, d, {a}));
      break;
    }
    case 6: {
      const VReg a = pick32(), d = dbl ? pickD() : pickF();
      emit(op2(dbl ? Opcode::FCvtF64S32 : (chance(50) ? Opcode::FCvtF32U32 : Opcode::FMovFromInt32), d, {a}));
      break;
    }
    case 7: {
      const VReg a = dbl ? pickD() : pickF(), d = dest32();
      emit(op2(dbl ? Opcode::FTruncSatS32F64 : (chance(50) ? Opcode::FTruncSatU32F32 : Opcode::FMovToInt32), d, {a}));
      break;
    }
    case 8: {
      const VReg a = dbl ? pickD() : pickF(), b = dbl ? pickD() : pickF(), d = dest32();
      Instr i = op2(dbl ? Opcode::FSet64 : Opcode::FSet32, d, {a, b});
      static constexpr mir::Cond kCc[] = {mir::Cond::Eq, mir::Cond::Ne, mir::Cond::SLt,
                                          mir::Cond::SGt, mir::Cond::SLe, mir::Cond::SGe};
      i.cc = kCc[below(6)];
      emit(i);
      break;
    }
    case 9: {
      const VReg c = pick32(), a = dbl ? pickD() : pickF(), b = dbl ? pickD() : pickF(), d = dbl ? pickD() : pickF();
      emit(op2(dbl ? Opcode::FSel64 : Opcode::FSel32, d, {c, a, b}));
      break;
    }
    default: {  // float memory
      VReg a = address();
      Instr i = make(chance(50) ? (dbl ? Opcode::FLoad64 : Opcode::FLoad32) : (dbl ? Opcode::FStore64 : Opcode::FStore32));
      i.imm = below(8);
      const bool load = i.op == Opcode::FLoad32 || i.op == Opcode::FLoad64;
      if (load) i.defs = {Operand::vreg(dbl ? pickD() : pickF())};
      else i.uses = {Operand::vreg(dbl ? pickD() : pickF())};
      i.uses.push_back(Operand::vreg(a));
      emit(i);
    }
    }
  }

  /// Values made inside a region are forgotten after it (not defined on all paths).
  void region(unsigned n, unsigned depth) {
    size_t s32 = v32_.size(), s64 = v64_.size();
    size_t f32 = floor32_, f64 = floor64_;
    floor32_ = s32;
    floor64_ = s64;
    statements(n, depth + 1);
    v32_.resize(s32);
    v64_.resize(s64);
    floor32_ = std::max(f32, s32);  // temporaries from before the region are dead
    floor64_ = std::max(f64, s64);
  }
  void diamond(unsigned n, unsigned depth) {
    Instr br = make(chance(20) ? Opcode::BrTable : Opcode::BrIf);
    br.uses = {Operand::vreg(pick32())};
    BlockId a = newBlock(), b = newBlock();
    br.targets = {a, b};
    if (br.op == Opcode::BrTable) br.targets = {a, b, a};
    emit(br);
    cur_ = a;
    region(n / 2, depth);
    BlockId endA = cur_;
    cur_ = b;
    region(n - n / 2, depth);
    BlockId endB = cur_;
    BlockId join = newBlock();
    for (BlockId e : {endA, endB}) {
      Instr j = make(Opcode::Br);
      j.targets = {join};
      f_.blocks[e].instrs.push_back(j);
    }
    cur_ = join;
  }
  void loop(unsigned n, unsigned depth) {
    Instr init = make(Opcode::MovI);
    VReg counter = fresh();
    init.defs = {Operand::vreg(counter)};
    init.imm = 1 + below(depth ? 2 : 4);
    emit(init);
    BlockId head = newBlock();
    Instr br = make(Opcode::Br);
    br.targets = {head};
    emit(br);
    cur_ = head;
    region(n, depth);
    Instr dec = make(Opcode::Sub);
    dec.defs = {Operand::vreg(counter)};
    dec.uses = {Operand::vreg(counter), Operand::imm(1)};
    emit(dec);
    BlockId exit = newBlock();
    Instr back = make(Opcode::BrIf);
    back.uses = {Operand::vreg(counter)};
    back.targets = {head, exit};
    emit(back);
    cur_ = exit;
  }

  Instr brTo(Opcode op, std::vector<BlockId> targets, VReg cond) {
    Instr i = make(op);
    if (op != Opcode::Br) i.uses = {Operand::vreg(cond)};
    for (BlockId t : targets) i.targets.push_back(t);
    return i;
  }
  /// `d = op a, #imm`.
  void immOp(Opcode op, VReg d, VReg a, uint32_t imm, mir::Cond cc = mir::Cond::None) {
    Instr i = make(op);
    i.defs = {Operand::vreg(d)};
    i.uses = {Operand::vreg(a), Operand::imm(imm)};
    i.cc = cc;
    emit(i);
  }
  /// `n` straight-line statements whose temporaries (and `extra`) stay in
  /// the block.
  void straight(unsigned n, std::optional<VReg> extra) {
    const size_t s32 = v32_.size(), s64 = v64_.size(), f32 = floor32_, f64 = floor64_;
    floor32_ = s32;
    floor64_ = s64;
    if (extra) v32_.push_back(*extra);
    statements(n, 3);
    v32_.resize(s32);
    v64_.resize(s64);
    floor32_ = f32;
    floor64_ = f64;
  }
  /// A leaf of the state machine: a little work, the next state, back to `head`.
  void stateLeaf(BlockId head, VReg state, unsigned n) {
    straight(4 + below(8), std::nullopt);
    Instr set = make(Opcode::MovI);
    set.defs = {Operand::vreg(state)};
    set.imm = below(n + n / 8 + 1);  // now and then out of range: the default case
    emit(set);
    emit(brTo(Opcode::Br, {head}, 0));
  }
  /// A dispatch loop over `n` states, left when the fuel runs out or the
  /// state is out of range (the `brtable` default).
  void stateMachine(unsigned n) {
    VReg state = fresh(), fuel = fresh(), pos = fresh();
    for (auto [v, imm] : {std::pair{state, 0u}, {fuel, 50u + below(200)}, {pos, below(4096)}}) {
      Instr i = make(Opcode::MovI);
      i.defs = {Operand::vreg(v)};
      i.imm = imm;
      emit(i);
    }
    const BlockId head = newBlock(), disp = newBlock(), exit = newBlock();
    emit(brTo(Opcode::Br, {head}, 0));
    cur_ = head;
    emit(brTo(Opcode::BrIf, {disp, exit}, fuel));
    cur_ = disp;
    immOp(Opcode::Sub, fuel, fuel, 1);
    Instr table = brTo(Opcode::BrTable, {}, state);
    for (unsigned k = 0; k < n; ++k) table.targets.push_back(newBlock());
    table.targets.push_back(exit);
    emit(table);
    for (unsigned k = 0; k < n; ++k) {
      cur_ = table.targets[k];
      // x = mem8[pos & 0xfff + off]; pos += 1; compare x, branch
      VReg a = fresh(), x = fresh(), c = fresh();
      immOp(Opcode::And, a, pos, 0xFF0);
      Instr ld = make(Opcode::Load);
      ld.width = chance(70) ? mir::Width::U8 : mir::Width::W32;
      ld.imm = below(8);
      ld.defs = {Operand::vreg(x)};
      ld.uses = {Operand::vreg(a)};
      emit(ld);
      immOp(Opcode::Add, pos, pos, 1 + below(3));
      straight(3 + below(8), x);
      const mir::Cond cc = chance(50) ? mir::Cond::ULt : mir::Cond::Eq;  // (one draw per statement: floatStatement)
      immOp(Opcode::Set, c, x, below(256), cc);
      const BlockId yes = newBlock(), no = newBlock();
      emit(brTo(Opcode::BrIf, {yes, no}, c));
      cur_ = yes;
      stateLeaf(head, state, n);
      cur_ = no;
      if (chance(50)) {  // a second compare
        VReg c2 = fresh();
        immOp(Opcode::Set, c2, x, below(256), mir::Cond::UGt);
        const BlockId y2 = newBlock(), n2 = newBlock();
        emit(brTo(Opcode::BrIf, {y2, n2}, c2));
        cur_ = y2;
        stateLeaf(head, state, n);
        cur_ = n2;
      }
      stateLeaf(head, state, n);
    }
    cur_ = exit;
  }

  void statements(unsigned n, unsigned depth) {
    while (n > 0) {
      unsigned r = below(100), edge = 0;
      if (r < (edge += opt_.loopShare) && depth < 2 && n > 4) {
        unsigned body = 2 + below(std::min(n - 1, 12u));
        loop(body, depth);
        n -= std::min(n, body);
        continue;
      }
      if (r < (edge += opt_.branchShare) && depth < 3 && n > 4) {
        unsigned body = 2 + below(std::min(n - 1, 10u));
        diamond(body, depth);
        n -= std::min(n, body);
        continue;
      }
      --n;
      if (r < (edge += opt_.callShare)) {
        if (mayCall_) call();
        else arith32();
      } else if (r < (edge += opt_.i64Share)) {
        arith64();
      } else if (r < (edge += opt_.memShare)) {
        memory();
      } else if (r < (edge += opt_.floatShare) && !localsF_.empty()) {
        floatStatement();
      } else if (chance(12)) {
        constant();
      } else {
        arith32();
      }
    }
  }

  const MirGenOptions &opt_;
  mir::Module &m_;
  std::mt19937_64 rng_;
  mir::Function f_;
  bool mayCall_ = false;
  BlockId cur_ = 0;
  VReg next_ = 0;
  std::vector<VReg> v32_;
  std::vector<Pair> v64_;
  std::vector<VReg> locals32_;
  std::vector<VReg> localsF_, localsD_;  ///< f32 / f64 locals (defined at entry)
  std::vector<Pair> locals64_;
  size_t floor32_ = 0, floor64_ = 0;
};

mir::Signature sig(std::vector<ValType> ps, std::vector<ValType> rs) {
  mir::Signature s;
  s.params = std::move(ps);
  s.results = std::move(rs);
  return s;
}

}  // namespace

mir::Module generateModule(const MirGenOptions &opt) {
  mir::Module m;
  m.memoryPages = 1;
  for (unsigned i = 0; i < 8; ++i) m.globals.push_back({static_cast<uint32_t>(i * 977u), true});
  constexpr auto I = ValType::I32;
  constexpr auto L = ValType::I64;
  m.imports.push_back({"env.mix", sig({I, L}, {I})});
  const mir::Signature helpers[] = {
      sig({I, I}, {I}), sig({L, I}, {L}), sig({I, L, I, I, L, I}, {I}), sig({I, I, I, I, I, I}, {})};
  MirGenOptions small = opt;
  small.size = 6;
  small.pressure = 2;
  small.loopShare = 0;
  for (size_t h = 0; h < std::size(helpers); ++h) {
    FnGen g(small, m, opt.seed * 31 + h);
    mir::Function f = g.build("h" + std::to_string(h), helpers[h], false);
    m.functions.push_back(std::move(f));
  }
  if (opt.floatShare) {  // a helper with AAPCS-VFP arguments: back-filled S, D, and the stack
    constexpr auto F = ValType::F32, D = ValType::F64;
    std::vector<ValType> ps = {F, D, I, F, L};
    for (unsigned k = 0; k < 12; ++k) ps.push_back(k % 3 ? F : D);  // past S15: the last three on the stack
    FnGen g(small, m, opt.seed * 31 + 4);
    m.functions.push_back(g.build("h4", sig(ps, {D}), false));
  }
  std::mt19937_64 r(opt.seed);
  static const std::vector<std::vector<ValType>> kParams = {
      {}, {I}, {I, I}, {L, I}, {I, L}, {I, I, I, I, I}, {I, L, L}, {L, L, I, I}};
  static const std::vector<std::vector<ValType>> kResults = {{}, {I}, {I}, {L}};
  // (Two draws, two statements: see floatStatement. Results first, as the
  // optimised build drew them: the bench digests did not change.)
  const std::vector<ValType> &results = kResults[r() % kResults.size()];
  const std::vector<ValType> &params = kParams[r() % kParams.size()];
  mir::Signature ms = sig(params, results);
  FnGen g(opt, m, opt.seed * 7919 + 1);
  mir::Function main = g.build("main", ms, true);
  m.functions.push_back(std::move(main));
  return m;
}

}  // namespace vcr::alloc::gen
