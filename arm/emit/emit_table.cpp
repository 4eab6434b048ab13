// calli: the function table as data and the indirect call through it
// (bounds, null and signature checks, then BLX with the Thumb bit set).
#include "arm/emit/emitter.h"

#include "arm/target/runtime.h"

#include <algorithm>

namespace vcr::emit::detail {

using mir::Instr;
using mir::Operand;
using mir::PReg;
using mir::TableSlot;

namespace {
/// Signature words of slots no calli may call: null (checked first, so it
/// traps nullfunc) and opaque (a function not emitted or not callable here).
constexpr uint32_t kNullType = 0xFFFFFFFFu;
constexpr uint32_t kOpaqueType = 0xFFFFFFFEu;
}  // namespace

std::string tableText(const mir::Module &m, const std::vector<std::string> &emitted) {
  if (m.table.empty()) return "";
  std::string s = "\n@ ---- function table\n\t.section .rodata\n\t.p2align 2\n";
  s += fmt::format("{}:\n", kTableSymbol);
  for (const TableSlot &sl : m.table) {
    std::string addr = "0";
    uint32_t type = kNullType;
    if (sl.kind == TableSlot::Kind::Opaque) addr = "1", type = kOpaqueType;
    if (sl.kind == TableSlot::Kind::Func) {
      const bool fn = std::find(emitted.begin(), emitted.end(), sl.func) != emitted.end();
      if (fn) addr = arm::rt::functionSymbol(sl.func), type = sl.type;
      else if (m.findImport(sl.func)) addr = arm::rt::importSymbol(sl.func), type = sl.type;
      else addr = "1", type = kOpaqueType;  // declined: every calli of its signature was too
    }
    s += fmt::format("\t.word {}, {}\n", addr, type);  // a Thumb function symbol gets bit 0
  }
  return s;
}

void FnEmitter::emitCallInd(const Instr &in) {
  if (in.uses.empty()) decline("calli without a table index");
  const mir::Signature *sig = module_.callSig(in);
  if (!sig) decline("calli with an unknown signature id");
  if (!isModifiedImmediate(in.imm)) decline("calli signature id not encodable in cmp");
  // A slot of this signature whose function has no code here (not
  // allocated: the module holds what was allocated) would run as opaque and
  // trap badsig where wasm calls it: the caller is declined instead.
  for (const TableSlot &sl : module_.table)
    if (sl.kind == TableSlot::Kind::Func && sl.type == in.imm && !module_.findFunction(sl.func) &&
        !module_.findImport(sl.func))
      decline("calli may call @" + sl.func + ", which has no code in this module");
  // The index may sit in any register but SP/PC, R12 and LR included: read
  // it before R12 and LR (clobbered by the call anyway) are overwritten.
  const std::string x = reg(in.uses.back(), "table index");
  const auto n = static_cast<uint32_t>(module_.table.size());
  if (n == 0) {  // every index is out of bounds
    line("b {}", trapLabel(mir::TrapReason::TableOob));
    return;
  }
  const std::string spare = x == "r12" ? "lr" : "r12";
  if (isModifiedImmediate(n)) {
    line("cmp {}, #{}", x, n);
  } else {
    materialize(spare, n);
    line("cmp {}, {}", x, spare);
  }
  line("bhs {}", trapLabel(mir::TrapReason::TableOob));
  line("lsl r12, {}, #3", x);
  line("movw lr, #:lower16:{}", kTableSymbol);
  line("movt lr, #:upper16:{}", kTableSymbol);
  line("add r12, r12, lr");
  line("ldr lr, [r12, #4]");
  line("ldr r12, [r12]");
  line("cmp r12, #0");
  line("beq {}", trapLabel(mir::TrapReason::NullFunc));
  line("cmp lr, #{}", in.imm);
  line("bne {}", trapLabel(mir::TrapReason::BadSig));
  line("blx r12");
  for (const TableSlot &sl : module_.table)  // its callees are declined with it
    if (sl.kind == TableSlot::Kind::Func && sl.type == in.imm && module_.findFunction(sl.func))
      callees_.insert(sl.func);
}

}  // namespace vcr::emit::detail
