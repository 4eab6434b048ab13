// Opcode table, register/condition/trap names and small queries on MIR.
#include "core/ir/mir.h"
#include "core/ir/runtime_calls.h"

#include <algorithm>
#include <array>

namespace vcr::mir {

namespace {
constexpr bool has(std::string_view flags, char c) {
  return flags.find(c) != std::string_view::npos;
}
constexpr std::array<OpcodeInfo, kNumOpcodes> kInfo = {{
#define X(e, m, nd, nu, fl) {m, nd, nu, has(fl, 'T'), has(fl, 'A'), has(fl, 'S'), has(fl, 'I')},
#include "core/ir/opcodes.def"
#undef X
}};
/// Per opcode: its class signature ("F:FF"), empty for a non-float opcode.
constexpr std::array<std::string_view, kNumOpcodes> kClassSig = {{
#define X(e, m, nd, nu, fl) "",
#define XF(e, m, nd, nu, fl, sig) sig,
#include "core/ir/opcodes.def"
#undef XF
#undef X
}};
constexpr std::array<std::string_view, kNumPRegs> kPRegNames = {
    "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
    "r8", "r9", "r10", "r11", "r12", "sp", "lr", "pc"};
constexpr std::array<std::string_view, 11> kCondNames = {
    "", "eq", "ne", "slt", "ult", "sgt", "ugt", "sle", "ule", "sge", "uge"};
constexpr std::array<std::string_view, 8> kTrapNames = {
    "unreachable", "divzero", "overflow", "oob", "badconv", "tableoob", "nullfunc", "badsig"};
constexpr std::array<std::string_view, 10> kOriginNames = {
    "orig", "move", "spill", "reload", "remat", "prologue", "epilogue", "outarg", "inarg", "frame"};

template <typename E, size_t N>
std::optional<E> lookup(const std::array<std::string_view, N> &names, std::string_view s,
                        size_t from = 0) {
  for (size_t i = from; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}
}  // namespace

const OpcodeInfo &info(Opcode op) { return kInfo[static_cast<size_t>(op)]; }

std::optional<Opcode> opcodeFromMnemonic(std::string_view m) {
  for (size_t i = 0; i < kNumOpcodes; ++i)
    if (kInfo[i].mnemonic == m) return static_cast<Opcode>(i);
  return std::nullopt;
}

std::string_view regClassName(RegClass c) {
  switch (c) {
  case RegClass::Core: return "core";
  case RegClass::F32: return "f32";
  case RegClass::F64: return "f64";
  }
  return "?";
}

bool isFloatOp(Opcode op) {
  return static_cast<size_t>(op) < kNumOpcodes && !kClassSig[static_cast<size_t>(op)].empty();
}

SmallList<uint32_t, 2> sregsOf(const Operand &o) {
  SmallList<uint32_t, 2> out;
  if (o.isSReg()) out.push_back(o.value);
  if (o.isDReg()) {
    out.push_back(2 * o.value);
    out.push_back(2 * o.value + 1);
  }
  return out;
}

std::optional<RegClass> physClass(const Operand &o) {
  switch (o.kind) {
  case Operand::Kind::PReg: return RegClass::Core;
  case Operand::Kind::SReg: return RegClass::F32;
  case Operand::Kind::DReg: return RegClass::F64;
  default: return std::nullopt;
  }
}

namespace {
/// A float opcode's class signature, parsed once (operandClass is asked
/// for every operand of every instruction by the class inference):
/// per def / use position a class, or -1 for an immediate.
struct ParsedSig {
  uint8_t numDefs = 0, numUses = 0;
  std::array<int8_t, 4> defs{}, uses{};
};
constexpr int8_t sigClass(char c) {
  return c == 'C' ? int8_t(RegClass::Core) : c == 'F' ? int8_t(RegClass::F32) : c == 'D' ? int8_t(RegClass::F64) : -1;
}
constexpr ParsedSig parseSig(std::string_view sig) {
  ParsedSig p;
  const size_t colon = sig.find(':');
  const std::string_view d = sig.substr(0, colon), u = sig.substr(colon + 1);
  p.numDefs = static_cast<uint8_t>(d.size());
  p.numUses = static_cast<uint8_t>(u.size());
  for (size_t i = 0; i < d.size() && i < p.defs.size(); ++i) p.defs[i] = sigClass(d[i]);
  for (size_t i = 0; i < u.size() && i < p.uses.size(); ++i) p.uses[i] = sigClass(u[i]);
  return p;
}
constexpr std::array<ParsedSig, kNumOpcodes> parseSigs() {
  std::array<ParsedSig, kNumOpcodes> out{};
  for (size_t i = 0; i < kNumOpcodes; ++i)
    if (!kClassSig[i].empty()) out[i] = parseSig(kClassSig[i]);
  return out;
}
constexpr std::array<ParsedSig, kNumOpcodes> kParsedSig = parseSigs();
// Every signature is "defs:uses" with at most four of each (the parsed
// arrays would lose positions).
static_assert([] {
  for (std::string_view s : kClassSig)
    if (!s.empty() && (s.find(':') > 4 || s.size() - s.find(':') - 1 > 4)) return false;
  return true;
}());
}  // namespace

std::optional<RegClass> operandClass(const Instr &in, bool def, size_t k) {
  if (static_cast<size_t>(in.op) >= kNumOpcodes) return std::nullopt;
  if (!kClassSig[static_cast<size_t>(in.op)].empty()) {
    const ParsedSig &p = kParsedSig[static_cast<size_t>(in.op)];
    if (k >= (def ? p.numDefs : p.numUses)) return std::nullopt;
    const int8_t c = def ? p.defs[k] : p.uses[k];
    return c < 0 ? std::nullopt : std::optional(static_cast<RegClass>(c));
  }
  switch (in.op) {
  case Opcode::Mov: case Opcode::Lds: case Opcode::Sts: case Opcode::Push: case Opcode::Pop:
    return std::nullopt;  // class-polymorphic
  case Opcode::MovI: case Opcode::GGet: case Opcode::GSet: case Opcode::AdjSp:
    return def ? std::optional(RegClass::Core) : std::nullopt;
  case Opcode::Param: case Opcode::Ret: case Opcode::Call:
    return std::nullopt;  // from the signature (operandClasses of it)
  case Opcode::CallInd:  // the table index (last use) is core; the rest from the signature
    return !def && k + 1 == in.uses.size() ? std::optional(RegClass::Core) : std::nullopt;
  default: break;
  }
  const Operand *o = def ? (k < in.defs.size() ? &in.defs[k] : nullptr)
                         : (k < in.uses.size() ? &in.uses[k] : nullptr);
  if (o && (o->isImm() || o->isStack())) return std::nullopt;
  return RegClass::Core;
}

bool touchesVfp(const Function &f, const Module &m) {
  auto vfpSig = [](const Signature &s) {
    return std::any_of(s.params.begin(), s.params.end(), isVfpType) ||
           std::any_of(s.results.begin(), s.results.end(), isVfpType);
  };
  if (usesVfp(f) || vfpSig(f.sig)) return true;
  for (const Block &b : f.blocks)
    for (const Instr &i : b.instrs)
      if (isCall(i.op))
        if (const Signature *s = m.callSig(i); s && vfpSig(*s)) return true;
  return false;
}

bool usesVfp(const Function &f) {
  for (const Block &b : f.blocks)
    for (const Instr &i : b.instrs) {
      if (isFloatOp(i.op)) return true;
      for (const Operand &o : i.defs)
        if (o.isVfp()) return true;
      for (const Operand &o : i.uses)
        if (o.isVfp()) return true;
    }
  return false;
}

std::string_view pregName(PReg r) { return kPRegNames[static_cast<size_t>(r)]; }
std::optional<PReg> pregFromName(std::string_view s) { return lookup<PReg>(kPRegNames, s); }

std::string_view condName(Cond c) { return kCondNames[static_cast<size_t>(c)]; }
std::optional<Cond> condFromName(std::string_view s) { return lookup<Cond>(kCondNames, s, 1); }

bool evalCond(Cond c, uint32_t a, uint32_t b) {
  auto sa = static_cast<int32_t>(a), sb = static_cast<int32_t>(b);
  switch (c) {
  case Cond::Eq: return a == b;
  case Cond::Ne: return a != b;
  case Cond::SLt: return sa < sb;
  case Cond::ULt: return a < b;
  case Cond::SGt: return sa > sb;
  case Cond::UGt: return a > b;
  case Cond::SLe: return sa <= sb;
  case Cond::ULe: return a <= b;
  case Cond::SGe: return sa >= sb;
  case Cond::UGe: return a >= b;
  case Cond::None: break;
  }
  return false;
}

bool evalCond64(Cond c, uint64_t a, uint64_t b) {
  auto sa = static_cast<int64_t>(a), sb = static_cast<int64_t>(b);
  switch (c) {
  case Cond::Eq: return a == b;
  case Cond::Ne: return a != b;
  case Cond::SLt: return sa < sb;
  case Cond::ULt: return a < b;
  case Cond::SGt: return sa > sb;
  case Cond::UGt: return a > b;
  case Cond::SLe: return sa <= sb;
  case Cond::ULe: return a <= b;
  case Cond::SGe: return sa >= sb;
  case Cond::UGe: return a >= b;
  case Cond::None: break;
  }
  return false;
}

std::string_view fcondName(Cond c) {
  switch (c) {
  case Cond::Eq: return "eq";
  case Cond::Ne: return "ne";
  case Cond::SLt: return "lt";
  case Cond::SGt: return "gt";
  case Cond::SLe: return "le";
  case Cond::SGe: return "ge";
  default: return "?";
  }
}

std::optional<Cond> fcondFromName(std::string_view s) {
  for (Cond c : {Cond::Eq, Cond::Ne, Cond::SLt, Cond::SGt, Cond::SLe, Cond::SGe})
    if (fcondName(c) == s) return c;
  return std::nullopt;
}

std::string_view widthName(Width w) {
  switch (w) {
  case Width::W32: return "32";
  case Width::U8: return "u8";
  case Width::S8: return "s8";
  case Width::U16: return "u16";
  case Width::S16: return "s16";
  }
  return "?";
}

unsigned widthBytes(Width w) {
  switch (w) {
  case Width::W32: return 4;
  case Width::U8: case Width::S8: return 1;
  case Width::U16: case Width::S16: return 2;
  }
  return 4;
}

std::string_view trapName(TrapReason r) { return kTrapNames[static_cast<size_t>(r)]; }
std::optional<TrapReason> trapFromName(std::string_view s) {
  return lookup<TrapReason>(kTrapNames, s);
}

std::string_view originName(Origin o) { return kOriginNames[static_cast<size_t>(o)]; }
std::optional<Origin> originFromName(std::string_view s) { return lookup<Origin>(kOriginNames, s); }

std::string_view valTypeName(ValType t) {
  switch (t) {
  case ValType::I32: return "i32";
  case ValType::I64: return "i64";
  case ValType::F32: return "f32";
  case ValType::F64: return "f64";
  }
  return "?";
}

unsigned operandCount(const std::vector<ValType> &ts) {
  unsigned n = 0;
  for (ValType t : ts) n += operandsOf(t);
  return n;
}

std::vector<RegClass> operandClasses(const std::vector<ValType> &ts) {
  std::vector<RegClass> out;
  operandClasses(ts, out);
  return out;
}

void operandClasses(const std::vector<ValType> &ts, std::vector<RegClass> &out) {
  out.clear();
  for (ValType t : ts) switch (t) {
    case ValType::I32: out.push_back(RegClass::Core); break;
    case ValType::I64: out.insert(out.end(), 2, RegClass::Core); break;
    case ValType::F32: out.push_back(RegClass::F32); break;
    case ValType::F64: out.push_back(RegClass::F64); break;
    }
}

std::string_view vregKindName(VRegInfo::Kind k) {
  switch (k) {
  case VRegInfo::Kind::Temp: return "temp";
  case VRegInfo::Kind::Param: return "param";
  case VRegInfo::Kind::Local: return "local";
  case VRegInfo::Kind::Stack: return "stack";
  }
  return "?";
}

uint32_t Function::numVRegs() const {
  uint32_t n = static_cast<uint32_t>(vregInfo.size());
  auto see = [&](const Operand &o) {
    if (o.isVReg() && o.value + 1 > n) n = o.value + 1;
  };
  for (const Block &b : blocks)
    for (const Instr &i : b.instrs) {
      for (const Operand &o : i.defs) see(o);
      for (const Operand &o : i.uses) see(o);
    }
  return n;
}

size_t Function::numInstrs() const {
  size_t n = 0;
  for (const Block &b : blocks) n += b.instrs.size();
  return n;
}

const Function *Module::findFunction(std::string_view name) const {
  for (const Function &f : functions)
    if (f.name == name) return &f;
  return nullptr;
}

const Import *Module::findImport(std::string_view name) const {
  for (const Import &i : imports)
    if (i.name == name) return &i;
  return nullptr;
}

const Signature *Module::calleeSig(std::string_view name) const {
  if (const Function *f = findFunction(name)) return &f->sig;
  if (const Import *i = findImport(name)) return &i->sig;
  if (auto r = findRuntimeFn(name)) return &runtimeFns()[*r].sig;
  return nullptr;
}

const Signature *Module::callSig(const Instr &in) const {
  if (in.op == Opcode::Call) return calleeSig(in.callee);
  if (in.op == Opcode::CallInd) return in.imm < types.size() ? &types[in.imm] : nullptr;
  return nullptr;
}

}  // namespace vcr::mir
