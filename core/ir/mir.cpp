// Opcode table, register/condition/trap names and small queries on MIR.
#include "core/ir/mir.h"
#include "core/ir/runtime_calls.h"

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

std::string_view valTypeName(ValType t) { return t == ValType::I64 ? "i64" : "i32"; }

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
